import requests


def upstream_healthy(url):
    return requests.get(url + "/health").ok
