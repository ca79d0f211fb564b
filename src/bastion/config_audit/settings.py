"""Framework settings checks: Django settings modules and Flask/FastAPI app configuration.

Only settings-level assignments are read (``DEBUG = True``,
``app.config["DEBUG"] = True``, the CORS middleware's arguments); code-level
weaknesses belong to the Python SAST engine. The module is parsed with
:func:`ast.parse`, never imported; only literals are evaluated.
"""

from __future__ import annotations

import ast
import posixpath
from typing import Any, Iterator

from bastion.config_audit.base import A05, A07, Emitter, rule
from bastion.model import Confidence, Finding, Severity

PY = ("python",)
_DJANGO_DEPLOY = "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/"

DJANGO_DEBUG = rule(
    "django-debug-enabled", "Django DEBUG enabled", "high", "high", (489, 215), A05, PY,
    what="`DEBUG = True` in a Django settings module that is not a development or test settings file.",
    why="Debug pages show source code, settings (with secrets redacted only by name) and SQL to anyone who "
        "triggers an error.",
    vulnerable="DEBUG = True", fixed='DEBUG = os.environ.get("DJANGO_DEBUG") == "1"',
    references=(_DJANGO_DEPLOY,))

ALLOWED_HOSTS = rule(
    "django-allowed-hosts-wildcard", "ALLOWED_HOSTS accepts any host", "medium", "high", (644, 20), A05, PY,
    what="`ALLOWED_HOSTS` contains `'*'`.",
    why="Django then trusts any Host header: password-reset links and absolute URLs can point at an attacker's "
        "domain (host header poisoning).",
    vulnerable="ALLOWED_HOSTS = ['*']", fixed="ALLOWED_HOSTS = ['example.com', 'www.example.com']",
    references=(_DJANGO_DEPLOY, "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts"))

SECRET_KEY = rule(
    "hardcoded-secret-key", "Framework secret key in the source", "high", "high", (798, 321), A07, PY,
    what="Django `SECRET_KEY`, Flask `SECRET_KEY`/`app.secret_key` assigned a string literal (or used as the "
         "fallback of `os.environ.get`).",
    why="The key signs sessions, password-reset tokens and CSRF tokens: anyone with the repository can forge "
        "them, and for pickle-based sessions run code.",
    vulnerable='SECRET_KEY = "django-insecure-k3y"', fixed='SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
    references=(_DJANGO_DEPLOY, "https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY"))

INSECURE_COOKIE = rule(
    "insecure-cookie-settings", "Session or CSRF cookie without Secure/HttpOnly", "medium", "high", (614, 1004),
    A05, PY,
    what="`SESSION_COOKIE_SECURE`, `CSRF_COOKIE_SECURE` or `SESSION_COOKIE_HTTPONLY` set to False (Django or "
         "Flask config).",
    why="Without Secure the session cookie is sent over plain HTTP and can be sniffed; without HttpOnly any XSS "
        "can read it.",
    vulnerable="SESSION_COOKIE_SECURE = False", fixed="SESSION_COOKIE_SECURE = True",
    references=(_DJANGO_DEPLOY,
                "https://flask.palletsprojects.com/en/stable/security/#set-cookie-options"))

MISSING_MIDDLEWARE = rule(
    "django-security-middleware-missing", "Django security middleware missing", "medium", "high", (693, 352), A05,
    PY,
    what="`MIDDLEWARE` lacks SecurityMiddleware, CsrfViewMiddleware or XFrameOptionsMiddleware.",
    why="Without them Django sends no HSTS or nosniff headers, accepts cross-site POSTs and can be framed.",
    vulnerable="MIDDLEWARE = [\n    'django.contrib.sessions.middleware.SessionMiddleware',\n"
               "    'django.middleware.common.CommonMiddleware',\n]",
    fixed="MIDDLEWARE = [\n    'django.middleware.security.SecurityMiddleware',\n"
          "    'django.contrib.sessions.middleware.SessionMiddleware',\n"
          "    'django.middleware.common.CommonMiddleware',\n    'django.middleware.csrf.CsrfViewMiddleware',\n"
          "    'django.middleware.clickjacking.XFrameOptionsMiddleware',\n]",
    references=("https://docs.djangoproject.com/en/stable/ref/middleware/",))

