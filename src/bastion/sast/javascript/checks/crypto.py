"""Cryptography checks: password hashing, weak ciphers, predictable randomness, timing, JWT."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, get, on, options
from bastion.sast.javascript.checks.bindings import bindings, resolved
from bastion.sast.javascript.semantics import name_class
from bastion.sast.taint import Analyzer, CallEvent, FunctionInfo, Value

_FAST_HASHES = ("md5", "sha1", "sha256", "sha512", "sha384", "sha224", "sha3-256", "sha3-512", "md4", "ripemd160")
_BROKEN_HASHES = ("md5", "md4", "sha1", "ripemd160")
_WEAK_CIPHERS = ("des", "rc4", "rc2", "bf", "blowfish", "cast", "idea", "seed")
_RANDOM_WORDS = ("token", "secret", "password", "passwd", "session", "nonce", "otp", "salt", "apikey", "api_key", "csrf", "resetcode", "verificationcode", "key", "uuid", "guid", "sid")


@on("call:crypto.createHash")
def remember_hash(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    algorithm = const(event.node.args[0]) if event.node.args else None
    if isinstance(algorithm, str):
        hooks.hash_algorithms[event.node.span] = algorithm.lower()
        hooks.state["last-hash"] = algorithm.lower()


@on("assign")
def hash_variable(hooks: Any, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    if value.qual == "crypto.createHash()" and "last-hash" in hooks.state:
        hooks.hash_algorithms[name] = hooks.state["last-hash"]


@on("method:update")
def hashed_input(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    func = event.node.func
    if not isinstance(func, ir.Attr) or not event.args:
        return
    receiver = func.obj
    algorithm = hooks.hash_algorithms.get(receiver.span) if isinstance(receiver, ir.Call) else hooks.hash_algorithms.get(receiver.id) if isinstance(receiver, ir.Name) else None
    if algorithm is None:
        return
    kinds = {l.kind for l in event.args[0].labels}
    if "password" in kinds and algorithm.startswith(_FAST_HASHES):
        analyzer.report("weak-password-hash", event.node.span, f"password hashed with fast unsalted {algorithm}")
    elif "secret" in kinds and algorithm in _BROKEN_HASHES:
        analyzer.report("weak-hash", event.node.span, f"secret hashed with broken {algorithm}")
    elif algorithm in _BROKEN_HASHES and _certificate(event.node.args[0]):
        analyzer.report("weak-hash", event.node.span, f"certificate or public key fingerprinted with broken {algorithm} (a collision forges a matching certificate)")


_CERTIFICATE_WORDS = ("cert", "publickey", "pubkey", "spki")


def _certificate(expr: ir.Expr) -> bool:
    """``cert.raw``, ``socket.getPeerCertificate().raw``, ``publicKeyDer``: the hashed bytes are a certificate or key."""
    while True:
        name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else ""
        if any(word in name.lower().replace("_", "") for word in _CERTIFICATE_WORDS):
            return True
        if isinstance(expr, ir.Call):
            expr = expr.func
        elif isinstance(expr, (ir.Attr, ir.Index)):
            expr = expr.obj
        else:
            return False


@on("call:crypto.pbkdf2", "call:crypto.pbkdf2Sync")
def pbkdf2(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    iterations = const(event.node.args[2]) if len(event.node.args) > 2 else None
    if isinstance(iterations, int) and not isinstance(iterations, bool) and iterations < 100_000:
        analyzer.report("weak-password-hash", event.node.span, f"PBKDF2 with only {iterations} iterations")


@on("call:crypto.createCipher", "call:crypto.createDecipher")
def deprecated_cipher(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("weak-cipher", event.node.span, f"{event.qual}() derives the key with one MD5 round and uses no IV")


@on("call:crypto.createCipheriv", "call:crypto.createDecipheriv")
def cipher_algorithm(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    algorithm = const(event.node.args[0]) if event.node.args else None
    if not isinstance(algorithm, str):
        return
    name = algorithm.lower()
    if name.startswith(_WEAK_CIPHERS):
        analyzer.report("weak-cipher", event.node.span, f"broken cipher {algorithm}")
    elif name.endswith("-ecb") or name == "ecb":
        analyzer.report("ecb-mode", event.node.span, f"{algorithm} encrypts equal blocks to equal ciphertext")


def _weak_random(value: Value) -> bool:
    return any(l.kind == "weak-random" for l in value.labels)


#: Identifiers that only keep books (match a reply to its request, name a DOM element or an instance): guessing one
#: gains nothing, so Math.random() is fine for them.
_BOOKKEEPING_IDS = ("request", "req", "correlation", "instance", "form", "element", "elem", "dom", "html", "trace", "span",
                    "message", "msg", "job", "task", "component", "widget", "listener", "timer", "callback", "event", "tab",
                    "frame", "render", "input", "field", "modal", "dialog", "toast", "notification", "chart", "row",
                    "column", "item", "layer", "tooltip", "animation", "debounce", "retry", "attempt")


def _random_name(name: str) -> bool:
    lowered = name.lower().replace("_", "")
    if name_class(name) is not None or any(w in lowered for w in _RANDOM_WORDS):
        return True
    return lowered.endswith("id") and not lowered[:-2].endswith(_BOOKKEEPING_IDS)


@on("assign")
def random_secret(hooks: Any, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    if "$" not in name and _weak_random(value) and _random_name(name):
        analyzer.report("insecure-random", span, f"'{name}' comes from Math.random(), which is predictable")


@on("store")
def random_field(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    if isinstance(target, ir.Attr) and target.name != "id" and _weak_random(value) and _random_name(target.name):  # el.id: a DOM id
        analyzer.report("insecure-random", span, f"'{target.name}' comes from Math.random(), which is predictable")


def predictable(analyzer: Analyzer, value: Value | None, span: ir.Span, where: str) -> None:
    """A Math.random() value that ends where it must be unguessable, whatever it was called on the way.

    Labels are read directly, not through sanitizers: ``Math.floor(Math.random() * 1e6)`` is a number, no
    longer an injection, but just as predictable.
    """
    if value is not None and _weak_random(value):
        analyzer.report("insecure-random", span, f"a value from Math.random(), which is predictable, {where}")


def random_fields(analyzer: Analyzer, literal: ir.Expr, value: Value, span: ir.Span) -> None:
    """``res.json({ resetCode: Math.floor(Math.random() * 1e6) })``: a secret-named field of a sent object."""
    if not isinstance(literal, ir.Dict):
        return
    for key in literal.keys:
        name = const(key)
        field = value.item(name) if isinstance(name, str) else None
        if field is not None and _weak_random(field) and _random_name(name):
            analyzer.report("insecure-random", span, f"'{name}' comes from Math.random(), which is predictable")


_RANDOM_SINKS = {
    "jsonwebtoken.sign": "signed into a token",
    "bcrypt.hash": "hashed as a password",
    "bcrypt.hashSync": "hashed as a password",
    "bcryptjs.hash": "hashed as a password",
    "bcryptjs.hashSync": "hashed as a password",
    "argon2.hash": "hashed as a password",
}


@on(*(f"call:{name}" for name in _RANDOM_SINKS))
def random_sink(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.args:
        predictable(analyzer, event.args[0], event.node.span, _RANDOM_SINKS[event.qual or ""])


@on("return")
def random_return(hooks: Any, analyzer: Analyzer, value: Value, span: ir.Span, expr: ir.Expr | None) -> None:
    fn = analyzer.current_function
    if fn is not None and not isinstance(expr, (ir.Seq, ir.Dict)) and _weak_random(value) and _random_name(fn.name.split("$")[0].replace("generate", "").replace("create", "").replace("make", "") or "x"):
        analyzer.report("insecure-random", span, f"{fn.name.split('$')[0]}() returns a value from Math.random(), which is predictable")


@on("function")
def forget_hash(hooks: Any, analyzer: Analyzer, fn: FunctionInfo) -> None:
    """The last createHash() algorithm names the next hash variable only within one function."""
    hooks.state.pop("last-hash", None)


_OPAQUE_SIDES = ("length", "size", "byteLength")


def _secret_named(expr: ir.Expr) -> bool:
    """``apiToken``, ``process.env.API_KEY``, ``headers['x-api-key']``: the expression itself names a secret."""
    if isinstance(expr, ir.Name):
        return name_class(expr.id) is not None
    if isinstance(expr, ir.Attr):
        return name_class(expr.name) is not None
    if isinstance(expr, ir.Index) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        return name_class(expr.index.value.replace("-", "_")) is not None
    return False


def _confirmation(expr: ir.Expr) -> bool:
    """``password !== passwordAgain``: a form's confirmation field, not a secret check."""
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else str(getattr(expr.index, "value", "")) if isinstance(expr, ir.Index) else ""
    return any(word in name.lower() for word in ("confirm", "again", "repeat", "retype", "2"))


