import hmac


def token_matches(stored_token: str, presented: str) -> bool:
    return hmac.compare_digest(stored_token.encode(), presented.encode())
