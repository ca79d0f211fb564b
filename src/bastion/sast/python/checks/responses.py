"""XSS through response constructors whose content type decides whether the body is HTML.

``HttpResponse(body)``, ``make_response(body)`` and ``Response(body)`` send text/html unless told otherwise:
request data in the body is reflected XSS. The same body with ``content_type="application/json"`` (or
``text/plain``, with a JSON or JavaScript type...) is not HTML, and a body that is ``json.dumps(...)`` text
or a file response is not markup the app built: those are not reported. Implemented in code rather than as
a model because the decision needs the call's other arguments; the flow still goes through
``Analyzer.sink``, so a parameter reaching the body makes each caller's untrusted argument a finding.
"""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python.checks import on_call, on_method
from bastion.sast.taint import Analyzer, CallEvent, Hit, Value

#: constructor -> (body keyword, content-type keywords)
_CONSTRUCTORS = {
    "django.http.HttpResponse": ("content", ("content_type",)),
    "flask.make_response": (None, ()),
    "flask.Response": ("response", ("mimetype", "content_type")),
}
#: Bodies that are not markup: JSON text and responses (a file, a redirect) wrapped again.
_NOT_MARKUP = ("json.dumps()", "flask.json.dumps()", "simplejson.dumps()", "flask.send_file()",
               "flask.send_from_directory()", "flask.jsonify()", "flask.redirect()", "flask.render_template()",
               "django.shortcuts.render()")
#: Response objects a route returns: the constructor that built them was the place to judge the body.
RESPONSE_OBJECTS = ("make_response()", "Response()", "HttpResponse()", "JsonResponse()", "jsonify()", "send_file()",
                    "send_from_directory()", "redirect()", "JSONResponse()")


def declared_not_html(content_type: Value | None) -> bool:
    """The call names a content type, and it is not HTML (``application/json``, ``text/plain; charset=utf-8``)."""
    return content_type is not None and isinstance(content_type.const, str) and "html" not in content_type.const.lower()


#: Django template renders: the engine escapes every context value unless the template itself says otherwise
#: (``|safe``, ``{% autoescape off %}``) or the view marks it safe (``mark_safe``, a sink of its own).
_DJANGO_RENDERS = ("django.template.loader.render_to_string()", "django.template.loader.get_template().render()",
                   "django.template.loader.select_template().render()", "django.template.Template().render()",
                   "django.template.engines.from_string().render()")
_JINJA_RENDERS = ("jinja2.Environment().get_template().render()", "jinja2.Environment().from_string().render()",
                  "jinja2.Environment().select_template().render()", "jinja2.Environment().get_or_select_template().render()",
                  "jinja2.Template().render()", "jinja2.environment.Environment().get_template().render()")


def escaped_render(hooks, body: Value) -> bool:
    """A template render whose engine escaped the values passed in.

    Jinja2 escapes only when every Environment and Template this module creates turns autoescape on
    (``autoescape=True`` or ``select_autoescape(...)``): the render call does not say which one it came from.
    """
    qual = body.qual or ""
    if qual in _DJANGO_RENDERS:
        return True
    return qual in _JINJA_RENDERS and hooks.jinja_autoescape == {True}


@on_call(*_CONSTRUCTORS)
def response_body(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    keyword, type_keywords = _CONSTRUCTORS[event.qual]
    body = event.arg(0, keyword) if keyword else event.arg(0)
    if body is None or (body.qual or "") in _NOT_MARKUP or escaped_render(hooks, body):
        return
    if any(declared_not_html(event.kwargs.get(name)) for name in type_keywords):
        return
    if event.qual == "django.http.HttpResponse" and len(event.args) > 1 and declared_not_html(event.args[1]):
        return  # HttpResponse(content, content_type) positionally
    analyzer.sink("xss", body, event.node.span, "sent as an HTML response")


_MARKUP = ("markupsafe.Markup()", "flask.Markup()", "jinja2.Markup()")


@on_method("unescape", "striptags")
def markup_to_text(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """``Markup(text).unescape()`` / ``.striptags()``: markupsafe's way to turn markup into plain text (a ``str``,
    escaped again wherever it is rendered); the ``Markup`` it was called on marks nothing safe for output."""
    receiver = event.node.func.obj if isinstance(event.node.func, ir.Attr) else None
    if isinstance(receiver, ir.Call) and event.receiver is not None and event.receiver.qual in _MARKUP:
        hooks.markup_to_text.add(receiver.span)


def marked_then_unescaped(hooks, hit: Hit) -> bool:
    """An XSS hit of this file at a ``Markup(...)`` whose result only ever became plain text."""
    return hit.rule == "xss" and hit.path is None and hit.span in hooks.markup_to_text