APP_DEBUG = rule(
    "app-debug-enabled", "Flask or FastAPI debug mode in app configuration", "high", "high", (489, 215), A05, PY,
    what="`app.debug = True`, `app.config['DEBUG'] = True`, `app.config.update(DEBUG=True)`, `FastAPI(debug=True)` "
         "or `DEBUG = True` in a production config class.",
    why="Flask's debugger runs arbitrary Python for whoever reaches it; FastAPI/Starlette debug mode returns "
        "tracebacks to clients.",
    vulnerable='app.config["DEBUG"] = True', fixed='app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"',
    references=("https://flask.palletsprojects.com/en/stable/debugging/",
                "https://fastapi.tiangolo.com/reference/fastapi/#fastapi.FastAPI--example"))

PERMISSIVE_CORS = rule(
    "permissive-cors", "CORS allows any origin", "medium", "high", (942, 346), A05, PY,
    what="CORS configured for every origin: `CORSMiddleware(allow_origins=['*'])`, `CORS(app)` without origins, "
         "`CORS_ALLOW_ALL_ORIGINS = True`; worse with credentials allowed.",
    why="Any website can read the API's responses from a visitor's browser; with credentials that includes "
        "their private data.",
    vulnerable='app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)',
    fixed='app.add_middleware(CORSMiddleware, allow_origins=["https://app.example.com"], allow_credentials=True)',
    references=("https://portswigger.net/web-security/cors",
                "https://fastapi.tiangolo.com/tutorial/cors/"))

RULES = (DJANGO_DEBUG, ALLOWED_HOSTS, SECRET_KEY, INSECURE_COOKIE, MISSING_MIDDLEWARE, APP_DEBUG, PERMISSIVE_CORS)

_COOKIE_FLAGS = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY")
_REQUIRED_MIDDLEWARE = {"SecurityMiddleware": "django.middleware.security.SecurityMiddleware",
                        "CsrfViewMiddleware": "django.middleware.csrf.CsrfViewMiddleware",
                        "XFrameOptionsMiddleware": "django.middleware.clickjacking.XFrameOptionsMiddleware"}
_DEV_NAMES = ("dev", "local", "test", "debug")


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return ...


def _is_dev_file(path: str) -> bool:
    name = posixpath.basename(path).lower()
    return any(word in name for word in _DEV_NAMES)


