from django.db import connection
from django.http import JsonResponse


def revenue_by_region(request):
    region = request.GET.get("region")
    sql = "SELECT month, SUM(amount) FROM sales WHERE region = '{}' GROUP BY month".format(region)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        data = cursor.fetchall()
    return JsonResponse({"rows": data})
