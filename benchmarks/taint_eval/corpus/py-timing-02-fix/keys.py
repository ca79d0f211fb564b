import hmac
import os

API_KEY = os.environ.get("SERVICE_API_KEY", "")


def is_authorized(presented_key):
    return bool(API_KEY) and hmac.compare_digest(presented_key.encode(), API_KEY.encode())
