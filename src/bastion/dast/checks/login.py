"""The password check under attack: user enumeration (a known user with a wrong password and an unknown user
answer differently), missing rate limiting (a bounded burst of failed logins is never slowed or refused) and
missing account lockout (after the burst, the right password still works). Runs last: a working defence may
shut the run out. Sensitive operations the auth file lists get the rate-limit burst too."""

from __future__ import annotations

from bastion.dast.client import Exchange, Request
from bastion.dast.confirm import signature, token
from bastion.dast.context import RunContext

NAME = "login"
PHASE = "burst"

WRONG_PASSWORD = "Bastion-Wrong-Password-1"
_LIMIT_HEADERS = ("retry-after", "x-ratelimit-remaining", "ratelimit-remaining", "ratelimit", "x-rate-limit-remaining")


def run(ctx: RunContext) -> None:
    login = ctx.auth.login
    if login is None and not ctx.auth.sensitive:
        ctx.note("info", "login checks (rate limiting, lockout, user enumeration) need a login operation in the auth file")
    known = next((i for i in ctx.auth.identities if i.credential(login.username_field)), None) if login else None
    if login and known:
        enumeration(ctx, known)
    targets = [(login.key, lambda: _attempt(ctx, token("nouser"), WRONG_PASSWORD))] if login else []
    for key in sorted(ctx.auth.sensitive):
        op = next((o for o in ctx.operations if o.key == key), None)
        if op is not None:
            targets.append((key, lambda op=op: ctx.send(op, ctx.request(op, ctx.values(op, ctx.primary)), None, observe=False)))
    for key, attempt in targets:
        rate_limit(ctx, key, attempt)
    victim = next((i for i in ctx.auth.identities if i.lockout_target and i.credential(login.password_field)), None) if login else None
    if login and victim:
        lockout(ctx, victim)
    elif login:
        ctx.note("info", "account lockout not tested: no identity in the auth file is marked lockout_target")


def _attempt(ctx: RunContext, username: str, password: str) -> Exchange:
    login = ctx.auth.login
    identity = next((i for i in ctx.auth.identities if i.login and i.login.path == login.path), None)
    fields = {login.username_field: username, login.password_field: password}
    op = next((o for o in ctx.operations if o.key == login.key), None)
    if identity is not None and identity.login is not None:
        request = identity.login.body_request(fields)
    elif op is not None:  # shaped by the spec (JSON or form, other required fields filled)
        values = ctx.values(op, None)
        location = op.body_kind or "body"
        values.update({(location, name): value for name, value in fields.items()})
        request = ctx.request(op, values)
    else:
        request = Request(login.method, login.path, json=fields)
    return ctx.client.send(request, operation=login.key)


def enumeration(ctx: RunContext, known) -> None:
    login = ctx.auth.login
    user = str(known.credential(login.username_field))
    wrong = _attempt(ctx, user, WRONG_PASSWORD)
    unknown_name = token("nouser")
    unknown = _attempt(ctx, unknown_name, WRONG_PASSWORD)
    if wrong.ok or signature(wrong, user) == signature(unknown, unknown_name):
        return
    second_name = token("nouser")
    wrong2 = _attempt(ctx, user, WRONG_PASSWORD + "2")
    unknown2 = _attempt(ctx, second_name, WRONG_PASSWORD + "2")
    if signature(wrong2, user) == signature(wrong, user) and signature(unknown2, second_name) == signature(unknown, unknown_name):
        ctx.report("dast-user-enumeration", None, login.username_field,
                   f"{login.key} tells a wrong password ({wrong.status}) from an unknown user ({unknown.status}) "
                   f"with a different answer: attackers learn which accounts exist", unknown2, path=login.path)


def _limited(exchange: Exchange) -> bool:
    return exchange.status in (429, 503) or any(exchange.header(h) for h in _LIMIT_HEADERS)


def rate_limit(ctx: RunContext, key: str, attempt) -> None:
    """A burst of ``options.burst`` attempts plus one: no refusal, no limit header, no slowdown."""
    burst = ctx.options.burst
    answers = [attempt() for _ in range(burst)]
    if any(_limited(a) for a in answers) or any(a.status == 0 for a in answers):
        return
    first = answers[0]
    statuses = {a.status for a in answers}
    slowdown = answers[-1].elapsed > max(1.0, first.elapsed * 5)
    extra = attempt()
    if len(statuses) == 1 and not slowdown and not _limited(extra) and extra.status == first.status:
        method, _, path = key.partition(" ")
        ctx.report("dast-missing-rate-limit", None, None,
                   f"{key}: {burst + 1} attempts in {sum(a.elapsed for a in answers) + extra.elapsed:.1f} s, every one "
                   f"answered {first.status} with no refusal (429), limit header or slowdown",
                   extra, path=path, attempts=burst + 1)


def lockout(ctx: RunContext, victim) -> None:
    login = ctx.auth.login
    user = str(victim.credential(login.username_field))
    password = str(victim.credential(login.password_field))
    tries = min(ctx.options.burst, 20)
    failures = [_attempt(ctx, user, WRONG_PASSWORD) for _ in range(tries)]
    if any(f.ok for f in failures):
        return
    success = _attempt(ctx, user, password)
    if success.ok:
        ctx.report("dast-missing-account-lockout", None, login.username_field,
                   f"{login.key}: after {tries} wrong passwords for '{victim.name}', the right one still logs in "
                   f"({tries + 1} attempts made)", success, path=login.path, attempts=tries + 1)
