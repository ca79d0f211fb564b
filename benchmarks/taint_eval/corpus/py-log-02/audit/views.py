import logging
from django.http import HttpResponse

audit = logging.getLogger("audit")


def track(request):
    page = request.GET.get("page", "")
    audit.warning(f"page view: {page}")
    return HttpResponse(status=204)
