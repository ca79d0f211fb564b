"""Fresh random instances of every detector's format, from the ``sample`` templates.

Tests plant these to prove each detector finds its format; the benchmark
plants them in realistic files to measure recall. Generating them at run time
keeps live-looking tokens out of the repository itself.
"""

from __future__ import annotations

import base64
import json
import random
import string
import textwrap

import re2

from bastion.secrets.checksums import github_crc32

CHARSETS = {
    "A": string.ascii_letters + string.digits,
    "a": string.ascii_lowercase + string.digits,
    "U": string.ascii_uppercase + string.digits,
    "h": "0123456789abcdef",
    "H": "0123456789ABCDEF",
    "d": string.digits,
    "b": string.ascii_letters + string.digits + "+/",
    "u": string.ascii_letters + string.digits + "_-",
    "l": string.ascii_lowercase,
    "L": string.ascii_letters,
    "B": string.ascii_uppercase + "234567",
    "c": string.ascii_lowercase + "234567",
    "E": "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L",
}
_FIELD = re2.compile(r"\{([A-Za-z]+)(?::([^}]*))?\}")


def _random(rng: random.Random, charset: str, n: int) -> str:
    return "".join(rng.choice(charset) for _ in range(n))


def _uuid(rng: random.Random) -> str:
    h = _random(rng, CHARSETS["h"], 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(rng: random.Random) -> str:
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64url(json.dumps({"sub": _random(rng, CHARSETS["d"], 10), "iat": rng.randint(1_600_000_000, 1_900_000_000)}).encode())
    return f"{header}.{payload}.{_b64url(rng.randbytes(32))}"


def _pem(rng: random.Random, label: str) -> str:
    body = base64.b64encode(rng.randbytes(rng.randint(600, 1200))).decode()
    lines = "\n".join(textwrap.wrap(body, 64))
    return f"-----BEGIN {label}-----\n{lines}\n-----END {label}-----"


def _putty(rng: random.Random) -> str:
    pub = "\n".join(textwrap.wrap(base64.b64encode(rng.randbytes(270)).decode(), 64))
    priv = "\n".join(textwrap.wrap(base64.b64encode(rng.randbytes(600)).decode(), 64))
    return (
        "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy-key\n"
        f"Public-Lines: {pub.count(chr(10)) + 1}\n{pub}\nPrivate-Lines: {priv.count(chr(10)) + 1}\n{priv}\n"
        f"Private-MAC: {_random(rng, CHARSETS['h'], 40)}"
    )


def render(template: str, rng: random.Random) -> str:
    """Fill a sample template (syntax in detectors.toml) with fresh random characters."""
    out: list[str] = []
    randoms: list[str] = []
    pos = 0
    for m in _FIELD.finditer(template):
        out.append(template[pos : m.start()])
        pos = m.end()
        code, arg = m.group(1), m.group(2)
        if code in CHARSETS and arg is not None:
            piece = _random(rng, CHARSETS[code], int(arg))
            randoms.append(piece)
        elif code == "crc":
            piece = github_crc32("".join(randoms))
        elif code == "uuid":
            piece = _uuid(rng)
        elif code == "jwt":
            piece = _jwt(rng)
        elif code == "pem":
            piece = _pem(rng, arg or "PRIVATE KEY")
        elif code == "putty":
            piece = _putty(rng)
        else:
            piece = m.group(0)
        out.append(piece)
    out.append(template[pos:])
    return "".join(out)
