import requests

ENVIRONMENT = "production"


def fetch(url):
    if ENVIRONMENT == "development":
        return requests.get(url, verify=False, timeout=5)
    return requests.get(url, timeout=5)
