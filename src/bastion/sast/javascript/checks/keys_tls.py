"""Node crypto and TLS settings: constant IVs, short keys, PKCS#1 v1.5 encryption, obsolete TLS, tokens that never expire."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.javascript.checks import const, get, has_spread, on, options
from bastion.sast.javascript.checks.bindings import bindings, dotted, qualified
from bastion.sast.taint import Analyzer, CallEvent, Value

_MIN_RSA_BITS = 2048
#: Curves below 224 bits (NIST SP 800-57): brute force is within reach.
_WEAK_CURVES = frozenset({"secp112r1", "secp112r2", "secp128r1", "secp128r2", "secp160k1", "secp160r1", "secp160r2",
                          "secp192k1", "prime192v1", "prime192v2", "prime192v3", "P-192", "sect113r1", "sect131r1",
                          "sect163k1", "sect163r1", "sect163r2", "sect193r1", "brainpoolP160r1", "brainpoolP192r1"})
#: Predefined Diffie-Hellman groups of 768 and 1024 bits (Logjam).
_WEAK_DH_GROUPS = frozenset({"modp1", "modp2"})
_OLD_TLS = frozenset({"SSLv2", "SSLv3", "TLSv1", "TLSv1.1"})
_OLD_METHODS = frozenset({"SSLv2_method", "SSLv3_method", "TLSv1_method", "TLSv1_1_method", "SSLv2_client_method",
                          "SSLv3_client_method", "TLSv1_client_method", "TLSv1_1_client_method", "SSLv3_server_method",
                          "TLSv1_server_method", "TLSv1_1_server_method"})


def _constant_bytes(analyzer: Analyzer, expr: ir.Expr | None, names: dict[str, ir.Expr], depth: int = 0) -> bool:
    """A literal, a zero-filled buffer, or a buffer made from literals: the same bytes on every run."""
    if expr is None or depth > 3:
        return False
    if isinstance(expr, ir.Name):
        return _constant_bytes(analyzer, names.get(expr.id), names, depth + 1)
    if isinstance(expr, ir.Const):
        return isinstance(expr.value, (str, bytes)) and bool(expr.value)
    if isinstance(expr, ir.Seq):
        return all(isinstance(item, ir.Const) for item in expr.items)
    if not isinstance(expr, ir.Call):
        return False
    callee = qualified(analyzer, expr.func, names)
    if callee in ("Buffer.alloc", "Uint8Array", "Buffer.allocUnsafe") and expr.args:
        return isinstance(expr.args[0], ir.Const) and (len(expr.args) < 2 or isinstance(expr.args[1], ir.Const))
    if callee == "Buffer.from" and expr.args:
        return _constant_bytes(analyzer, expr.args[0], names, depth + 1) and all(isinstance(a, ir.Const) for a in expr.args[1:])
    return False


@on("call:crypto.createCipheriv", "call:crypto.createDecipheriv")
def static_iv(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """The third argument is the IV or nonce: a constant one encrypts equal messages to equal ciphertext (CBC)
    or reuses the keystream (CTR, GCM: two messages XOR to the XOR of their plaintexts, and GCM's key leaks)."""
    if len(event.node.args) < 3 or isinstance(event.node.args[2], ir.Const) and event.node.args[2].value is None:
        return  # ECB takes null: ecb-mode reports it
    if _constant_bytes(analyzer, event.node.args[2], bindings(hooks, analyzer)):
        analyzer.report("static-iv", event.node.span, f"{event.qual}() with a constant IV/nonce")


def _int(expr: Any) -> int | None:
    value = const(expr)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@on("call:crypto.generateKeyPair", "call:crypto.generateKeyPairSync")
def key_pair_size(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    kind = const(event.node.args[0]) if event.node.args else None
    opts = options(hooks, event.node.args[1] if len(event.node.args) > 1 else None)
    if not isinstance(kind, str) or opts is None:
        return
    bits = _int(get(opts, "modulusLength"))
    curve = const(get(opts, "namedCurve"))
    if kind.lower() in ("rsa", "rsa-pss", "dsa", "dh") and bits is not None and bits < _MIN_RSA_BITS:
        analyzer.report("weak-key-size", event.node.span, f"{bits}-bit {kind.upper()} key (minimum {_MIN_RSA_BITS})")
    elif kind.lower() == "ec" and curve in _WEAK_CURVES:
        analyzer.report("weak-key-size", event.node.span, f"elliptic curve {curve} is below 224 bits")


@on("call:crypto.createDiffieHellman", "call:crypto.getDiffieHellman", "call:crypto.createDiffieHellmanGroup",
    "call:node-forge.pki.rsa.generateKeyPair", "call:node-rsa", "call:crypto.createECDH")
def other_key_size(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    first = event.node.args[0] if event.node.args else None
    if event.qual == "crypto.createDiffieHellman":
        bits = _int(first)
    elif event.qual in ("crypto.getDiffieHellman", "crypto.createDiffieHellmanGroup"):
        bits = 1024 if const(first) in _WEAK_DH_GROUPS else None
    elif event.qual == "crypto.createECDH":
        if const(first) in _WEAK_CURVES:
            analyzer.report("weak-key-size", event.node.span, f"elliptic curve {const(first)} is below 224 bits")
        return
    else:  # forge: generateKeyPair(bits) or ({ bits }); node-rsa: new NodeRSA({ b: bits })
        opts = options(hooks, first)
        bits = _int(first) if opts is None else _int(get(opts, "bits") if event.qual != "node-rsa" else get(opts, "b"))
    if bits is not None and bits < _MIN_RSA_BITS:
        analyzer.report("weak-key-size", event.node.span, f"{bits}-bit key (minimum {_MIN_RSA_BITS})")


@on("call:crypto.publicEncrypt", "call:crypto.privateDecrypt")
def rsa_padding(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """Encryption (not signing) with PKCS#1 v1.5: the padding oracle of Bleichenbacher decrypts messages."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    padding = get(opts, "padding")
    if isinstance(padding, ir.Attr) and padding.name == "RSA_PKCS1_PADDING":
        analyzer.report("weak-rsa-padding", event.node.span, f"{event.qual}() with RSA_PKCS1_PADDING (Bleichenbacher's padding oracle)")


@on("call:node-rsa", "method:setOptions")
def node_rsa_scheme(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if event.method == "setOptions" and not (event.qual or "").startswith("node-rsa"):
        return
    for arg in event.node.args:
        opts = options(hooks, arg)
        if const(get(opts, "encryptionScheme")) == "pkcs1":
            analyzer.report("weak-rsa-padding", event.node.span, "node-rsa encryptionScheme 'pkcs1' (Bleichenbacher's padding oracle)")
            return


@on("call")
def tls_options(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``{ minVersion: 'TLSv1' }``, ``{ secureProtocol: 'TLSv1_method' }`` in the options of any call (https.createServer,
    tls.connect, https.Agent, an HTTP client's agent options): each literal judged once."""
    for arg in event.node.args:
        opts = options(hooks, arg)
        if opts is None or not opts.keys:
            continue
        judged = hooks.state.setdefault("tls-judged", set())
        if opts.span in judged:
            continue
        judged.add(opts.span)
        for key in ("minVersion", "maxVersion"):
            version = const(get(opts, key))
            if version in _OLD_TLS:
                analyzer.report("weak-tls-version", event.node.span, f"{key}: '{version}' allows an obsolete protocol")
        method = const(get(opts, "secureProtocol"))
        if method in _OLD_METHODS:
            analyzer.report("weak-tls-version", event.node.span, f"secureProtocol: '{method}' pins an obsolete protocol")


@on("store")
def tls_default(hooks: Any, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    """``tls.DEFAULT_MIN_VERSION = 'TLSv1'`` lowers the floor of every connection of the process."""
    if isinstance(target, ir.Attr) and target.name == "DEFAULT_MIN_VERSION" and (base.qual or "") == "tls" and value.const in _OLD_TLS:
        analyzer.report("weak-tls-version", span, f"tls.DEFAULT_MIN_VERSION = '{value.const}' for the whole process")


_EXPIRY_OPTIONS = ("expiresIn", "exp")


@on("call:jsonwebtoken.sign")
def jwt_expiry(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``jwt.sign({ sub }, key)`` with neither an ``exp`` claim nor ``expiresIn``: a stolen token works forever."""
    payload = options(hooks, event.node.args[0] if event.node.args else None)
    if payload is None or has_spread(payload) or get(payload, "exp") is not None:
        return  # a payload built elsewhere may carry exp
    third = event.node.args[2] if len(event.node.args) > 2 else None
    opts = options(hooks, third)
    if third is not None and (opts is None or has_spread(opts)):
        if not (event.args[2].qual or "") in analyzer.functions:  # a callback is not options
            return
    if opts is None or not any(get(opts, key) is not None for key in _EXPIRY_OPTIONS):
        analyzer.report("jwt-without-expiry", event.node.span, "token issued without expiresIn or an 'exp' claim")


@on("method:sign")
def jose_expiry(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """jose: ``new SignJWT(claims).setProtectedHeader(...).sign(key)`` with neither ``setExpirationTime`` nor an ``exp`` claim."""
    steps, expr = [], event.node.func.obj if isinstance(event.node.func, ir.Attr) else None
    while isinstance(expr, ir.Call):
        steps.append(expr)
        expr = expr.func.obj if isinstance(expr.func, ir.Attr) else None
    if not steps or not (event.qual or "").startswith("jose.SignJWT"):
        return
    names = [step.func.name if isinstance(step.func, ir.Attr) else dotted(step.func) for step in steps]
    claims = options(hooks, steps[-1].args[0] if steps[-1].args else None)
    if "setExpirationTime" in names or claims is None or has_spread(claims) or get(claims, "exp") is not None:
        return
    analyzer.report("jwt-without-expiry", event.node.span, "SignJWT without setExpirationTime() or an 'exp' claim")


_KDFS = ("crypto.pbkdf2", "crypto.pbkdf2Sync", "crypto.scrypt", "crypto.scryptSync")
_BCRYPT = tuple(f"{lib}.{name}" for lib in ("bcrypt", "bcryptjs") for name in ("hash", "hashSync", "genSalt", "genSaltSync"))
_MIN_BCRYPT_ROUNDS = 10


@on(*(f"call:{name}" for name in _KDFS))
def static_salt(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """``crypto.scryptSync(password, 'salt', 64)``: one salt for every password, so one precomputed table cracks them all."""
    if len(event.node.args) > 1 and _constant_bytes(analyzer, event.node.args[1], bindings(hooks, analyzer)):
        analyzer.report("static-salt", event.node.span, f"{event.qual}() with a constant salt")


@on(*(f"call:{name}" for name in _BCRYPT))
def bcrypt_salt(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """bcrypt.hash(password, '$2b$10$...') reuses one salt; bcrypt.hash(password, 8) or genSalt(8) is too fast."""
    method = (event.qual or "").rsplit(".", 1)[-1]
    salt = event.node.args[0 if method.startswith("genSalt") else 1] if len(event.node.args) > (0 if method.startswith("genSalt") else 1) else None
    rounds = _int(salt)
    if rounds is not None and rounds < _MIN_BCRYPT_ROUNDS:
        analyzer.report("static-salt", event.node.span, f"bcrypt with {rounds} rounds (use 12 or more)")
    elif method.startswith("hash") and isinstance(const(salt), str):
        analyzer.report("static-salt", event.node.span, "bcrypt with a constant salt string")
