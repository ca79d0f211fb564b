"""Cryptography misuse: weak hashes for passwords and secrets, broken ciphers, small keys, static IVs, weak randomness."""

from __future__ import annotations

from bastion.core.model import Severity
from bastion.sast import ir
from bastion.sast.python import fixes
from bastion.sast.python.checks import on, on_call, on_method
from bastion.sast.python.semantics import name_class
from bastion.sast.taint import Analyzer, CallEvent, Label, Value

FAST_HASHES = {
    "hashlib.md5": "md5", "hashlib.sha1": "sha1", "hashlib.sha224": "sha224", "hashlib.sha256": "sha256",
    "hashlib.sha384": "sha384", "hashlib.sha512": "sha512", "hashlib.sha3_256": "sha3_256", "hashlib.sha3_512": "sha3_512",
    "hashlib.blake2b": "blake2b", "hashlib.blake2s": "blake2s", "Crypto.Hash.MD5.new": "md5", "Crypto.Hash.SHA1.new": "sha1",
    "Crypto.Hash.SHA256.new": "sha256", "Cryptodome.Hash.MD5.new": "md5",
}  # fmt: skip
BROKEN = frozenset({"md5", "sha1", "md4", "md2", "ripemd160", "sha"})
_NON_SECURITY_WORDS = ("cache", "etag", "checksum", "fingerprint", "dedup", "file_hash", "content_hash", "filehash", "md5sum", "shard", "bucket")
_SECURITY_WORDS = ("password", "token", "secret", "sign", "auth", "session", "nonce", "hmac", "verify", "integrity", "credential", "api_key")
MIN_PBKDF2 = {"sha1": 1_300_000, "sha256": 600_000, "sha512": 210_000}


def _kind_label(value: Value | None, kind: str) -> Label | None:
    if value is None:
        return None
    for label in value.real_labels():
        if label.kind == kind:
            return label
    return None


def _in_password_function(analyzer: Analyzer, value: Value | None) -> bool:
    fn = analyzer.current_function
    if fn is None or value is None or name_class(fn.name.replace("hash_", "")) != "password":
        return False
    return any(label.kind == "param" for label in value.labels)


def _hash_data(event: CallEvent) -> Value | None:
    if event.qual == "hashlib.new":
        return event.arg(1, "data")
    if event.method == "update":
        return event.arg(0)
    return event.arg(0, "data") or event.kwargs.get("string")


def _algorithm(event: CallEvent) -> str | None:
    if event.qual == "hashlib.new":
        name = event.arg(0, "name")
        return name.const.lower().replace("-", "") if name is not None and isinstance(name.const, str) else None
    if event.method == "update" and event.receiver is not None and event.receiver.qual:
        return FAST_HASHES.get(event.receiver.qual.removesuffix("()"))
    return FAST_HASHES.get(event.qual or "")


@on_call(*FAST_HASHES, "hashlib.new")
@on_method("update")
def weak_hash(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    algorithm = _algorithm(event)
    if algorithm is None:
        return
    data = _hash_data(event)
    password = _kind_label(data, "password")
    if password is not None or _in_password_function(analyzer, data):
        analyzer.report(
            "weak-password-hash",
            event.node.span,
            f"password hashed with {algorithm}, a fast unsalted hash",
            password,
            sink_note=f"hashed with {algorithm}",
        )
        return
    if algorithm not in BROKEN or event.method == "update":
        return
    flag = event.kwargs.get("usedforsecurity")
    if flag is not None and flag.is_const and not flag.const:
        return
    secret = _kind_label(data, "secret") or _kind_label(data, "token")
    fn = analyzer.current_function
    line = hooks.file.line(event.node.span.line).lower() + " " + (fn.name.lower() if fn else "")
    if secret is not None or any(w in line for w in _SECURITY_WORDS):
        analyzer.report("weak-hash", event.node.span, f"{algorithm} used on a secret or for a security decision; it is broken", secret, sink_note=f"{algorithm} digest")
        return
    if any(w in line for w in _NON_SECURITY_WORDS):
        return
    edit = fixes.add_keyword(hooks.file, event.node, "usedforsecurity=False") if event.qual in ("hashlib.md5", "hashlib.sha1", "hashlib.new") else None
    analyzer.report(
        "weak-hash",
        event.node.span,
        f"{algorithm} of unknown purpose: mark non-security uses with usedforsecurity=False",
        confidence="low",
        data={"severity": Severity.LOW, **({"fix": ("declare the digest as not used for security", [edit])} if edit else {})},
    )


@on_call("hmac.new")
def weak_hmac(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    digest = event.arg(2, "digestmod")
    name = (digest.qual or "") if digest is not None else ""
    if digest is not None and (FAST_HASHES.get(name) in BROKEN or (isinstance(digest.const, str) and digest.const.lower() in BROKEN)):
        analyzer.report("weak-hash", event.node.span, "HMAC built on a broken hash")


@on_call("hashlib.pbkdf2_hmac")
def weak_pbkdf2(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    algorithm = event.arg(0, "hash_name")
    iterations = event.arg(3, "iterations")
    if algorithm is None or iterations is None or not isinstance(iterations.const, int):
        return
    name = algorithm.const.lower() if isinstance(algorithm.const, str) else "sha256"
    minimum = MIN_PBKDF2.get(name, 600_000)
    if iterations.const < minimum:
        analyzer.report("weak-password-hash", event.node.span, f"PBKDF2-{name} with {iterations.const} iterations (OWASP: >= {minimum})")


@on_call("passlib.hash.md5_crypt.hash", "passlib.hash.ldap_md5.hash", "passlib.hash.hex_md5.hash", "passlib.hash.hex_sha1.hash", "passlib.hash.ldap_sha1.hash", "passlib.hash.des_crypt.hash", "crypt.crypt")
def weak_passlib(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("weak-password-hash", event.node.span, f"{event.qual} is a weak password scheme")


@on("assign")
def django_hashers(hooks, analyzer: Analyzer, name: str, value: Value, span: ir.Span) -> None:
    if name == "PASSWORD_HASHERS" and isinstance(value.const, (list, tuple)) and value.const:
        first = str(value.const[0])
        if any(w in first for w in ("MD5", "SHA1", "UnsaltedSHA1", "Crypt")):
            analyzer.report("weak-password-hash", span, f"Django hashes new passwords with {first.rsplit('.', 1)[-1]}")


_SALT_ARG = {"hashlib.pbkdf2_hmac": (2, "salt"), "hashlib.scrypt": (-1, "salt"), "bcrypt.hashpw": (1, "salt"), "bcrypt.kdf": (1, "salt")}


@on_call(*_SALT_ARG)
def constant_salt(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    index, keyword = _SALT_ARG[event.qual]
    salt = event.arg(index, keyword)
    if salt is not None and isinstance(salt.const, (bytes, str)):
        analyzer.report("static-salt", event.node.span, f"{event.qual}() with a constant salt")


@on_call("bcrypt.gensalt")
def bcrypt_rounds(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    rounds = event.arg(0, "rounds")
    if rounds is not None and isinstance(rounds.const, int) and not isinstance(rounds.const, bool) and rounds.const < 10:
        analyzer.report("static-salt", event.node.span, f"bcrypt with {rounds.const} rounds (use >= 12)")
