import json
import urllib.request


def notify(endpoint_host, event):
    body = json.dumps(event).encode()
    req = urllib.request.Request(f"http://{endpoint_host}/hooks/events", data=body, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status
