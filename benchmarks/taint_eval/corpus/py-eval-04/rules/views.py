from django.http import JsonResponse


def preview_rule(request):
    condition = request.POST.get("condition", "True")
    code = compile(f"lambda order: {condition}", "<rule>", "eval")
    predicate = eval(code)
    return JsonResponse({"matches_sample": bool(predicate({"total": 10}))})
