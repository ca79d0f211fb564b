from flask import Flask, request, render_template_string

app = Flask(__name__)
PAGE = "<h1>{{ title }}</h1><p>{{ body }}</p>"


@app.route("/note")
def note():
    return render_template_string(PAGE, title=request.args.get("t", ""), body=request.args.get("b", ""))
