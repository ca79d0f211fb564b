from flask import Flask, request, render_template_string

app = Flask(__name__)


@app.route("/card")
def greeting_card():
    message = request.args.get("message", "Happy birthday!")
    template = "<div class='card'><p>" + message + "</p><small>{{ sender }}</small></div>"
    return render_template_string(template, sender="The Team")