def _subscript_key(node: ast.AST) -> str | None:
    """``app.config["DEBUG"]`` -> ``DEBUG``."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "config":
        key = _literal(node.slice)
        return key if isinstance(key, str) else None
    return None


def _setting_name(target: ast.AST) -> str | None:
    """The setting an assignment target names: module/class constants and ``app.config[...]`` keys."""
    if isinstance(target, ast.Name) and target.id.isupper():
        return target.id
    if isinstance(target, ast.Attribute) and target.attr in ("debug", "secret_key"):
        return target.attr.upper()
    return _subscript_key(target)


def check(emit: Emitter, module: ast.Module) -> Iterator[Finding]:
    dev = _is_dev_file(emit.file.path)
    django = any(isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id in (
        "INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF") for t in n.targets) for n in module.body)
    for node, class_name in _assignments(module):
        for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
            name = _setting_name(target)
            if name and node.value is not None:
                yield from _setting(emit, name, node.value, node.lineno, dev or _is_dev_name(class_name), django,
                                    isinstance(target, ast.Name) and class_name is None)
    for call in (n for n in ast.walk(module) if isinstance(n, ast.Call)):
        yield from _call(emit, call, dev)


def _is_dev_name(class_name: str | None) -> bool:
    return class_name is not None and any(word in class_name.lower() for word in _DEV_NAMES)


def _assignments(module: ast.Module) -> Iterator[tuple[ast.Assign | ast.AnnAssign, str | None]]:
    """Module-level assignments, assignments in config classes, and ``app.config[...] = `` anywhere at top level."""
    for node in module.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            yield node, None
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.Assign, ast.AnnAssign)):
                    yield item, node.name
        elif isinstance(node, ast.FunctionDef):
            for item in ast.walk(node):
                if isinstance(item, ast.Assign) and any(_subscript_key(t) or isinstance(t, ast.Attribute)
                                                        for t in item.targets):
                    yield item, None


def _setting(emit: Emitter, name: str, value: ast.AST, line: int, dev: bool, django: bool,
             module_level: bool) -> Iterator[Finding]:
    literal = _literal(value)
    if name == "DEBUG" and literal is True and not dev:
        if django and module_level:
            yield emit(DJANGO_DEBUG, "DEBUG = True in a Django settings module", line)
        elif not module_level or not django:
            yield emit(APP_DEBUG, "debug mode enabled in the app configuration", line)
    elif name == "ALLOWED_HOSTS" and isinstance(literal, (list, tuple)) and "*" in literal:
        yield emit(ALLOWED_HOSTS, "ALLOWED_HOSTS contains '*'", line)
    elif name == "SECRET_KEY":
        if isinstance(literal, (str, bytes)) and literal and not dev:
            yield emit(SECRET_KEY, "secret key is a literal in the source", line)
        elif isinstance(value, ast.Call) and _env_fallback(value):
            yield emit(SECRET_KEY, "secret key falls back to a literal when the variable is unset", line,
                       confidence=Confidence.MEDIUM)
    elif name in _COOKIE_FLAGS and literal is False:
        yield emit(INSECURE_COOKIE, f"{name} = False", line)
    elif name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL") and literal is True:
        yield emit(PERMISSIVE_CORS, f"{name} = True allows every origin", line)
    elif name == "MIDDLEWARE" and isinstance(literal, (list, tuple)) and django:
        missing = [short for short, full in _REQUIRED_MIDDLEWARE.items() if full not in literal]
        if missing:
            yield emit(MISSING_MIDDLEWARE, f"MIDDLEWARE lacks {', '.join(missing)}", line)


def _env_fallback(call: ast.Call) -> bool:
    """``os.environ.get("K", "literal")`` / ``os.getenv("K", "literal")``."""
    func = call.func
    named = isinstance(func, ast.Attribute) and func.attr in ("get", "getenv")
    return named and len(call.args) >= 2 and isinstance(_literal(call.args[1]), str) and bool(_literal(call.args[1]))


def _call(emit: Emitter, call: ast.Call, dev: bool) -> Iterator[Finding]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    if name in ("update", "from_mapping") and isinstance(func, ast.Attribute) and \
            isinstance(func.value, ast.Attribute) and func.value.attr == "config":
        if _literal(keywords.get("DEBUG", ast.Constant(None))) is True and not dev:
            yield emit(APP_DEBUG, "DEBUG=True in app.config", call.lineno)
        if isinstance(_literal(keywords.get("SECRET_KEY", ast.Constant(None))), str):
            yield emit(SECRET_KEY, "secret key is a literal in the source", call.lineno)
    elif name in ("FastAPI", "Starlette", "Quart") and _literal(keywords.get("debug", ast.Constant(None))) is True \
            and not dev:
        yield emit(APP_DEBUG, f"{name}(debug=True)", call.lineno)
    elif name == "add_middleware" and call.args and _name(call.args[0]) == "CORSMiddleware":
        yield from _cors(emit, call.lineno, keywords, "allow_origins", "allow_credentials", "allow_origin_regex")
    elif name == "CORS":
        yield from _cors(emit, call.lineno, keywords, "origins", "supports_credentials", None,
                         default_any="origins" not in keywords and "resources" not in keywords)


def _name(node: ast.AST) -> str:
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _cors(emit: Emitter, line: int, keywords: dict, origins_key: str, credentials_key: str, regex_key: str | None,
          default_any: bool = False) -> Iterator[Finding]:
    origins = _literal(keywords[origins_key]) if origins_key in keywords else None
    wildcard = default_any or origins == "*" or (isinstance(origins, (list, tuple)) and "*" in origins)
    if regex_key and regex_key in keywords and _literal(keywords[regex_key]) in (".*", "^.*$", ".+"):
        wildcard = True
    if wildcard:
        credentials = _literal(keywords.get(credentials_key, ast.Constant(False))) is True
        yield emit(PERMISSIVE_CORS, "CORS allows every origin" + (" with credentials" if credentials else ""), line,
                   severity=Severity.HIGH if credentials else PERMISSIVE_CORS.severity)

