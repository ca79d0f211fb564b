import hashlib
import os


def hash_password(password: str) -> str:
    salt = os.urandom(8).hex()
    return salt + "$" + hashlib.md5((salt + password).encode()).hexdigest()
