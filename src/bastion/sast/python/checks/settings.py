"""Framework settings: Django settings modules, Flask/Quart config, FastAPI/Starlette apps, CORS.

Python files belong to this engine alone, so every settings shape lives
here: ``DEBUG = True`` at module level or in a production config class,
``app.config["X"]``/``app.config.update(X=...)``, ``app.debug``/``secret_key``,
cookie flags (Secure and HttpOnly reported apart: CWE-614 and CWE-1004 are
different weaknesses), ``ALLOWED_HOSTS``, Django's security middleware, and
CORS for every origin.

Development settings are meant to debug: in a file or config class named
dev/local/test/debug, ``DEBUG = True`` and a throwaway ``SECRET_KEY`` are
expected and not reported (host, cookie, CORS and middleware settings are,
since dev settings get copied into production).
"""

from __future__ import annotations

import posixpath
from typing import Any

from bastion.core.model import Severity
from bastion.sast import ir
from bastion.sast.python.checks import on, on_call, on_method
from bastion.sast.taint import Analyzer, CallEvent, Value

_COOKIE_SETTINGS = {
    "SESSION_COOKIE_SECURE": ("cookie-without-secure", False),
    "CSRF_COOKIE_SECURE": ("cookie-without-secure", False),
    "REMEMBER_COOKIE_SECURE": ("cookie-without-secure", False),
    "SESSION_COOKIE_HTTPONLY": ("cookie-without-httponly", False),
    "REMEMBER_COOKIE_HTTPONLY": ("cookie-without-httponly", False),
    "SESSION_COOKIE_SAMESITE": ("cookie-without-samesite", None),
    "CSRF_COOKIE_SAMESITE": ("cookie-without-samesite", None),
}
_SECRET_SETTINGS = ("SECRET_KEY", "JWT_SECRET_KEY", "SECURITY_PASSWORD_SALT", "WTF_CSRF_SECRET_KEY")
_CORS_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")
_REQUIRED_MIDDLEWARE = {"SecurityMiddleware": "django.middleware.security.SecurityMiddleware",
                        "CsrfViewMiddleware": "django.middleware.csrf.CsrfViewMiddleware",
                        "XFrameOptionsMiddleware": "django.middleware.clickjacking.XFrameOptionsMiddleware"}
_DEV_WORDS = ("dev", "local", "test", "debug")
_CONFIG_CLASS_SUFFIXES = ("config", "settings", "configuration")
_ENV_READS = ("os.environ.get", "os.getenv")
_ANY_ORIGIN_REGEXES = (".*", "^.*$", ".+", "^.+$", "^.*", ".*$")


def is_dev(name: str) -> bool:
    """A development/test settings file or class, by its name."""
    return any(word in name.lower() for word in _DEV_WORDS)


def _dev_file(hooks) -> bool:
    return is_dev(posixpath.basename(hooks.file.path))


def apply(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span, dev: bool = False) -> None:
    """One setting, whether ``NAME = v`` (module or config class), ``app.config["NAME"] = v`` or ``update(NAME=v)``."""
    hooks.settings[name] = (value, span)
    hooks.setting_history.setdefault(name, []).append((value, span))
    dev = dev or _dev_file(hooks)
    if name == "DEBUG":
        if value.const is True and not dev:
            analyzer.report("debug-mode-enabled", span, "DEBUG = True")
    elif name in _COOKIE_SETTINGS:
        rule, bad = _COOKIE_SETTINGS[name]
        if value.is_const and value.const is bad:
            analyzer.report(rule, span, f"{name} = {bad}")
    elif name in ("WTF_CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT") and value.const is False:
        analyzer.report("csrf-disabled", span, f"{name} = False")
    elif name in _SECRET_SETTINGS and not dev:
        _secret(hooks, analyzer, name, value, span)
    elif name == "ALLOWED_HOSTS" and isinstance(value.const, (list, tuple)) and "*" in value.const:
        analyzer.report("permissive-allowed-hosts", span, "ALLOWED_HOSTS accepts any Host header")
    elif name == "MIDDLEWARE" and isinstance(value.const, (list, tuple)):
        missing = [short for short, full in _REQUIRED_MIDDLEWARE.items() if full not in value.const]
        if missing:
            analyzer.report("security-middleware-missing", span, f"MIDDLEWARE lacks {', '.join(missing)}")


