"""Query languages whose text hides in an options object (LDAP search filters), and functions picked by name."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import on, options
from bastion.sast.javascript.semantics import report_taint
from bastion.sast.taint import Analyzer, CallEvent

_LDAP_CLIENTS = ("ldapjs.createClient()", "ldapts.Client()")


def _ldap_receiver(event: CallEvent) -> bool:
    """``client.search`` of an ldapjs/ldapts client, or of a receiver whose name says LDAP (``this.ldap.search``)."""
    qual = event.qual or ""
    if qual.startswith(_LDAP_CLIENTS):
        return True
    expr = event.node.func.obj if isinstance(event.node.func, ir.Attr) else None
    while isinstance(expr, (ir.Attr, ir.Call)):
        if isinstance(expr, ir.Attr) and "ldap" in expr.name.lower():
            return True
        expr = expr.func if isinstance(expr, ir.Call) else expr.obj
    return isinstance(expr, ir.Name) and "ldap" in expr.id.lower()


@on("method:search")
def ldap_search(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``client.search(base, { filter })``, or ``client.search(base, '(uid=...)')``: the filter string and the base DN."""
    if not _ldap_receiver(event) or not event.args:
        return
    span = event.node.span
    if report_taint(analyzer, "ldap-injection", event.args[0], span, "LDAP search base DN"):
        return
    if len(event.args) < 2:
        return
    literal = options(hooks, event.node.args[1])
    search_filter = event.args[1].item("filter") if literal is not None or event.args[1].items is not None else event.args[1]
    if search_filter is not None:
        report_taint(analyzer, "ldap-injection", search_filter, span, "LDAP search filter")


@on("call")
def function_by_name(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``handlers[req.query.action]()``: the client picks which function runs (``constructor`` included)."""
    if event.key is not None and not event.key.is_const:
        report_taint(analyzer, "unsafe-reflection", event.key, event.node.span, "function looked up by a name the client chose", ("remote",))
