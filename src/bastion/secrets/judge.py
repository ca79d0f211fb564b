"""Is this candidate a real secret? Entropy, placeholders, and the context of key and file.

Everything here works on short strings already cut out by an RE2 match, with
plain string operations: no regular expression runs on scanned input here.
"""

from __future__ import annotations

import math
import posixpath
from collections import Counter

# Words that mark a value as a stand-in, not a credential (checked on the lowercased secret).
PLACEHOLDER_WORDS = (
    "example", "xxxx", "your", "placeholder", "changeme", "change_me", "change-me", "replace",
    "dummy", "sample", "fake", "redacted", "insert", "<", ">", "${", "{{", "}}", "%(", "$(",
    "****", "...", "notreal", "not_real", "not-real", "here",
)
# In a generic `password = "..."` the value must also avoid these (tests, defaults, words).
GENERIC_WORDS = (
    "test", "password", "passw", "secret", "token", "admin", "default", "none", "null", "true",
    "false", "undefined", "empty", "todo", "fixme", "qwerty", "demo", "lorem", "foobar", "mock",
    "12345", "abcde", "hunter2", "insecure",
)
SEQUENCES = ("0123456789", "1234567890", "abcdefghij", "9876543210", "abcdef0123")

# A key whose last word is one of these names something about a secret, not the secret.
NON_SECRET_KEY_WORDS = frozenset(
    """file path dir url uri endpoint name names field fields type length len size min max count
    policy regex pattern format header prefix suffix env var hash hashed digest checksum sha1
    sha256 sha512 md5 expiry expires expiration ttl timeout id ids label hint placeholder prompt
    message msg error errors help description title text question reset forgot confirm
    confirmation validator validation strength rule rules mode method algorithm algo kind class
    manager provider store service handler factory callback enabled required input widget column
    param params arg args attr tokenizer tokens usage limit index position pos version ref link
    location source template schema status state flag length_min length_max encoder decoder
    generator parser serializer view form module key_name keyname lifetime age duration interval
    endpoint_url visible display show hide masked mask field_name used changed updated created date time at
    audience aud issuer iss scope scopes claim claims grant""".split()
)
# A token named for paging or deduplicating requests is a cursor or a nonce that an API hands out and takes back
# (``nextToken``, ``NextContinuationToken``, ``ClientRequestToken``, AWS WAF's ``ChangeToken``), not a credential.
NON_SECRET_TOKEN_QUALIFIERS = frozenset(
    "next continuation pagination page output input marker cursor request idempotency change action sync resume "
    "start end prev previous last client".split()
)
CODE_EXTENSIONS = frozenset(
    ".py .pyi .js .jsx .mjs .cjs .ts .tsx .mts .cts .java .kt .kts .go .rb .php .cs .c .cc .cpp .h .hpp .rs "
    ".swift .scala .groovy .dart .lua .pl .pm .r .m .mm .vue .svelte .ex .exs .erl .clj .fs .vb".split()
)
LOCKFILES = frozenset(
    "package-lock.json npm-shrinkwrap.json yarn.lock pnpm-lock.yaml poetry.lock pipfile.lock cargo.lock "
    "go.sum composer.lock gemfile.lock uv.lock pdm.lock bun.lock packages.lock.json flake.lock "
    "mix.lock pubspec.lock podfile.lock gradle.lockfile".split()
)
NO_GENERIC_SUFFIXES = (".min.js", ".min.css", ".map", ".svg", ".lock", ".sum")
# Prose, where a short value is an example or a URL parameter (Codecov badge tokens, ``?token=37tZMQE0Sy``).
DOC_EXTENSIONS = frozenset(".md .markdown .rst .adoc".split())
REPEAT_RUN = 8  # a stand-in padded with one character (``ghp_PersonalAccessToken01245678900000000``)
LOCAL_HOSTS = frozenset("localhost 127.0.0.1 0.0.0.0 ::1 [::1] host hostname example.com example.org example.net".split())
URL_PLACEHOLDERS = frozenset(
    """password pass passwd pwd secret changeme test example user username admin root postgres mysql
    guest redis xxx dbpass pw mypassword yourpassword mongo rabbitmq sa""".split()
)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def has_format_field(value: str) -> bool:
    """A ``{name}``, ``{0}``, ``{}`` or ``{name:spec}`` field: a format string or template, filled in later."""
    start = value.find("{")
    while start >= 0:
        end = value.find("}", start + 1)
        if end < 0:
            return False
        name = value[start + 1 : end].partition(":")[0].partition("!")[0]
        if not name or name.isidentifier() or name.isdigit():
            return True
        start = value.find("{", start + 1)
    return False


def has_padding(value: str) -> bool:
    """Ends in ``REPEAT_RUN`` equal characters: a stand-in padded to length, which random secrets practically
    never are. Only the end: some formats start with a fixed run (X bearer tokens, ``AAAAAAAAAAAAAAAAAAAAA…``)."""
    return len(value) >= REPEAT_RUN and len(set(value[-REPEAT_RUN:])) == 1


