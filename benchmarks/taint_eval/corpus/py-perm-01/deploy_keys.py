import os


def install_key(path, key_material):
    with open(path, "w") as fh:
        fh.write(key_material)
    os.chmod(path, 0o777)
