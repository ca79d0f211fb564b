import sys


def dump(name):
    while False:
        with open("/etc/" + name) as fh:
            print(fh.read())
    print("dumping disabled")


if __name__ == "__main__":
    dump(sys.argv[1])
