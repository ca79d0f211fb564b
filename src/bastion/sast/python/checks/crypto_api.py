"""Cipher, key, TLS, SSH, JWT and randomness misuse, decided on resolved names and constant arguments."""

from __future__ import annotations

from bastion.sast import ir
from bastion.sast.python import fixes
from bastion.sast.python.checks import on, on_call, on_method
from bastion.sast.taint import Analyzer, CallEvent, Value

_WEAK_CIPHERS = {
    "Crypto.Cipher.DES.new": "DES", "Crypto.Cipher.DES3.new": "3DES", "Crypto.Cipher.ARC4.new": "RC4",
    "Crypto.Cipher.ARC2.new": "RC2", "Crypto.Cipher.Blowfish.new": "Blowfish", "Crypto.Cipher.CAST.new": "CAST",
    "Cryptodome.Cipher.DES.new": "DES", "Cryptodome.Cipher.DES3.new": "3DES", "Cryptodome.Cipher.ARC4.new": "RC4",
    "Cryptodome.Cipher.Blowfish.new": "Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES": "3DES",
    "cryptography.hazmat.primitives.ciphers.algorithms.ARC4": "RC4",
    "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish": "Blowfish",
    "cryptography.hazmat.primitives.ciphers.algorithms.CAST5": "CAST5",
    "cryptography.hazmat.primitives.ciphers.algorithms.IDEA": "IDEA",
    "cryptography.hazmat.primitives.ciphers.algorithms.SEED": "SEED",
    "cryptography.hazmat.decrepit.ciphers.algorithms.TripleDES": "3DES",
    "cryptography.hazmat.decrepit.ciphers.algorithms.ARC4": "RC4",
    "pyDes.des": "DES", "pyDes.triple_des": "3DES",
}  # fmt: skip
_PYCRYPTO_NEW = ("Crypto.Cipher.AES.new", "Cryptodome.Cipher.AES.new")
_MODES = "cryptography.hazmat.primitives.ciphers.modes."
_IV_MODES = tuple(_MODES + m for m in ("CBC", "CTR", "GCM", "OFB", "CFB", "CFB8", "XTS"))
_WEAK_PROTOCOLS = {
    "ssl.PROTOCOL_SSLv2", "ssl.PROTOCOL_SSLv3", "ssl.PROTOCOL_TLSv1", "ssl.PROTOCOL_TLSv1_1",
    "OpenSSL.SSL.SSLv2_METHOD", "OpenSSL.SSL.SSLv3_METHOD", "OpenSSL.SSL.TLSv1_METHOD", "OpenSSL.SSL.TLSv1_1_METHOD",
    "ssl.TLSVersion.SSLv3", "ssl.TLSVersion.TLSv1", "ssl.TLSVersion.TLSv1_1",
}  # fmt: skip
_WEAK_CURVES = {"SECP192R1", "SECT163K1", "SECT163R2", "SECP160R1", "SECT233K1", "SECT233R1"}
_TOKEN_PARTS = frozenset({"token", "password", "passwd", "secret", "nonce", "otp", "salt", "csrf", "apikey", "secretkey", "pin", "sessionid", "key" + "gen"})
_RANDOM_FIXES = {"random.choice": "secrets.choice", "random.getrandbits": "secrets.randbits"}


