import os
from django.conf import settings
from django.http import FileResponse, Http404


def serve_report(request):
    options = {"name": request.GET.get("report", "summary.pdf"), "inline": True}
    base = os.path.realpath(settings.REPORTS_DIR)
    full_path = os.path.realpath(os.path.join(base, options["name"]))
    if os.path.commonpath([base, full_path]) != base:
        raise Http404()
    if not os.path.exists(full_path):
        raise Http404()
    return FileResponse(open(full_path, "rb"))
