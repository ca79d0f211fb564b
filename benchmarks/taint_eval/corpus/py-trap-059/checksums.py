import hashlib
import sys


def sha256sum(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 16):
            h.update(chunk)
    return h.hexdigest()


if __name__ == "__main__":
    print(sha256sum(sys.argv[1]))
