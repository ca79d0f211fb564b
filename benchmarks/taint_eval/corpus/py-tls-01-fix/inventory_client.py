import requests

INTERNAL_CA = "/etc/ssl/certs/internal-ca.pem"


def fetch_inventory(base_url, token):
    resp = requests.get(base_url + "/inventory", headers={"Authorization": f"Bearer {token}"}, verify=INTERNAL_CA, timeout=10)
    resp.raise_for_status()
    return resp.json()
