import hashlib
import hmac
import os

ITERATIONS = 600_000


def hash_password(password):
    salt = os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return salt, digest


def verify_password(password, salt, digest):
    return hmac.compare_digest(hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS), digest)
