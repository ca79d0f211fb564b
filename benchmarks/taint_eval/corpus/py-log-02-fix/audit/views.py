import logging
from django.http import HttpResponse

audit = logging.getLogger("audit")


def track(request):
    page = request.GET.get("page", "")
    audit.warning("page view: %r", page.replace("\r", "\\r").replace("\n", "\\n"))
    return HttpResponse(status=204)