def _secret(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    if isinstance(value.const, (str, bytes)) and value.const:
        analyzer.report("hardcoded-framework-secret", span, f"{name} is a constant in the source")
        return
    fallback = hooks.env_default
    if value.qual in {q + "()" for q in _ENV_READS} and fallback is not None and _within(fallback, span):
        analyzer.report("hardcoded-framework-secret", span, f"{name} falls back to a constant when the variable is unset",
                        confidence="medium")


def _within(inner: ir.Span, outer: ir.Span) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and inner.end_line <= outer.end_line


@on_call(*_ENV_READS)
def env_default(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """Remember the last ``os.getenv("K", "literal")``: a secret setting assigned from it has a constant fallback."""
    default = event.arg(1) if len(event.args) > 1 else event.kwargs.get("default")
    hooks.env_default = event.node.span if default is not None and isinstance(default.const, str) and default.const else None


@on("assign")
def named_setting(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    """UPPER_CASE names at module level, and in config classes (``class ProductionConfig: DEBUG = True``)."""
    if analyzer.current_function is not None or not name.isupper():
        return
    if analyzer.scope_qual == analyzer.module.name:
        apply(hooks, analyzer, name, value, span)
        return
    cls = analyzer.scope_qual.rsplit(".", 1)[-1]
    if analyzer.scope_qual in analyzer.classes and cls.lower().endswith(_CONFIG_CLASS_SUFFIXES):
        apply(hooks, analyzer, name, value, span, dev=is_dev(cls))


def attribute_setting(hooks, analyzer: Analyzer, target: ir.Attr, value: Value, span: ir.Span) -> None:
    """``app.debug = True`` and ``app.secret_key = "..."``."""
    if target.name == "debug" and value.const is True and not _dev_file(hooks):
        analyzer.report("debug-mode-enabled", span, "debug mode switched on")
    elif target.name == "secret_key" and not _dev_file(hooks):
        _secret(hooks, analyzer, "secret_key", value, span)


@on_method("update", "from_mapping")
def config_update(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    func = event.node.func
    if isinstance(func, ir.Attr) and isinstance(func.obj, ir.Attr) and func.obj.name == "config":
        for name, value in event.kwargs.items():
            apply(hooks, analyzer, name, value, event.node.span)


@on_call("fastapi.FastAPI", "starlette.applications.Starlette", "quart.Quart")
def app_debug(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    debug = event.kwargs.get("debug")
    if debug is not None and debug.const is True and not _dev_file(hooks):
        analyzer.report("debug-mode-enabled", event.node.span, f"{event.qual.rsplit('.', 1)[-1]}(debug=True)")


def _any_origin(value: Value | None) -> bool:
    if value is None:
        return False
    const = value.const
    if const == "*" or (isinstance(const, (list, tuple)) and "*" in const):
        return True
    return isinstance(const, dict) and any(_any_origin(Value(const=v.get("origins"))) for v in const.values() if isinstance(v, dict))


def _cors(analyzer: Analyzer, span: ir.Span, credentials: Value | None, what: str = "every origin allowed") -> None:
    """With credentials any site reads the user's data (high); without, only what an anonymous visitor may (medium)."""
    if credentials is not None and credentials.const is True:
        analyzer.report("cors-misconfiguration", span, f"{what} together with credentials")
    else:
        analyzer.report("cors-misconfiguration", span, what, data={"severity": Severity.MEDIUM})


@on("finish")
def django_cors(hooks, analyzer: Analyzer) -> None:
    """django-cors-headers: ``CORS_ALLOW_ALL_ORIGINS = True``, worse with ``CORS_ALLOW_CREDENTIALS = True`` anywhere in the file."""
    credentials = hooks.settings.get("CORS_ALLOW_CREDENTIALS", (None, None))[0]
    for name in _CORS_ALL:
        for value, span in hooks.setting_history.get(name, ()):
            if value.const is True:
                _cors(analyzer, span, credentials, f"{name} = True allows every origin")


@on_call("flask_cors.CORS", "flask_cors.cross_origin")
def flask_cors(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    """flask-cors allows every origin unless ``origins`` (or per-resource origins) say otherwise."""
    origins, resources = event.kwargs.get("origins"), event.kwargs.get("resources")
    if event.splats or (origins is not None and not origins.is_const):
        return
    if origins is None and resources is not None and not _any_origin(resources):
        return
    if origins is None or _any_origin(origins):
        _cors(analyzer, event.node.span, event.kwargs.get("supports_credentials"))


@on_method("add_middleware")
def cors_middleware(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    middleware = event.arg(0)
    if middleware is None or not (middleware.qual or "").endswith("CORSMiddleware"):
        return
    regex = event.kwargs.get("allow_origin_regex")
    if _any_origin(event.kwargs.get("allow_origins")) or (regex is not None and regex.const in _ANY_ORIGIN_REGEXES):
        _cors(analyzer, event.node.span, event.kwargs.get("allow_credentials"))

