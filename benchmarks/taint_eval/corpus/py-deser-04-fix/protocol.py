import json


def decode_message(raw: bytes):
    message = json.loads(raw.decode("utf-8"))
    if not isinstance(message, dict):
        raise ValueError("message must be an object")
    return message
