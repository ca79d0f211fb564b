import os

import requests

CA_BUNDLE = os.environ.get("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")


def get_json(url):
    return requests.get(url, verify=CA_BUNDLE, timeout=10).json()
