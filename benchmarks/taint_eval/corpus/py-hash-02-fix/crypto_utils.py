import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def encrypt_token(key: bytes, token: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, token, None)
