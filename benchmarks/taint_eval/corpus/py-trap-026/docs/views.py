from django.http import FileResponse, Http404

MANUALS = {
    "install": "/opt/manuals/install.pdf",
    "admin": "/opt/manuals/admin-guide.pdf",
}


def manual(request, slug):
    try:
        path = MANUALS[slug]
    except KeyError:
        raise Http404("no such manual")
    return FileResponse(open(path, "rb"), content_type="application/pdf")
