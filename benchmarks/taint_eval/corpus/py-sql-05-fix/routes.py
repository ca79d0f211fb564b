from flask import Flask
from helpers import get_param
from repo import delete_item

app = Flask(__name__)


@app.route("/items/delete", methods=["POST"])
def remove():
    delete_item(get_param("sku"))
    return "", 204
