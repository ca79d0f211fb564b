"""Open redirects, judged by who controls where the browser goes.

A redirect to a target the request chooses (``redirect(request.args["next"])``) or whose host it chooses is an
open redirect. A target whose scheme and host the code fixes (``"https://store.example.com/" + path``), or a
same-site path (``f"/books/{book_id}"``), sends the browser nowhere the site did not pick: the client only
chooses a path or a query value. Written in the call, in the local variable's only assignment, or in a module
or class constant the target starts with. Implemented in code (not as model sinks) because the decision needs
the target's expression; other targets go through ``Analyzer.sink``, so a parameter reaching a redirect makes
each caller's untrusted argument a finding.
"""

from __future__ import annotations

from bastion.sast.python.checks import on_call
from bastion.sast.taint import Analyzer, CallEvent
from bastion.sast.url_shapes import fixed_target

#: redirect call -> (position of its target, keyword of its target)
_REDIRECTS = {
    "flask.redirect": (0, "location"),
    "werkzeug.utils.redirect": (0, "location"),
    "django.shortcuts.redirect": (0, "to"),
    "django.http.HttpResponseRedirect": (0, "redirect_to"),
    "django.http.HttpResponsePermanentRedirect": (0, "redirect_to"),
    "fastapi.responses.RedirectResponse": (0, "url"),
    "starlette.responses.RedirectResponse": (0, "url"),
}


@on_call(*_REDIRECTS)
def redirect_target(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    position, keyword = _REDIRECTS[event.qual]
    target = event.arg(position, keyword)
    if target is None:
        return
    expr = event.node.args[position] if len(event.node.args) > position else event.node.keyword(keyword)
    if not fixed_target(analyzer, expr):
        analyzer.sink("open-redirect", target, event.node.span, "redirect target")
