import hashlib


def file_signature(path):
    """Signature used to detect tampering of uploaded firmware."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(8192), b""):
            digest.update(chunk)
    return digest.hexdigest()
