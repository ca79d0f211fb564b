"""SSRF through HTTP clients, judged by who controls the scheme, host and port of the URL.

A URL the request chooses whole (``requests.get(request.args["url"])``) or whose host it chooses
(``"https://" + host + "/x"``) is server-side request forgery. A URL whose scheme and host the code fixes
(``f"https://api.example.com/items/{item}"``, also through a local variable's only assignment or a module or
class constant it starts with: ``BASE_URL + path``) only lets the client choose a path or a query value on that
host: reported as low-severity parameter injection, not SSRF. Implemented in code (not as model sinks)
because the decision needs the URL's expression; other flows still go through ``Analyzer.sink``, so a
parameter reaching a client call makes each caller's untrusted argument a finding.
"""

from __future__ import annotations

from bastion.core.model import Severity
from bastion.sast.python.checks import on_call
from bastion.sast.taint import Analyzer, CallEvent
from bastion.sast.python.checks.url_targets import fixed_url

#: client call -> position of its URL argument (also accepted as ``url=``)
_CLIENTS = {
    "requests.get": 0, "requests.post": 0, "requests.put": 0, "requests.delete": 0, "requests.head": 0,
    "requests.patch": 0, "requests.request": 1, "requests.Session().get": 0, "requests.Session().post": 0,
    "httpx.get": 0, "httpx.post": 0, "httpx.request": 1, "httpx.Client().get": 0, "httpx.AsyncClient().get": 0,
    "urllib.request.urlopen": 0, "urllib.request.Request": 0, "urllib3.PoolManager().request": 1,
    "aiohttp.ClientSession().get": 0, "aiohttp.ClientSession().post": 0,
}
_NOTE = "requested URL"


@on_call(*_CLIENTS)
def outbound_request(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    position = _CLIENTS[event.qual]
    url = event.arg(position, "url")
    if url is None:
        return
    expr = event.node.args[position] if len(event.node.args) > position else event.node.keyword("url")
    if not fixed_url(analyzer, expr):
        analyzer.sink("ssrf", url, event.node.span, _NOTE)
        return
    label = next((l for l in url.real_labels() if l.kind == "remote" and not l.clears("ssrf")), None)
    if label is not None:
        analyzer.report("ssrf", event.node.span, f"{label.origin} chooses the path or query of a request to a fixed host "
                        "(parameter injection, not SSRF: scheme and host are constant)", label, confidence="low",
                        sink_note="URL path or query", data={"severity": Severity.LOW})
