from django.shortcuts import render
from django.utils.html import format_html


def preview_comment(request):
    body = request.POST.get("body", "")
    html = format_html("<p class='comment'>{}</p>", body)
    return render(request, "comments/preview.html", {"comment_html": html})
