"""SSRF and open redirect, proven with Bastion's canary server: the target fetches a URL holding a random token
(SSRF), or sends the browser to it (open redirect: the Location points at the canary and following it lands there)."""

from __future__ import annotations

from bastion.dast.checks.common import for_each_operation, inputs, send_payload
from bastion.dast.client import Request
from bastion.dast.confirm import token
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation, Parameter

NAME = "outbound"
PHASE = "active"

_URL_WORDS = ("url", "uri", "link", "href", "callback", "webhook", "image", "avatar", "feed", "fetch", "src",
              "source", "endpoint", "proxy", "target", "host", "site", "domain", "resource")
_REDIRECT_WORDS = ("next", "redirect", "return", "returnto", "return_to", "continue", "dest", "destination",
                   "goto", "redirect_uri", "redirect_url", "url", "to", "forward", "back", "came_from")


def _url_like(param: Parameter, words: tuple[str, ...]) -> bool:
    name = param.name.lower().replace("-", "_")
    example = str(param.schema.get("example", ""))
    return (any(w == name or name.endswith("_" + w) or name.startswith(w) for w in words)
            or param.schema.get("format") in ("uri", "url") or example.startswith(("http://", "https://", "/")))


def run(ctx: RunContext) -> None:
    if ctx.canary is None:
        return

    def work(op: Operation) -> None:
        for param in inputs(ctx, op):
            if _url_like(param, _URL_WORDS):
                ssrf(ctx, op, param)
            if _url_like(param, _REDIRECT_WORDS):
                open_redirect(ctx, op, param)
    for_each_operation(ctx, work)


def ssrf(ctx: RunContext, op: Operation, param: Parameter) -> None:
    first = token("ssrf")
    send_payload(ctx, op, param, ctx.canary.url(first))
    if not ctx.canary.seen(first):
        return
    second = token("ssrf")
    proof = send_payload(ctx, op, param, ctx.canary.url(second))
    if ctx.canary.seen(second):
        echoed = "bastion canary" in proof.body
        ctx.report("dast-ssrf", op, param.name,
                   f"{op.key}: the server fetched the URL given in {param.location} parameter '{param.name}' "
                   f"(Bastion's canary received the request{', and its answer came back in the response' if echoed else ''})",
                   proof, canary=ctx.canary.origin, reflected=echoed)


def _redirects_to_canary(ctx: RunContext, location: str | None) -> bool:
    return bool(location) and (location.startswith(ctx.canary.origin) or location.startswith("//" + ctx.canary.origin.split("://", 1)[1]))


def open_redirect(ctx: RunContext, op: Operation, param: Parameter) -> None:
    for shape in ("{url}", "//{hostport}/{tok}"):
        tok = token("redir")
        value = shape.format(url=ctx.canary.url(tok), hostport=ctx.canary.origin.split("://", 1)[1], tok=tok)
        first = send_payload(ctx, op, param, value)
        if not (300 <= first.status < 400 and _redirects_to_canary(ctx, first.header("location"))):
            continue
        safe = send_payload(ctx, op, param, "/")
        if 300 <= safe.status < 400 and _redirects_to_canary(ctx, safe.header("location")):
            return
        landing = first.header("location") or ""
        ctx.client.send(Request("GET", landing if "://" in landing else "http:" + landing))
        if ctx.canary.seen(tok, wait=0.5):
            ctx.report("dast-open-redirect", op, param.name,
                       f"{op.key}: {param.location} parameter '{param.name}' sends the browser to any site: "
                       f"{value!r} answered {first.status} to the canary, and following it landed there", first)
            return
