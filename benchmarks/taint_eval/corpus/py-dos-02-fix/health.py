import requests


def upstream_healthy(url):
    return requests.get(url + "/health", timeout=(3, 10)).ok
