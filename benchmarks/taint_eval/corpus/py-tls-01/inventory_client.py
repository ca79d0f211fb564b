import requests


def fetch_inventory(base_url, token):
    resp = requests.get(base_url + "/inventory", headers={"Authorization": f"Bearer {token}"}, verify=False, timeout=10)
    resp.raise_for_status()
    return resp.json()
