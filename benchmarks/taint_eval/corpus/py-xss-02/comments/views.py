from django.shortcuts import render
from django.utils.safestring import mark_safe


def preview_comment(request):
    body = request.POST.get("body", "")
    html = mark_safe("<p class='comment'>" + body + "</p>")
    return render(request, "comments/preview.html", {"comment_html": html})
