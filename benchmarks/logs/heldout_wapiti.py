"""A held-out check on a second scanner's payload lists: wapiti's attack data (Debian package ``wapiti``).

The main benchmark plants wfuzz's lists (which the SQL signatures were tuned on)
and ``heldout_sqlmap.py`` checks SQL alone. This script takes every payload of
wapiti 3's attack files (blind SQL, command execution, XSS, file handling),
fills wapiti's placeholders the way wapiti does, and plants each payload three
ways (as sent, URL-encoded once, twice) in a request line, then runs the whole
``bastion logs`` pipeline (fast path included) on the log. A line counts when one
of its family's rules fired on it.

The payloads are split by a hash of their text into a ``dev`` half and a ``test``
half. Misses of the dev half may be looked at; the test half is only ever
measured, so its number stays held out. The list's sha256 is printed (frozen in
docs/engines/logs.md before any detection change the list was used for).
Nothing of wapiti (GPL) is copied into Bastion: its files are only read here.

Run: nice -n 10 python heldout_wapiti.py [--show-test-misses]
"""

from __future__ import annotations

import configparser
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent
WAPITI = Path("/usr/lib/python3/dist-packages/wapitiCore/data/attacks")
#: Placeholder values as wapiti fills them when it attacks a parameter whose value is ``1`` in ``/item``.
_FILL = {"[TIME]": "5", "[VALUE]": "1", "[DIRVALUE]": "/item", "[EXTVALUE]": "php", "[LF]": "\n", "[TAB]": "\t",
         "[TIMEOUT]": "", "[EXTERNAL_ENDPOINT]": "http://endpoint.wapiti.example/", "__XSS__": "w4p1t1x",
         "[FF]": "\f", "[FILE_NAME]": "index.php", "\\0": "\x00"}
#: Rules that count as detecting a family (a remote file inclusion is reported as SSRF or traversal).
ACCEPTED = {"sql": {"log-sql-injection"}, "exec": {"log-command-injection"}, "xss": {"log-xss"},
            "file": {"log-path-traversal", "log-ssrf"}}


def _fill(text: str) -> str:
    text = text.strip(" \n")
    if "[ATTR_SEP]" in text:  # a payload for inside a tag: wapiti closes the quoted attribute value it lands in
        text = "y" + text.replace("[ATTR_SEP]", '"').replace("[VALUE_SEP]", '"')
    for key, value in _FILL.items():
        text = text.replace(key, value)
    return text


def payloads() -> list[tuple[str, str]]:
    """(family, payload) of wapiti's attack files, placeholders filled; a bare file name is no attack and is left out."""
    out = []
    for name, family in (("blindSQLPayloads.txt", "sql"), ("execPayloads.txt", "exec")):
        for raw in (WAPITI / name).read_text("utf-8").splitlines():
            if raw.strip():
                out.append((family, _fill(raw)))
    for name, family in (("xssPayloads.ini", "xss"), ("fileHandlingPayloads.ini", "file")):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read(WAPITI / name, encoding="utf-8")
        for section in parser.sections():
            payload = parser[section].get("payload", "")
            if payload and not payload.startswith("[FILE_NAME]"):
                out.append((family, _fill(payload)))
    return list(dict.fromkeys(out))


def half(payload: str) -> str:
    return "dev" if hashlib.sha256(payload.encode("utf-8", "surrogateescape")).digest()[0] % 2 == 0 else "test"


def _as_sent(payload: str) -> str:
    """The payload as it appears in a request line: what cannot travel raw (controls, spaces, quotes) percent-encoded."""
    return "".join(c if 0x20 < ord(c) < 0x7F and c not in '"%' else quote(c, safe="") for c in payload)


def main() -> None:
    from bastion.logs import sources
    from bastion.logs.run import Session, log_options

    items = payloads()
    digest = hashlib.sha256("\n".join(f"{f}\t{p}" for f, p in items).encode("utf-8", "surrogateescape")).hexdigest()
    encodings = ("plain", "encoded", "double")
    lines = []
    for _, payload in items:
        once = quote(payload, safe="")
        for value in (_as_sent(payload), once, quote(once, safe="")):
            lines.append(f'203.0.113.9 - - [02/Nov/2026:10:00:00 +0000] "GET /item?id={value} HTTP/1.1" '
                         f'200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"')
    rules_by_line: dict[int, set[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "access.log"
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")
        session = Session(log_options.parse({}), on_signal=lambda s: rules_by_line.setdefault(s.line, set()).add(s.rule))
        session.read(sources.Source(str(log), log))
    counts: Counter = Counter()
    misses: dict[str, list[str]] = {"dev": [], "test": []}
    for index, (family, payload) in enumerate(items):
        which = half(payload)
        for offset, encoding in enumerate(encodings):
            hit = bool(rules_by_line.get(3 * index + offset + 1, set()) & ACCEPTED[family])
            for key in ((family, which, encoding), (family, which), (which,), ("all",)):
                counts[key + ("total",)] += 1
                counts[key + ("hit",)] += hit
            if not hit and encoding == "plain":
                misses[which].append(f"{family}: `{payload!r}`")
    print(f"# Held-out payloads from wapiti's attack data\n\n{len(items)} payloads (sha256 of the list {digest}), "
          "each plain, URL-encoded and twice URL-encoded\n")
    print("| family | dev half | test half (never looked at) |\n| --- | --- | --- |")

    def cell(*key: str) -> str:
        hit, total = counts[key + ("hit",)], counts[key + ("total",)]
        return f"{hit / total:.1%} ({hit}/{total})" if total else "-"

    for family in ACCEPTED:
        print(f"| {family} | {cell(family, 'dev')} | {cell(family, 'test')} |")
    print(f"| **all** | {cell('dev')} | {cell('test')} |\n\nall lines: {cell('all')}\n")
    shown = ["dev"] + (["test"] if "--show-test-misses" in sys.argv else [])
    for which in shown:
        print(f"- missed, {which} half, plain form ({len(misses[which])}): " + ", ".join(misses[which][:40]))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    main()
