import json
import urllib.request

WEBHOOK_HOSTS = {
    "billing": "billing.internal.example.com",
    "audit": "audit.internal.example.com",
}


def notify(service, event):
    host = WEBHOOK_HOSTS[service]
    body = json.dumps(event).encode()
    req = urllib.request.Request(f"https://{host}/hooks/events", data=body, method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status
