import hashlib
import hmac
import os
import pickle

KEY = os.environ["CACHE_SIGNING_KEY"].encode()


def load_signed(blob: bytes):
    signature, payload = blob[:32], blob[32:]
    expected = hmac.new(KEY, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise ValueError("bad signature")
    return pickle.loads(payload)