@on_call(*_WEAK_CIPHERS)
def weak_cipher(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("weak-cipher", event.node.span, f"{_WEAK_CIPHERS[event.qual]} is a broken or weak cipher")


@on_call(*_PYCRYPTO_NEW)
def pycryptodome_mode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    mode = event.arg(1, "mode")
    if mode is None or (mode.qual or "").endswith(".MODE_ECB") or mode.const == 1:
        analyzer.report("ecb-mode", event.node.span, "AES in ECB mode leaks plaintext patterns")
        return
    iv = event.kwargs.get("iv") or event.kwargs.get("nonce") or event.arg(2)
    if iv is not None and isinstance(iv.const, (bytes, str)):
        analyzer.report("static-iv", event.node.span, "constant IV/nonce")


@on_call(_MODES + "ECB")
def ecb_mode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("ecb-mode", event.node.span, "ECB mode leaks plaintext patterns")


@on_call(*_IV_MODES)
def static_iv(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    iv = event.arg(0)
    if iv is not None and isinstance(iv.const, (bytes, str)):
        analyzer.report("static-iv", event.node.span, f"{event.qual.rsplit('.', 1)[-1]} mode with a constant IV/nonce")


@on_call(
    "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key",
    "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key",
    "Crypto.PublicKey.RSA.generate", "Cryptodome.PublicKey.RSA.generate", "Crypto.PublicKey.DSA.generate",
)  # fmt: skip
def key_size(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    size = event.kwargs.get("key_size") or event.kwargs.get("bits")
    if size is None:
        size = event.arg(1) if "cryptography" in (event.qual or "") and "rsa" in (event.qual or "") else event.arg(0)
    if size is not None and isinstance(size.const, int) and not isinstance(size.const, bool) and size.const < 2048:
        analyzer.report("weak-key-size", event.node.span, f"{size.const}-bit key (minimum 2048)")


@on_call("cryptography.hazmat.primitives.asymmetric.ec.generate_private_key")
def weak_curve(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    curve = event.arg(0, "curve")
    name = (curve.qual or "").removesuffix("()").rsplit(".", 1)[-1] if curve is not None else ""
    if name in _WEAK_CURVES:
        analyzer.report("weak-key-size", event.node.span, f"elliptic curve {name} is below 224 bits")


@on_call("cryptography.hazmat.primitives.asymmetric.padding.PKCS1v15")
def rsa_padding(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    line = hooks.file.line(event.node.span.line)
    if ".encrypt(" in line or ".decrypt(" in line:
        analyzer.report("weak-rsa-padding", event.node.span, "RSA encryption with PKCS#1 v1.5 padding (Bleichenbacher)")


@on_call("Crypto.Cipher.PKCS1_v1_5.new", "Cryptodome.Cipher.PKCS1_v1_5.new")
def rsa_padding_pycrypto(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("weak-rsa-padding", event.node.span, "RSA encryption with PKCS#1 v1.5 padding (Bleichenbacher)")


@on_call("ssl.SSLContext", "OpenSSL.SSL.Context", "ssl.wrap_socket")
def tls_version(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual == "ssl.wrap_socket":
        analyzer.report("weak-tls-version", event.node.span, "ssl.wrap_socket() is deprecated and does not check host names")
        return
    protocol = event.arg(0, "protocol") or event.arg(0, "method")
    if protocol is not None and protocol.qual in _WEAK_PROTOCOLS:
        analyzer.report("weak-tls-version", event.node.span, f"{protocol.qual} is an obsolete protocol")


@on("store")
def tls_store(hooks, analyzer: Analyzer, target: ir.Expr, base: Value, value: Value, span: ir.Span) -> None:
    if not isinstance(target, ir.Attr):
        return
    if target.name in ("minimum_version", "maximum_version") and value.qual in _WEAK_PROTOCOLS and target.name == "minimum_version":
        analyzer.report("weak-tls-version", span, f"minimum TLS version {value.qual.rsplit('.', 1)[-1]}")
    elif target.name == "verify_mode" and value.qual == "ssl.CERT_NONE":
        analyzer.report("tls-verification-disabled", span, "certificate verification switched off (CERT_NONE)")
    elif target.name == "check_hostname" and value.is_const and value.const is False:
        analyzer.report("tls-verification-disabled", span, "host name checking switched off", confidence="medium")


_VERIFY_CALLS = tuple(
    f"{lib}.{verb}" for lib in ("requests", "httpx") for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
) + ("requests.Session().get", "requests.Session().post", "requests.Session().request", "httpx.Client", "httpx.AsyncClient")


@on_call(*_VERIFY_CALLS)
@on_method("get", "post", "put", "patch", "delete", "request", "head")
def verify_false(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    flag = event.kwargs.get("verify")
    if flag is None or not flag.is_const or flag.const is not False:
        return
    edit = fixes.remove_keyword(hooks.file, event.node, "verify")
    data = {"fix": ("remove verify=False", [edit])} if edit else {}
    analyzer.report("tls-verification-disabled", event.node.span, "TLS certificate verification disabled (verify=False)", data=data)


@on_call("ssl._create_unverified_context", "ssl._create_stdlib_context")
def unverified_context(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("tls-verification-disabled", event.node.span, f"{event.qual}() does not verify certificates")


@on_call("urllib3.PoolManager", "urllib3.HTTPSConnectionPool", "aiohttp.TCPConnector")
@on_method("get", "post", "request")
def pool_cert_none(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    reqs = event.kwargs.get("cert_reqs")
    if reqs is not None and (reqs.const in ("CERT_NONE", "NONE") or reqs.qual == "ssl.CERT_NONE"):
        analyzer.report("tls-verification-disabled", event.node.span, "cert_reqs=CERT_NONE disables verification")
    for key in ("ssl", "verify_ssl"):
        flag = event.kwargs.get(key)
        if flag is not None and flag.is_const and flag.const is False:
            analyzer.report("tls-verification-disabled", event.node.span, f"{key}=False disables verification")


@on_method("set_missing_host_key_policy")
def ssh_policy(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    policy = event.arg(0, "policy")
    name = (policy.qual or "").removesuffix("()") if policy is not None else ""
    if name.endswith(("AutoAddPolicy", "WarningPolicy")):
        analyzer.report("ssh-host-key-unverified", event.node.span, f"{name.rsplit('.', 1)[-1]} accepts unknown host keys")


@on_call("jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode")
def jwt_decode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    verify = event.kwargs.get("verify")
    options = event.kwargs.get("options")
    if (verify is not None and verify.is_const and verify.const is False) or (
        options is not None and isinstance(options.const, dict) and options.const.get("verify_signature") is False
    ):
        analyzer.report("jwt-verification-disabled", event.node.span, "JWT decoded without signature verification")
    algorithms = event.kwargs.get("algorithms")
    if algorithms is not None and isinstance(algorithms.const, (list, tuple)) and any(str(a).lower() == "none" for a in algorithms.const):
        analyzer.report("jwt-none-algorithm", event.node.span, "the 'none' algorithm is accepted")


@on_call("jwt.get_unverified_claims", "jose.jwt.get_unverified_claims", "jwt.api_jwt.decode_complete")
def jwt_unverified(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual.endswith("get_unverified_claims"):
        analyzer.report("jwt-verification-disabled", event.node.span, "claims read without verifying the signature")


@on_call("jwt.encode", "jose.jwt.encode")
def jwt_encode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    algorithm = event.arg(2, "algorithm")
    if algorithm is not None and isinstance(algorithm.const, str) and algorithm.const.lower() == "none":
        analyzer.report("jwt-none-algorithm", event.node.span, "token signed with the 'none' algorithm")
    payload = event.arg(0, "payload")
    if payload is not None and isinstance(payload.const, dict) and "exp" not in payload.const:
        analyzer.report("jwt-without-expiry", event.node.span, "token issued without an 'exp' claim")
    elif isinstance(event.node.args[0] if event.node.args else None, ir.Dict):
        keys = [k.value for k in event.node.args[0].keys if isinstance(k, ir.Const)]
        if None not in event.node.args[0].keys and "exp" not in keys:
            analyzer.report("jwt-without-expiry", event.node.span, "token issued without an 'exp' claim")


def _weak_random(value: Value | None):
    if value is None:
        return None
    for label in value.real_labels():
        if label.kind == "weak-random":
            return label
    return None


def _tokenish(name: str) -> bool:
    """Names of values that must be unguessable: tokens, passwords, salts, session ids, reset codes."""
    parts = set(name.lower().replace("api_key", "apikey").replace("secret_key", "secretkey").split("_"))
    if parts & {"len", "length", "count", "size", "name", "type", "field", "weight"}:
        return False
    if parts & _TOKEN_PARTS:
        return True
    return ("session" in parts and bool(parts & {"id", "key"})) or ("code" in parts and bool(parts & {"reset", "verification", "auth", "confirm", "otp", "login"}))


def _random_fix(hooks, analyzer: Analyzer, label) -> dict:
    """Swap ``random.choice``/``getrandbits`` for the ``secrets`` twin, importing secrets if needed."""
    replacement = _RANDOM_FIXES.get(label.origin)
    source = label.trace[0].span if label.trace else None
    if replacement is None or source is None or source.line != source.end_line:
        return {}
    edits = [fixes.replace_node(source, replacement)]
    if "secrets" not in analyzer.imports:
        line = hooks.import_lines.get("random")
        if line is None:
            return {}
        indent = hooks.file.line(line)[: len(hooks.file.line(line)) - len(hooks.file.line(line).lstrip())]
        edits.insert(0, (line, 1, line, 1, f"{indent}import secrets\n"))
    return {"fix": (f"use {replacement}", edits)}


@on("assign")
def random_assigned(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    label = _weak_random(value)
    if label is not None and _tokenish(name):
        analyzer.report("insecure-random", span, f"'{name}' is generated with the predictable random module", label,
                        sink_note=f"assigned to '{name}'", data=_random_fix(hooks, analyzer, label))


@on("return")
def random_returned(hooks, analyzer: Analyzer, value: Value, span: ir.Span) -> None:
    fn = analyzer.current_function
    label = _weak_random(value)
    reported = any(s.note.startswith("assigned to '") and _tokenish(s.note[13:-1]) for s in label.trace) if label else False
    if label is not None and fn is not None and _tokenish(fn.name) and not reported:
        analyzer.report("insecure-random", span, f"{fn.name}() returns a value from the predictable random module", label,
                        sink_note="returned", data=_random_fix(hooks, analyzer, label))


@on("import")
def remember_random_import(hooks, analyzer: Analyzer, module: str, span: ir.Span) -> None:
    if module == "random" or module.startswith("random."):
        hooks.import_lines.setdefault("random", span.line)


_TIMING_PARTS = frozenset({"token", "secret", "password", "passwd", "signature", "digest", "hmac", "mac", "csrf", "otp", "apikey"})
_NOT_SECRET_PARTS = frozenset({"type", "kind", "keys", "name", "names", "len", "length", "count", "index", "class", "param",
                               "pos", "start", "end", "id", "ids", "url", "path", "file", "field", "size", "format", "prefix",
                               "version", "method", "algorithm", "scheme", "header", "style", "location"})  # fmt: skip
_ROLE_PARTS = frozenset({"expected", "stored", "computed", "valid", "correct", "hash", "hashed", "digest", "signature", "hmac", "mac", "calculated"})


#: Text conversions that keep a secret a secret: ``given.encode() != secret.encode()`` compares the secrets.
_SAME_TEXT = frozenset({"encode", "decode", "strip", "lower", "upper", "casefold"})


def _unwrap(expr: ir.Expr) -> ir.Expr:
    """The operand under text conversions: ``incoming_secret`` in ``incoming_secret.encode("utf-8")``."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.name in _SAME_TEXT:
        expr = expr.func.obj
    return expr


def _parts(expr: ir.Expr) -> set[str]:
    expr = _unwrap(expr)
    name = expr.id if isinstance(expr, ir.Name) else expr.name if isinstance(expr, ir.Attr) else ""
    lowered = name.lower().replace("api_key", "apikey")
    return {p for p in lowered.split("_") if p}


def _secret_operand(expr: ir.Expr) -> bool:
    expr = _unwrap(expr)
    if isinstance(expr, ir.Attr) and isinstance(expr.obj, ir.Name) and expr.obj.id[:1].isupper():
        return False  # an enum member or class constant (SecretTypeEnum.signature): a label, not a secret
    parts = _parts(expr)
    return bool(parts & _TIMING_PARTS) and not parts & _NOT_SECRET_PARTS


def _content_checksum(secret_expr: ir.Expr, computed: Value) -> bool:
    """``hashlib.sha256(data).hexdigest() != digest``: an unkeyed hash checks integrity (caches, downloads); its value is no secret.

    Keyed digests (``hmac.new(...)``) and names that say more than "digest"
    (``signature``, ``token``, ``password_hash``) still count.
    """
    return _parts(secret_expr) & _TIMING_PARTS == {"digest"} and (computed.qual or "").startswith("hashlib.")


def _column(expr: ir.Expr) -> bool:
    """``RemoteAuthToken.auth_token`` / ``ub.User.password``: an attribute of a class (CamelCase), an ORM column,
    whose comparison builds an SQL condition the database evaluates, not a string comparison in Python."""
    if not isinstance(expr, ir.Attr):
        return False
    owner = expr.obj.name if isinstance(expr.obj, ir.Attr) else expr.obj.id if isinstance(expr.obj, ir.Name) else ""
    return owner[:1].isupper() and not owner.isupper()


@on("compare")
def timing(hooks, analyzer: Analyzer, node: ir.Compare, values: list[Value]) -> None:
    """A secret-named operand compared with request data, a computed digest, or a stored/expected secret."""
    if len(node.ops) != 1 or node.ops[0] not in ("==", "!="):
        return
    left, right = values
    fn = analyzer.current_function
    if left.is_const or right.is_const or (fn is not None and fn.name in ("__eq__", "__ne__")):
        return  # constants leak nothing; object equality is not an authentication check
    exprs = (node.left, node.comparators[0])
    for side in (0, 1):
        secret_expr, other_expr, other = exprs[side], exprs[1 - side], values[1 - side]
        if not _secret_operand(secret_expr) or _column(secret_expr):
            continue
        if any(l.kind == "remote" for l in values[side].real_labels()):
            continue  # the "secret" came from the request itself (password == confirm_password): nothing to leak
        if _content_checksum(secret_expr, other):
            continue
        remote = any(l.kind == "remote" for l in other.real_labels())
        computed = isinstance(other_expr, ir.Call)
        roles = (_parts(secret_expr) | _parts(other_expr)) & _ROLE_PARTS and (_secret_operand(other_expr) or other.labels)
        if remote or computed or roles:
            named = _unwrap(secret_expr)
            name = named.id if isinstance(named, ir.Name) else named.name  # type: ignore[union-attr]
            label = next((l for l in values[side].real_labels()), None)
            analyzer.report("timing-attack", node.span, f"'{name}' compared with {node.ops[0]}, which leaks timing", label, sink_note="compared")
            return