def is_placeholder(secret: str) -> bool:
    """Obvious stand-ins: template syntax, example words, elisions (``...``), runs of one character, counting sequences."""
    low = secret.lower()
    if any(word in low for word in PLACEHOLDER_WORDS) or any(seq in low for seq in SEQUENCES):
        return True
    if has_format_field(secret) or has_padding(secret):
        return True
    distinct = len(set(secret))
    return distinct < 3 or (len(secret) >= 16 and distinct < 6)


def file_kind(path: str) -> str:
    """'lockfile', 'code', or 'config' (anything else: .env, YAML, INI, shell, Dockerfile...)."""
    name = posixpath.basename(path).lower()
    if name in LOCKFILES:
        return "lockfile"
    ext = posixpath.splitext(name)[1]
    return "code" if ext in CODE_EXTENSIONS else "config"


def generic_allowed_in(path: str) -> bool:
    """Generated and packed files (lockfiles, minified bundles, source maps) get no generic matching, nor do
    collections of API examples (botocore's ``examples-1.json``, aws-sdk's ``*.examples.json``), whose sample
    requests and responses are made-up passwords, client secrets and tokens."""
    low = path.lower()
    return file_kind(path) != "lockfile" and not low.endswith(NO_GENERIC_SUFFIXES) and "examples" not in posixpath.basename(low)


def _key_words(key: str) -> list[str]:
    words, current = [], []
    prev_lower = False
    for ch in key:
        if not ch.isalnum():
            if current:
                words.append("".join(current))
            current, prev_lower = [], False
            continue
        if ch.isupper() and prev_lower:
            words.append("".join(current))
            current = []
        current.append(ch.lower())
        prev_lower = ch.islower() or ch.isdigit()
    if current:
        words.append("".join(current))
    return words


def _classes(value: str) -> int:
    return sum((
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(not c.isalnum() for c in value),
    ))


def judge_generic(key: str, value: str, quoted: bool, path: str, threshold: float) -> str | None:
    """Decide a ``<secret-ish key> = <literal>`` candidate: return a confidence, or None to drop it."""
    # Every test only rejects, so the cheap ones on the value run first: most matches fail them.
    if not quoted and file_kind(path) == "code":
        return None  # an expression (os.environ[...], process.env.X, a call), not a literal
    value = value.strip()
    low = value.lower()
    if len(value) < 8 or " " in value or not value.isascii() or is_placeholder(value):
        return None  # non-ASCII: words of a translated message, which no credential format holds
    if any(word in low for word in GENERIC_WORDS):
        return None
    if value[0] in "$%@&*!#/~.{[(?" or "://" in value or low.startswith(("sha1-", "sha256-", "sha384-", "sha512-", "sha256:", "sha512:", "md5:", "env.", "os.", "process.")):
        return None
    if posixpath.splitext(low)[1] in {".pem", ".key", ".json", ".txt", ".crt", ".p12", ".yaml", ".yml", ".env", ".js", ".py", ".html"}:
        return None
    if not any(c.isalpha() for c in value) or not any(c.isdigit() or not c.isalnum() for c in value):
        return None  # only digits (ports, ids) or only letters (words, identifiers)
    if _classes(value) < 2 or value.replace("_", "").replace(".", "").replace("-", "").replace("/", "").isalpha():
        return None  # words joined by _.-/: an identifier, slug or error code (``auth/invalid-api-key``)
    words = _key_words(key)
    if set(_key_words(value)) <= set(words):
        return None  # the value only names the credential: OAUTH2_CLIENT_CREDENTIALS = "oauth2_client_credentials"
    if not words or words[-1] in NON_SECRET_KEY_WORDS or "public" in key.lower():
        return None  # describes a secret, or is public by name (publicKeyToken, public_key)
    if words[-1] == "token" and len(words) > 1 and words[-2] in NON_SECRET_TOKEN_QUALIFIERS:
        return None
    limit = threshold if len(value) >= 16 else threshold - 0.5
    score = entropy(value)
    if score < limit:
        return None
    confident = score >= 3.5 and len(value) >= 16 and not _is_hex(value)
    if not confident and posixpath.splitext(path.lower())[1] in DOC_EXTENSIONS:
        return None  # in prose only a long random value counts
    return "medium" if confident else "low"


def _is_hex(value: str) -> bool:
    """Hex only: most often a digest, an id or a test vector (``shared_secret = "8f457e34…"`` in ECDH tests)."""
    return all(c in "0123456789abcdefABCDEF" for c in value)


def judge_url(user: str, password: str, host: str) -> bool:
    """Keep a ``scheme://user:password@host`` candidate unless it is a template or a local default."""
    low = password.lower()
    if low in URL_PLACEHOLDERS or password == user or is_placeholder(password):
        return False
    if password[0] in "${%:<*" or password.isdigit() and len(password) <= 5:
        return False
    host_low = host.lower().strip("[]")
    if host_low in LOCAL_HOSTS or host_low.endswith((".example.com", ".example.org", ".local", ".localhost", ".test", ".invalid")):
        return False
    return "." in host_low or ":" in host_low  # bare names are docker-compose services: local stacks
