import ldap
from ldap.filter import filter_format


def find_person(conn, surname):
    query = filter_format("(&(objectClass=person)(sn=%s))", [surname])
    return conn.search_s("dc=corp,dc=local", ldap.SCOPE_SUBTREE, query, ["cn", "mail"])
