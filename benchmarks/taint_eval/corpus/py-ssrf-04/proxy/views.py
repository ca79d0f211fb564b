import requests
from django.http import HttpResponse


def status_proxy(request):
    target = {"service": request.GET.get("service", "api"), "port": 8080}
    url = "http://%s:%d/healthz" % (target["service"], target["port"])
    upstream = requests.get(url, timeout=3)
    return HttpResponse(upstream.text, status=upstream.status_code)
