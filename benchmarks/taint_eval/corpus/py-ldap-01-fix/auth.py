import ldap
from ldap.filter import escape_filter_chars
from flask import Flask, request

app = Flask(__name__)


@app.route("/directory/lookup")
def lookup():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.internal")
    query = "(uid=" + escape_filter_chars(uid) + ")"
    results = conn.search_s("ou=people,dc=corp,dc=local", ldap.SCOPE_SUBTREE, query)
    return {"count": len(results)}
