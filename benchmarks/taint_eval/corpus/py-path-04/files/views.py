import os
from django.conf import settings
from django.http import FileResponse, Http404


def serve_report(request):
    options = {"name": request.GET.get("report", "summary.pdf"), "inline": True}
    full_path = os.path.join(settings.REPORTS_DIR, options["name"])
    if not os.path.exists(full_path):
        raise Http404()
    return FileResponse(open(full_path, "rb"))
