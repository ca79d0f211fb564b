from django.http import HttpResponse
from django.utils.html import escape


def badge(request):
    label = escape(request.GET.get("label", "new"))
    return HttpResponse(f"<span class='badge'>{label}</span>")
