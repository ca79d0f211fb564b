from django.http import JsonResponse
from lxml import etree


def upload_invoice(request):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.parse(request.FILES["invoice"], parser)
    total = tree.findtext(".//Total")
    return JsonResponse({"total": total})
