import ldap
from flask import Flask, request

app = Flask(__name__)


@app.route("/directory/lookup")
def lookup():
    uid = request.args.get("uid", "")
    conn = ldap.initialize("ldap://ldap.internal")
    results = conn.search_s("ou=people,dc=corp,dc=local", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    return {"count": len(results)}
