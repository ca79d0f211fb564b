from ldap3 import Server, Connection


def member_groups(username, bind_password):
    conn = Connection(Server("ldaps://dc1.example.com"), "cn=svc,dc=example,dc=com", bind_password, auto_bind=True)
    conn.search("dc=example,dc=com", f"(&(objectClass=group)(member=cn={username},ou=users,dc=example,dc=com))", attributes=["cn"])
    return [entry.cn.value for entry in conn.entries]
