import operator
from django.http import JsonResponse, HttpResponseBadRequest

COMPARATORS = {"gt": operator.gt, "lt": operator.lt, "eq": operator.eq}


def preview_rule(request):
    op = COMPARATORS.get(request.POST.get("op", ""))
    try:
        threshold = float(request.POST.get("threshold", "0"))
    except ValueError:
        return HttpResponseBadRequest("threshold must be a number")
    if op is None:
        return HttpResponseBadRequest("unknown comparator")
    return JsonResponse({"matches_sample": bool(op(10, threshold))})
