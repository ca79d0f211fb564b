from flask import Flask, request
from pymongo import MongoClient

app = Flask(__name__)
posts = MongoClient()["blog"]["posts"]


@app.route("/posts")
def by_author():
    author = str(request.args.get("author", ""))
    return {"posts": [p["title"] for p in posts.find({"author": author}, {"title": 1})]}
