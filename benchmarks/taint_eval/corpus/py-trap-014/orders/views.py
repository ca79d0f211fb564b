from django.db import connection
from django.http import JsonResponse

SORTS = {"newest": "created_at DESC", "oldest": "created_at ASC", "total": "amount DESC"}


def order_list(request):
    order_by = SORTS.get(request.GET.get("sort"), "created_at DESC")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, amount FROM orders ORDER BY " + order_by + " LIMIT 100")
        rows = cursor.fetchall()
    return JsonResponse({"orders": rows})
