import hashlib


def cache_key(url, params):
    raw = url + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return "page:" + hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()
