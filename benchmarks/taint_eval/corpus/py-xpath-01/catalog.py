from flask import Flask, request
from lxml import etree

app = Flask(__name__)
TREE = etree.parse("catalog.xml")


@app.route("/book")
def book():
    title = request.args.get("title", "")
    matches = TREE.xpath("//book[title='" + title + "']/price/text()")
    return {"prices": [str(m) for m in matches]}
