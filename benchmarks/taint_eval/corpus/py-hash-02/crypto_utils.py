from Crypto.Cipher import DES
from Crypto.Util.Padding import pad


def encrypt_token(key: bytes, token: bytes) -> bytes:
    cipher = DES.new(key, DES.MODE_CBC)
    return cipher.iv + cipher.encrypt(pad(token, DES.block_size))
