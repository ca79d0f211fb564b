"""Query languages whose text hides in an options object (LDAP search filters), and functions picked by name."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from bastion.sast.javascript.checks import on, options
from bastion.sast.javascript.checks.bindings import receiver_names
from bastion.sast.javascript.semantics import report_taint
from bastion.sast.taint import Analyzer, CallEvent, Value

_LDAP_CLIENTS = ("ldapjs.createClient()", "ldapts.Client()")


def _ldap_receiver(event: CallEvent) -> bool:
    """``client.search`` of an ldapjs/ldapts client, or of a receiver whose name says LDAP (``this.ldap.search``)."""
    qual = event.qual or ""
    if qual.startswith(_LDAP_CLIENTS):
        return True
    return any("ldap" in name.lower() for name in receiver_names(event))


#: A step through a function of the project named to escape LDAP text (``escapeLdapFilter(user)``,
#: ``ldapEscape(value)``, ``escapeDN(cn)``): written for exactly this, like ldap-escape's tags.
_LDAP_ESCAPER = re.compile(r"passed through \w*(escape\w*(ldap|filter|dn)|(ldap|filter|dn)\w*escape)\w*\(\)", re.IGNORECASE)


def _unescaped(value: Value) -> Value:
    kept = frozenset(l for l in value.labels if not any(_LDAP_ESCAPER.search(step.note) for step in l.trace))
    return value if kept == value.labels else replace(value, labels=kept)


@on("method:search")
def ldap_search(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``client.search(base, { filter })``, or ``client.search(base, '(uid=...)')``: the filter string and the base DN."""
    if not _ldap_receiver(event) or not event.args:
        return
    span = event.node.span
    if report_taint(analyzer, "ldap-injection", _unescaped(event.args[0]), span, "LDAP search base DN"):
        return
    if len(event.args) < 2:
        return
    literal = options(hooks, event.node.args[1])
    search_filter = event.args[1].item("filter") if literal is not None or event.args[1].items is not None else event.args[1]
    if search_filter is not None:
        report_taint(analyzer, "ldap-injection", _unescaped(search_filter), span, "LDAP search filter")


@on("call")
def function_by_name(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``handlers[req.query.action]()``: the client picks which function runs (``constructor`` included)."""
    if event.key is not None and not event.key.is_const:
        report_taint(analyzer, "unsafe-reflection", event.key, event.node.span, "function looked up by a name the client chose", ("remote",))
