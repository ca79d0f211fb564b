from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
DOCS = Path(__file__).parent / "docs"


@app.route("/doc")
def doc():
    page = request.args.get("page", "index.md")
    return DOCS.joinpath(page).read_text(encoding="utf-8")
