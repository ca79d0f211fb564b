from pathlib import Path

from flask import Flask, abort, request

app = Flask(__name__)
DOCS = (Path(__file__).parent / "docs").resolve()


@app.route("/doc")
def doc():
    page = request.args.get("page", "index.md")
    target = DOCS.joinpath(page).resolve()
    if not target.is_relative_to(DOCS):
        abort(404)
    return target.read_text(encoding="utf-8")