_EXPECTED_WORDS = ("expected", "signature", "hmac", "digest")


def _expected_secret(expr: ir.Expr) -> bool:
    """The value a check holds a presented secret against: ``process.env.API_KEY``, a constant (``ADMIN_TOKEN``),
    an expected signature or digest (``expectedSignature``, ``hmac``)."""
    names = []
    while isinstance(expr, (ir.Attr, ir.Index)):
        if isinstance(expr, ir.Attr):
            names.append(expr.name)
        elif isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
            names.append(expr.index.value)
        expr = expr.obj
    if isinstance(expr, ir.Name):
        names.append(expr.id)
    if names[-2:] == ["env", "process"]:
        return True
    last = names[0] if names else ""
    return (last.isupper() and len(last) > 1) or any(word in last.lower() for word in _EXPECTED_WORDS)


@on("compare")
def timing(hooks: Any, analyzer: Analyzer, node: ir.Compare, values: list[Value]) -> None:
    """A secret-named side compared with attacker input, or with the secret it is checked against (an environment
    value, a constant, an expected signature). Two secrets the server holds (``connection.token ===
    session.accessToken``: which socket belongs to an expiring session) are a lookup, not an authentication."""
    if len(values) != 2 or node.ops[0] not in ("==", "!="):
        return
    sides = (node.left, node.comparators[0])
    if any(isinstance(s, (ir.Const, ir.UnaryOp)) or (isinstance(s, ir.Attr) and s.name in _OPAQUE_SIDES) for s in sides):
        return
    for (mine, value), (other, other_value) in (((sides[0], values[0]), (sides[1], values[1])), ((sides[1], values[1]), (sides[0], values[0]))):
        if not _secret_named(mine) or other_value.is_const:
            continue
        remote = next((l for l in other_value.real_labels() if l.kind == "remote"), None)  # sorted: not a set's order
        if remote is not None or (_secret_named(other) and not _confirmation(other) and not _confirmation(mine)
                                  and (_expected_secret(mine) or _expected_secret(other))):
            analyzer.report("timing-attack", node.span, "secret compared with ==, which returns at the first differing byte", remote)
            return


