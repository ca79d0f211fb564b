from django.db import connection
from django.http import JsonResponse


def revenue_by_region(request):
    region = request.GET.get("region")
    sql = "SELECT month, SUM(amount) FROM sales WHERE region = %s GROUP BY month"
    with connection.cursor() as cursor:
        cursor.execute(sql, [region])
        data = cursor.fetchall()
    return JsonResponse({"rows": data})
