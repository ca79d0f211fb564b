from django.db import connection
from django.http import JsonResponse


def page(request):
    try:
        size = int(request.GET.get("size", "20"))
    except ValueError:
        return JsonResponse({"error": "size"}, status=400)
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, title FROM posts ORDER BY id DESC LIMIT {size}")
        return JsonResponse({"posts": cur.fetchall()})
