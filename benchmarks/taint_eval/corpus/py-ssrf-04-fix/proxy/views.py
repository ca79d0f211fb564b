import requests
from django.http import HttpResponse, HttpResponseBadRequest

SERVICES = {"api": "api.svc.cluster.local", "worker": "worker.svc.cluster.local"}


def status_proxy(request):
    service = request.GET.get("service", "api")
    if service not in SERVICES:
        return HttpResponseBadRequest("unknown service")
    url = "http://%s:%d/healthz" % (SERVICES[service], 8080)
    upstream = requests.get(url, timeout=3)
    return HttpResponse(upstream.text, status=upstream.status_code)
