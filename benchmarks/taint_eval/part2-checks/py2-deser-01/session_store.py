import base64
import pickle


def load_session(cookie_value: str) -> dict:
    """Decode the session blob stored in the cookie."""
    raw = base64.urlsafe_b64decode(cookie_value.encode())
    return pickle.loads(raw)
