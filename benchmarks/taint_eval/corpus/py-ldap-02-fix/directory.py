from ldap3 import Server, Connection
from ldap3.utils.conv import escape_filter_chars


def member_groups(username, bind_password):
    conn = Connection(Server("ldaps://dc1.example.com"), "cn=svc,dc=example,dc=com", bind_password, auto_bind=True)
    safe = escape_filter_chars(username)
    conn.search("dc=example,dc=com", f"(&(objectClass=group)(member=cn={safe},ou=users,dc=example,dc=com))", attributes=["cn"])
    return [entry.cn.value for entry in conn.entries]
