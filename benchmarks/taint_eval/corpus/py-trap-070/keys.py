import os


def write_private_key(path, pem: bytes):
    with open(path, "wb") as fh:
        fh.write(pem)
    os.chmod(path, 0o600)
