from django.http import JsonResponse
from lxml import etree


def upload_invoice(request):
    parser = etree.XMLParser(no_network=False, resolve_entities=True)
    tree = etree.parse(request.FILES["invoice"], parser)
    total = tree.findtext(".//Total")
    return JsonResponse({"total": total})
