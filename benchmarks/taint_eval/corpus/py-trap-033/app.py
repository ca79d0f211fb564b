from flask import Flask, request, abort
from lxml import etree

app = Flask(__name__)
DOC = etree.parse("menu.xml")
CATEGORIES = ("starters", "mains", "desserts")


@app.route("/menu")
def menu():
    category = request.args.get("category", "mains")
    if category not in CATEGORIES:
        abort(404)
    return {"dishes": DOC.xpath(f"//category[@name='{category}']/dish/text()")}
