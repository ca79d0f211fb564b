from flask import Flask, request, render_template_string

app = Flask(__name__)
CARD = "<div class='card'><p>{{ message }}</p><small>{{ sender }}</small></div>"


@app.route("/card")
def greeting_card():
    message = request.args.get("message", "Happy birthday!")
    return render_template_string(CARD, message=message, sender="The Team")
