MAJOR, MINOR = eval("(3, 11)")


def supported(version_tuple):
    return version_tuple >= (MAJOR, MINOR)
