"""JSON Web Token weaknesses, on the token an identity logs in with: ``alg: none`` accepted, signature not
checked, an HMAC key from a wordlist of weak keys (cracked offline, then proven by a token we sign), and expired
tokens accepted. Each is proven against a "witness" operation that refuses a garbage token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from importlib import resources
from typing import Any

from bastion.dast.client import Exchange
from bastion.dast.confirm import signature, token
from bastion.dast.context import RunContext
from bastion.dast.spec import Operation

NAME = "jwt"
PHASE = "global"

_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def decode(jwt: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Header and claims of a JWT, or None when it is not one (never raises)."""
    parts = jwt.split(".")
    if len(parts) != 3:
        return None
    try:
        header, claims = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
    except (ValueError, UnicodeDecodeError):
        return None
    return (header, claims) if isinstance(header, dict) and isinstance(claims, dict) else None


def encode(header: dict, claims: dict, key: bytes | None) -> str:
    signing_input = f"{b64url(json.dumps(header, separators=(',', ':')).encode())}.{b64url(json.dumps(claims, separators=(',', ':')).encode())}"
    if key is None:
        return signing_input + "."
    digest = _HMAC[header["alg"]]
    return f"{signing_input}.{b64url(hmac.new(key, signing_input.encode(), digest).digest())}"


def weak_keys() -> list[str]:
    text = resources.files("bastion.dast").joinpath("jwt_keys.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def crack(jwt: str) -> str | None:
    """The wordlist key that produced this token's HMAC signature, if any (offline: no request is sent)."""
    decoded = decode(jwt)
    if decoded is None or decoded[0].get("alg") not in _HMAC:
        return None
    signing_input, _, sig = jwt.rpartition(".")
    digest = _HMAC[decoded[0]["alg"]]
    try:
        wanted = b64url_decode(sig)
    except ValueError:
        return None
    for key in weak_keys():
        if hmac.compare_digest(hmac.new(key.encode(), signing_input.encode(), digest).digest(), wanted):
            return key
    return None


class _Witness:
    """An operation the identity's token opens and a garbage token does not: the yardstick for forged tokens."""

    def __init__(self, ctx: RunContext, op: Operation, header_name: str, prefix: str, valid: Exchange) -> None:
        self.ctx, self.op, self.header_name, self.prefix, self.valid = ctx, op, header_name, prefix, valid

    def send(self, jwt: str) -> Exchange:
        request = self.ctx.request(self.op, self.ctx.values(self.op, self.ctx.primary))
        return self.ctx.send(self.op, request.with_headers(**{self.header_name: self.prefix + jwt}), None, observe=False)

    def accepts(self, jwt: str) -> Exchange | None:
        answer = self.send(jwt)
        return answer if answer.ok and signature(answer) == signature(self.valid) else None


def _witness(ctx: RunContext, jwt: str) -> _Witness | None:
    identity = ctx.primary
    headers, _ = ctx.sessions.credentials(identity)
    name = next((k for k, v in headers.items() if v.endswith(jwt)), None)
    if name is None:
        return None
    prefix = headers[name][: -len(jwt)]
    for op in ctx.operations:
        if op.method != "GET" or not ctx.sendable(op) or op.key in ctx.auth.login_keys():
            continue
        request = ctx.request(op, ctx.values(op, identity))
        valid = ctx.send(op, request, identity, observe=False)
        if not valid.ok:
            continue
        witness = _Witness(ctx, op, name, prefix, valid)
        garbage = witness.send(f"{b64url(b'{}')}.{b64url(b'{}')}.{b64url(token().encode())}")
        if garbage.status in (401, 403):
            return witness
    return None


def run(ctx: RunContext) -> None:
    if ctx.primary is None:
        return
    jwt = ctx.sessions.token(ctx.primary)
    decoded = decode(jwt) if jwt else None
    if decoded is None:
        return
    witness = _witness(ctx, jwt)
    if witness is None:
        ctx.note("info", "JWT checks skipped: no GET operation accepts the identity's token and refuses a garbage one")
        return
    header, claims = decoded
    for alg in ("none", "None", "NONE"):
        forged = encode({**header, "alg": alg}, claims, None)
        proof = witness.accepts(forged)
        if proof and witness.accepts(encode({**header, "alg": alg}, {**claims, "bstn": token()}, None)):
            ctx.report("dast-jwt-none-alg", witness.op, None,
                       f"{witness.op.key} accepts a token with \"alg\": \"{alg}\" and no signature: anyone can forge any identity",
                       proof, alg=alg)
            break
    body, _, sig = jwt.rpartition(".")
    tampered = f"{body}.{b64url(hashlib.sha256(token().encode()).digest())}"
    if witness.accepts(tampered):
        retampered = f"{body}.{b64url(hashlib.sha256(token().encode()).digest())}"
        proof = witness.accepts(retampered)
        if proof:
            ctx.report("dast-jwt-signature-not-verified", witness.op, None,
                       f"{witness.op.key} accepts the identity's token with a random signature: the signature is never checked",
                       proof)
            return
    key = crack(jwt)
    if key is None:
        return
    resigned = encode(header, {**claims, "bstn": token()}, key.encode())
    proof = witness.accepts(resigned)
    if proof:
        ctx.report("dast-jwt-weak-key", witness.op, None,
                   f"the HMAC key of the tokens is {key[:2]}… from Bastion's list of weak keys (found offline from the "
                   f"token's signature); a token with new claims signed with it is accepted by {witness.op.key}",
                   proof, alg=header.get("alg"))
        now = int(time.time())
        expired = encode(header, {**claims, "iat": now - 7200, "exp": now - 3600}, key.encode())
        late = witness.accepts(expired)
        if late and witness.accepts(encode(header, {**claims, "iat": now - 7300, "exp": now - 3700}, key.encode())):
            ctx.report("dast-jwt-expired-accepted", witness.op, None,
                       f"{witness.op.key} accepts a correctly signed token that expired an hour ago", late)