@on("call:jsonwebtoken.decode", "call:jose.decodeJwt", "call:jwt-decode", "call:jwt-decode.jwtDecode")
def jwt_decode(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """decode() after a verify() in the same file reads a token already checked (the header, for key lookup)."""
    if hooks.state.get("verified"):
        return
    analyzer.report("jwt-verification-disabled", event.node.span, f"{event.qual}() reads a token without checking its signature")


_ASYMMETRIC_WORDS = ("public", "pubkey", "pub_key", "cert", "pem", "jwk", "asymmetric")


def _hmac_secret(expr: ir.Expr | None, names: dict[str, ir.Expr]) -> bool:
    """``jwt.verify(token, config.secretKey)``, ``process.env.JWT_SECRET``, ``'s3cr3t'``: a shared secret string.
    jsonwebtoken then accepts only HS256/384/512 (version 9 refuses an HMAC secret for RS/ES and ``none`` with a
    key), so leaving ``algorithms`` out opens no algorithm confusion; a public key or certificate does."""
    expr = resolved(expr, names)
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, str) and bool(expr.value) and "-----BEGIN" not in expr.value
    if isinstance(expr, ir.BoolOp):  # process.env.JWT_SECRET || 'dev-secret'
        return all(_hmac_secret(value, names) for value in expr.values)
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else ""
    if isinstance(expr, ir.Index) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        name = expr.index.value
    lowered = name.lower()
    return name_class(name) is not None and "key" != lowered and not any(w in lowered for w in _ASYMMETRIC_WORDS)


@on("call:jsonwebtoken.verify", "call:jsonwebtoken.sign")
def jwt_algorithms(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual == "jsonwebtoken.verify":
        hooks.state["verified"] = True
    third = event.node.args[2] if len(event.node.args) > 2 else None
    opts = options(hooks, third)
    if event.qual == "jsonwebtoken.verify" and _hmac_secret(event.node.args[1] if len(event.node.args) > 1 else None, bindings(hooks, analyzer)):
        pass  # a shared secret: only the HMAC algorithms are accepted whatever the header says
    elif opts is None:
        if event.qual == "jsonwebtoken.verify" and (third is None or (event.args[2].qual or "") in analyzer.functions):
            analyzer.report("jwt-verification-disabled", event.node.span, "jwt.verify() without pinned algorithms accepts whatever the token's header names", confidence="low")
        return
    elif event.qual == "jsonwebtoken.verify" and get(opts, "algorithms") is None and not any(k is None for k in opts.keys):
        analyzer.report("jwt-verification-disabled", event.node.span, "jwt.verify() without pinned algorithms accepts whatever the token's header names", confidence="low")
    if opts is None:
        return
    algorithms = get(opts, "algorithms") or get(opts, "algorithm")
    names = [const(i) for i in algorithms.items] if isinstance(algorithms, ir.Seq) else [const(algorithms)]
    if any(isinstance(n, str) and n.lower() == "none" for n in names):
        analyzer.report("jwt-none-algorithm", event.node.span, "JWT algorithm 'none' accepts unsigned tokens")
    if event.qual == "jsonwebtoken.verify" and len(event.node.args) > 1 and isinstance(event.node.args[1], ir.Const) and not const(event.node.args[1]):
        analyzer.report("jwt-verification-disabled", event.node.span, "jwt.verify() with an empty key")

