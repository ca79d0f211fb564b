import uuid
import psycopg2
from flask import Flask, request, abort

app = Flask(__name__)
conn = psycopg2.connect("")


@app.route("/sessions/revoke", methods=["POST"])
def revoke():
    try:
        session_id = uuid.UUID(request.form["session_id"])
    except ValueError:
        abort(400)
    with conn.cursor() as cur:
        cur.execute(f"DELETE FROM sessions WHERE id = '{session_id}'")
    return "", 204
