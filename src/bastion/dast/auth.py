"""The auth file: who the run acts as, how it logs in, and which operations it must leave alone.

```yaml
identities:                       # two or more for the authorization checks (BOLA, BFLA)
  - name: alice
    role: user                    # "admin" marks the privileged identity
    headers: {X-Api-Key: "..."}   # static credentials, or:
    login:
      request: POST /api/login
      json: {username: alice, password: "..."}     # or form: {...}
      token: {json: access_token}                  # or {header: X-Token} / {cookie: session}
      use: {header: Authorization, prefix: "Bearer "}   # or {cookie: session}
    params: {user_id: 1}          # ids of this identity's own objects, when no response reveals them
    lockout_target: true          # may be locked out by the lockout check
login: {request: POST /api/login, username_field: username, password_field: password}
skip: ["POST /api/logout"]        # never sent
valid_only: ["POST /api/password"]  # sent with valid data only, never fuzzed
destructive: ["POST /api/account/delete"]  # sent only with --allow-destructive
sensitive: ["POST /api/password-reset"]     # burst-tested for rate limiting
admin_operations: ["GET /api/admin/users"]  # a non-admin reaching these is BFLA
```

Credentials are never fuzzed: payloads go into operation parameters, never
into these headers, cookies or login bodies; login operations are valid-only.
A 401 on an identity's request triggers one fresh login (token refresh).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bastion.dast.client import Client, Request
from bastion.dast.options import DastError


class AuthError(DastError):
    """The auth file is malformed, or a login did not yield a token."""


@dataclass(frozen=True)
class LoginSpec:
    method: str
    path: str
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    token_from: tuple[str, str] = ("json", "access_token")  # (json|header|cookie, name or dotted path)
    use_as: tuple[str, str, str] = ("header", "Authorization", "Bearer ")  # (header|cookie, name, prefix)

    def body_request(self, fields: dict[str, Any] | None = None) -> Request:
        if self.form is not None:
            data = {**self.form, **(fields or {})}
            return Request(self.method, self.path, form=tuple((k, str(v)) for k, v in data.items()))
        return Request(self.method, self.path, json={**(self.json or {}), **(fields or {})})


@dataclass
class Identity:
    name: str
    role: str = "user"
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    login: LoginSpec | None = None
    params: dict[str, Any] = field(default_factory=dict)
    lockout_target: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role.lower() in ("admin", "administrator", "superuser", "root")

    def credential(self, field_name: str) -> Any:
        if self.login is None:
            return None
        body = self.login.json if self.login.json is not None else self.login.form or {}
        return body.get(field_name)


@dataclass(frozen=True)
class LoginOperation:
    """The operation that checks a password: rate limiting, lockout and user enumeration aim at it."""

    method: str
    path: str
    username_field: str = "username"
    password_field: str = "password"

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


@dataclass
class AuthConfig:
    identities: list[Identity] = field(default_factory=list)
    login: LoginOperation | None = None
    skip: frozenset[str] = frozenset()
    valid_only: frozenset[str] = frozenset()
    destructive: frozenset[str] = frozenset()
    sensitive: frozenset[str] = frozenset()
    admin_operations: frozenset[str] = frozenset()

    def login_keys(self) -> set[str]:
        keys = {f"{i.login.method} {i.login.path}" for i in self.identities if i.login}
        if self.login:
            keys.add(self.login.key)
        return keys


_LOGIN_PATH = ("login", "signin", "sign-in", "sign_in", "session", "authenticate", "token", "auth")
_USER_FIELDS = ("username", "user", "email", "login", "user_name", "userName")
_PASSWORD_FIELDS = ("password", "passwd", "pass", "pwd")


def infer_login(operations) -> LoginOperation | None:
    """The spec's password check when the auth file names none: a POST on a login-like path taking a user and a
    password field (rate limiting and enumeration aim at it with unknown users only)."""
    for op in operations:
        words = op.path.lower().replace("/", " ").replace("-", " ").split()
        if op.method != "POST" or not any(w in _LOGIN_PATH for w in words):
            continue
        names = {p.name: p for p in op.params("body", "form")}
        user = next((n for n in _USER_FIELDS if n in names), None)
        password = next((n for n in _PASSWORD_FIELDS if n in names), None)
        if user and password:
            return LoginOperation(op.method, op.path, user, password)
    return None


def load_auth(path: str | None) -> AuthConfig:
    if path is None:
        return AuthConfig()
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise AuthError(f"cannot read auth file {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise AuthError(f"auth file {path} is neither JSON nor YAML: {str(exc).splitlines()[0][:200]}") from None
    return parse_auth(data, path)


def parse_auth(data: Any, origin: str = "auth file") -> AuthConfig:
    if not isinstance(data, dict):
        raise AuthError(f"{origin}: the top level must be a mapping")
    known = {"identities", "login", "skip", "valid_only", "destructive", "sensitive", "admin_operations", "headers", "cookies"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise AuthError(f"{origin}: unknown key(s) {', '.join(map(str, unknown))} (known: {', '.join(sorted(known))})")
    identities = [_identity(item, f"{origin}: identities[{n}]") for n, item in enumerate(_list(data, "identities", origin))]
    if "headers" in data or "cookies" in data:
        identities.insert(0, Identity("default", headers=_strings(data.get("headers"), f"{origin}: headers"),
                                      cookies=_strings(data.get("cookies"), f"{origin}: cookies")))
    names = [i.name for i in identities]
    if len(set(names)) != len(names):
        raise AuthError(f"{origin}: identity names must be unique")
    login = None
    if data.get("login") is not None:
        raw = data["login"]
        method, path = _login_request(raw, f"{origin}: login")
        login = LoginOperation(method, path, str(raw.get("username_field", "username")), str(raw.get("password_field", "password")))
    else:
        with_login = next((i for i in identities if i.login), None)
        if with_login and with_login.login:
            login = LoginOperation(with_login.login.method, with_login.login.path)
    sets = {key: frozenset(" ".join(_operation_key(v, f"{origin}: {key}")) for v in _list(data, key, origin))
            for key in ("skip", "valid_only", "destructive", "sensitive", "admin_operations")}
    return AuthConfig(identities, login, **sets)


def _identity(raw: Any, where: str) -> Identity:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise AuthError(f"{where}: each identity needs a 'name'")
    login = None
    if raw.get("login") is not None:
        spec = raw["login"]
        method, path = _login_request(spec, f"{where}: login")
        token = spec.get("token") or {"json": "access_token"}
        use = spec.get("use") or {"header": "Authorization", "prefix": "Bearer "}
        if not isinstance(token, dict) or len(set(token) & {"json", "header", "cookie"}) != 1:
            raise AuthError(f"{where}: login.token must be one of {{json: path}}, {{header: name}}, {{cookie: name}}")
        if not isinstance(use, dict) or len(set(use) & {"header", "cookie"}) != 1:
            raise AuthError(f"{where}: login.use must be {{header: name, prefix: ...}} or {{cookie: name}}")
        source = next(k for k in ("json", "header", "cookie") if k in token)
        target = next(k for k in ("header", "cookie") if k in use)
        form = spec.get("form")
        login = LoginSpec(method, path, json=spec.get("json") if form is None else None,
                          form=_strings(form, f"{where}: login.form") if form is not None else None,
                          token_from=(source, str(token[source])),
                          use_as=(target, str(use[target]), str(use.get("prefix", "Bearer " if target == "header" else ""))))
        if login.json is not None and not isinstance(login.json, dict):
            raise AuthError(f"{where}: login.json must be a mapping")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise AuthError(f"{where}: params must be a mapping")
    return Identity(raw["name"], str(raw.get("role", "user")), _strings(raw.get("headers"), f"{where}: headers"),
                    _strings(raw.get("cookies"), f"{where}: cookies"), login, dict(params), bool(raw.get("lockout_target")))


def _login_request(spec: Any, where: str) -> tuple[str, str]:
    if not isinstance(spec, dict) or "request" not in spec:
        raise AuthError(f"{where} needs a 'request: METHOD /path'")
    return _operation_key(spec["request"], f"{where}.request")


def _operation_key(value: Any, where: str) -> tuple[str, str]:
    parts = str(value).split()
    if len(parts) != 2 or not parts[1].startswith("/"):
        raise AuthError(f"{where}: expected 'METHOD /path', got {value!r}")
    return parts[0].upper(), parts[1]


def _list(data: dict, key: str, origin: str) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise AuthError(f"{origin}: {key} must be a list")
    return value


def _strings(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AuthError(f"{where} must be a mapping of names to values")
    return {str(k): str(v) for k, v in value.items()}


class Sessions:
    """Live credentials per identity: logged in on first use, logged in again when the server says 401."""

    def __init__(self, config: AuthConfig, client: Client) -> None:
        self.config = config
        self.client = client
        self._live: dict[str, tuple[dict[str, str], dict[str, str]]] = {}
        self._lock = threading.Lock()

    @property
    def identities(self) -> list[Identity]:
        return self.config.identities

    def credentials(self, identity: Identity | None, fresh: bool = False) -> tuple[dict[str, str], dict[str, str]]:
        """(headers, cookies) to send as ``identity``; None is the anonymous caller."""
        if identity is None:
            return {}, {}
        with self._lock:
            if fresh or identity.name not in self._live:
                self._live[identity.name] = self._log_in(identity)
            return self._live[identity.name]

    def live_values(self, identity: Identity) -> list[str]:
        """The credential values a logged-in identity sends (masked in evidence), without the scheme word."""
        with self._lock:
            headers, cookies = self._live.get(identity.name, ({}, {}))
        return [v.split()[-1] for v in [*headers.values(), *cookies.values()] if v.split()]

    def token(self, identity: Identity) -> str | None:
        """The bearer token the identity sends, if any (for the JWT checks)."""
        headers, cookies = self.credentials(identity)
        for value in [*headers.values(), *cookies.values()]:
            candidate = value.split()[-1] if value else ""
            if candidate.count(".") == 2:
                return candidate
        return None

    def _log_in(self, identity: Identity) -> tuple[dict[str, str], dict[str, str]]:
        headers, cookies = dict(identity.headers), dict(identity.cookies)
        spec = identity.login
        if spec is None:
            return headers, cookies
        exchange = self.client.send(spec.body_request(), operation=f"{spec.method} {spec.path}")
        if not exchange.ok:
            raise AuthError(f"login of identity {identity.name!r} failed: {spec.method} {spec.path} answered {exchange.status or exchange.error}")
        token = _extract(exchange, spec.token_from)
        if not token:
            raise AuthError(f"login of identity {identity.name!r} returned no token at {spec.token_from[0]} {spec.token_from[1]!r}")
        kind, name, prefix = spec.use_as
        (headers if kind == "header" else cookies)[name] = f"{prefix}{token}"
        return headers, cookies


def _extract(exchange, source: tuple[str, str]) -> str | None:
    kind, name = source
    if kind == "header":
        return exchange.header(name)
    if kind == "cookie":
        for value in exchange.header_values("set-cookie"):
            key, _, rest = value.partition("=")
            if key.strip() == name:
                return rest.split(";", 1)[0]
        return None
    node = exchange.json()
    for part in name.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return str(node) if isinstance(node, (str, int)) and str(node) else None
