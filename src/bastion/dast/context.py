"""The state one run shares between its checks: the client, the identities, what was learned, what was found.

Checks ask the context for a valid request to an operation (``request``),
send it as an identity (``send``: credentials added, a 401 answered by one
fresh login, ids in JSON answers remembered for later requests), and hand
confirmed findings to ``report``. Nothing here decides what is a flaw.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from bastion.dast import evidence
from bastion.dast.auth import AuthConfig, Identity, Sessions
from bastion.dast.client import Client, Exchange, Request
from bastion.dast.options import DastOptions
from bastion.dast.spec import Operation, Parameter
from bastion.dast.values import example
from bastion.core.model import Endpoint, Finding, Location, Note, Rule

ParamKey = tuple[str, str]  # (location, name)


@dataclass
class Learned:
    """Ids seen in an identity's responses: ``(collection path, key) -> value`` and ``key -> value``."""

    by_collection: dict[tuple[str, str], Any] = field(default_factory=dict)
    by_key: dict[str, Any] = field(default_factory=dict)


class RunContext:
    def __init__(self, options: DastOptions, client: Client, auth: AuthConfig, sessions: Sessions,
                 operations: list[Operation], rules: dict[str, Rule], canary=None) -> None:
        self.options = options
        self.client = client
        self.auth = auth
        self.sessions = sessions
        self.operations = operations
        self.rules = rules
        self.canary = canary
        self.findings: list[Finding] = []
        self.notes: list[Note] = []
        self.baselines: dict[str, Exchange] = {}
        self.learned: dict[str, Learned] = {}
        self.observers: list[Callable[["RunContext", Operation, Exchange], None]] = []
        self._reported: set[tuple[str, str, str]] = set()
        self._lock = threading.Lock()

    # --- which operations may be sent, and how ---------------------------------------------------

    @property
    def primary(self) -> Identity | None:
        """The identity ordinary checks act as: the first non-admin one, else the first."""
        users = [i for i in self.auth.identities if not i.is_admin]
        return (users or self.auth.identities or [None])[0]

    def sendable(self, op: Operation) -> bool:
        if op.key in self.auth.skip:
            return False
        destructive = op.method == "DELETE" or op.key in self.auth.destructive
        return self.options.allow_destructive or not destructive

    def fuzzable(self, op: Operation) -> bool:
        """Payloads may go into this operation: not skipped, not valid-only, not a login (credentials are never fuzzed)."""
        return self.sendable(op) and op.key not in self.auth.valid_only and op.key not in self.auth.login_keys()

    def values(self, op: Operation, identity: Identity | None) -> dict[ParamKey, Any]:
        """A valid value for every parameter: the identity's own, one learned from responses, else an example."""
        own = identity.params if identity else {}
        learned = self.learned.get(identity.name if identity else "", Learned())
        chosen: dict[ParamKey, Any] = {}
        for param in op.parameters:
            if param.location in ("header", "cookie") and not param.required:
                continue
            if param.name in own:
                value = own[param.name]
            elif param.location == "path" and (value := self.learned_id(op, param, learned)) is not None:
                pass
            else:
                value = example(param.schema, param.name)
            chosen[(param.location, param.name)] = value
        return chosen

    def learned_id(self, op: Operation, param: Parameter, learned: Learned) -> Any:
        """An id the identity's own answers gave for ``param``: from the collection above it, else by key."""
        collection = op.path.split("{" + param.name + "}")[0].rstrip("/")
        for key in (param.name, "id"):
            if (collection, key) in learned.by_collection:
                return learned.by_collection[(collection, key)]
        return learned.by_key.get(param.name)

    def request(self, op: Operation, values: dict[ParamKey, Any], override: tuple[Parameter, Any] | None = None,
                raw_query: tuple[tuple[str, str], ...] = ()) -> Request:
        """The request for ``op`` with ``values``; ``override`` puts one value (a payload) into one parameter."""
        merged = dict(values)
        if override is not None:
            param, payload = override
            merged[(param.location, param.name)] = payload
        path = op.path
        query, headers, cookies, body, form = [], [], [], {}, []
        for (location, name), value in merged.items():
            text = value if isinstance(value, str) else _text(value)
            if location == "path":
                path = path.replace("{" + name + "}", quote(text, safe=""))
            elif location == "query":
                query.extend((name, _text(v)) for v in value) if isinstance(value, list) else query.append((name, text))
            elif location == "header":
                headers.append((name, text))
            elif location == "cookie":
                cookies.append((name, text))
            elif location == "body":
                body[name] = value
            elif location == "form":
                form.append((name, text))
        return Request(op.method, path, tuple(query) + raw_query, tuple(headers), tuple(cookies),
                       json=body if op.body_kind == "body" else None,
                       form=tuple(form) if op.body_kind == "form" else None)

    # --- sending ---------------------------------------------------------------------------------

    def send(self, op: Operation | None, request: Request, identity: Identity | None, *, timeout: float | None = None,
             observe: bool = True) -> Exchange:
        """Send as ``identity`` (None: anonymous); on a 401 with a login configured, log in again once and retry."""
        exchange = self._send_as(op, request, identity, timeout, fresh=False)
        if exchange.status == 401 and identity is not None and identity.login is not None:
            exchange = self._send_as(op, request, identity, timeout, fresh=True)
        if identity is not None and exchange.ok:
            self._learn(op, identity, exchange)
        if observe and op is not None:
            for observer in self.observers:
                observer(self, op, exchange)
        return exchange

    def _send_as(self, op, request: Request, identity, timeout, fresh: bool) -> Exchange:
        headers, cookies = self.sessions.credentials(identity, fresh=fresh)
        names = {k.lower() for k, _ in request.headers}
        extra = tuple((k, v) for k, v in headers.items() if k.lower() not in names)
        cookie_names = {k for k, _ in request.cookies}
        sent = Request(request.method, request.path, request.query, request.headers + extra,
                       request.cookies + tuple((k, v) for k, v in cookies.items() if k not in cookie_names),
                       request.json, request.form, request.raw_body, request.follow_redirects)
        return self.client.send(sent, operation=op.key if op else None, timeout=timeout)

    def _learn(self, op: Operation | None, identity: Identity, exchange: Exchange) -> None:
        data = exchange.json()
        if op is None or data is None:
            return
        collection = op.path.rstrip("/")
        if "{" in collection.rsplit("/", 1)[-1]:
            collection = collection.rsplit("/", 1)[0]
        items = data if isinstance(data, list) else [data]
        if isinstance(data, dict):
            items += [v for v in data.values() if isinstance(v, list)][:1]
            items = [i for group in items for i in (group if isinstance(group, list) else [group])]
        with self._lock:
            learned = self.learned.setdefault(identity.name, Learned())
            for item in items[:50]:
                if not isinstance(item, dict):
                    continue
                for key, value in item.items():
                    if isinstance(value, (int, str)) and not isinstance(value, bool) and _id_like(key):
                        learned.by_collection.setdefault((collection, key), value)
                        learned.by_key.setdefault(key, value)

    # --- reporting -------------------------------------------------------------------------------

    def secrets(self) -> tuple[str, ...]:
        """Every credential value this run holds, masked in all evidence."""
        values = []
        for identity in self.auth.identities:
            values += list(identity.headers.values()) + list(identity.cookies.values())
            if identity.login:
                body = identity.login.json or identity.login.form or {}
                values += [str(v) for k, v in body.items() if "pass" in k.lower() or "secret" in k.lower()]
            values += self.sessions.live_values(identity)
        return tuple(v for v in values if len(v) >= 4)

    def reported(self, rule_id: str, op: Operation, parameter: str | None) -> bool:
        """Whether this rule already has a finding here (a later technique need not spend requests on it)."""
        with self._lock:
            return (rule_id, op.key, parameter or "") in self._reported

    def report(self, rule_id: str, op: Operation | None, parameter: str | None, message: str,
               proof: Exchange, *, path: str | None = None, **properties: Any) -> None:
        """One confirmed finding; the same rule, operation and parameter are reported once."""
        key = (rule_id, op.key if op else (path or "/"), parameter or "")
        with self._lock:
            if key in self._reported:
                return
            self._reported.add(key)
        rule = self.rules[rule_id]
        method = op.method if op else proof.request.method
        template = op.path if op else (path or "/")
        url = f"{self.client.target}{template}"
        secrets = self.secrets()
        endpoint = Endpoint(method, url, parameter, evidence.request_text(proof, secrets), evidence.response_text(proof, secrets))
        location = Location(op.source.rsplit(":", 1)[0], int(op.source.rsplit(":", 1)[1])) if op and op.source else Location(url, 1)
        finding = rule.finding(message, location, endpoint=endpoint, language=None, snippet="",
                               fingerprint_key=f"{method} {template} {parameter or ''}",
                               properties={k: v for k, v in properties.items() if v is not None})
        with self._lock:
            self.findings.append(finding)

    def note(self, kind: str, message: str) -> None:
        with self._lock:
            self.notes.append(Note(kind, message))


def _id_like(key: str) -> bool:
    lowered = key.lower()
    return lowered == "id" or lowered.endswith("_id") or key.endswith("Id") or lowered in ("uuid", "slug")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)
