import os

API_KEY = os.environ.get("SERVICE_API_KEY", "")


def is_authorized(presented_key):
    return presented_key == API_KEY
