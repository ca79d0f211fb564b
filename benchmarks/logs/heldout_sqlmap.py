"""A held-out SQL injection check: payloads written from sqlmap's own test definitions, not from wfuzz's list.

The logs benchmark's SQL recall (``run_bench.py``) is measured on wfuzz's SQL list,
which the signatures were tuned on. This script builds a second, independent list
from the data files of the Debian package ``sqlmap`` (``/usr/share/sqlmap/data/xml``:
the request payload of every test, wrapped in sqlmap's own boundaries), plants each
payload in a request line the way sqlmap sends it (URL-encoded once) and plainly, and
reports how many lines raised ``log-sql-injection`` through the whole ``bastion logs``
pipeline (fast path included). Deterministic: the same sqlmap data gives the same list
(its sha256 is printed). The payload list is only benchmark input: nothing of sqlmap
(GPL) is copied into Bastion.

Run: nice -n 10 python heldout_sqlmap.py
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).parent
SQLMAP = Path("/usr/share/sqlmap/data/xml")
BOUNDARIES_PER_TEST = 3
_TAG = re.compile(r"\[([A-Z_0-9]+)\]")


def _fill(text: str, rng: random.Random) -> str:
    """sqlmap's placeholders replaced by values of the kind sqlmap puts there."""
    values = {"SLEEPTIME": "5", "DELAYED": "5", "INFERENCE": f"{rng.randint(1000, 9999)}={rng.randint(1000, 9999)}",
              "DELIMITER_START": "qvkzq", "DELIMITER_STOP": "qbjpq", "ORIGVALUE": "1", "ORIGINAL": "1",
              "GENERIC_SQL_COMMENT": "-- -", "QUERY": "SELECT 1", "CHAR": "NULL", "COLSTART": "1", "COLSTOP": "3",
              "SPACE_REPLACE": " ", "DOLLAR_REPLACE": "$", "AT_REPLACE": "@", "HASH_REPLACE": "#",
              "UNION": "UNION ALL SELECT NULL,CONCAT(0x71766b7a71,0x4a6b,0x71626a7071),NULL-- -"}

    def one(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("RANDNUM"):
            return str(rng.randint(1000, 9999))
        if name.startswith("RANDSTR"):
            return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(4))
        return values.get(name, "1")

    return _TAG.sub(one, text)


def payloads() -> list[tuple[str, str]]:
    """(sqlmap test title, payload) for every test, each wrapped in a few of sqlmap's boundaries."""
    rng = random.Random(17)
    boundaries = [(b.findtext("prefix") or "", b.findtext("suffix") or "")
                  for b in ET.parse(SQLMAP / "boundaries.xml").getroot().iter("boundary")]
    out = []
    for xml in sorted((SQLMAP / "payloads").glob("*.xml")):
        for test in ET.parse(xml).getroot().iter("test"):
            request = test.find("request")
            body = (request.findtext("payload") or "") if request is not None else ""
            comment = (request.findtext("comment") or "") if request is not None else ""
            if not body.strip():
                continue
            for prefix, suffix in rng.sample(boundaries, BOUNDARIES_PER_TEST):
                out.append((test.findtext("title") or xml.stem, _fill(f"1{prefix} {body}{comment}{suffix}", rng)))
    return out


def main() -> None:
    from bastion.logs import sources
    from bastion.logs.run import Session, log_options

    items = payloads()
    digest = hashlib.sha256("\n".join(p for _, p in items).encode()).hexdigest()
    lines = []
    for _, payload in items:
        for value in (payload, quote(payload, safe="")):
            lines.append(f'203.0.113.9 - - [02/Nov/2026:10:00:00 +0000] "GET /item?id={value.replace(chr(34), "%22")} HTTP/1.1" '
                         f'200 512 "-" "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"')
    hit_lines: set[int] = set()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "access.log"
        log.write_text("\n".join(lines) + "\n", encoding="utf-8")

        def on_signal(signal) -> None:
            if signal.rule == "log-sql-injection":
                hit_lines.add(signal.line)

        session = Session(log_options.parse({}), on_signal=on_signal)
        session.read(sources.Source(str(log), log))
    plain = {i for i in range(len(items)) if 2 * i + 1 in hit_lines}
    encoded = {i for i in range(len(items)) if 2 * i + 2 in hit_lines}
    print(f"# Held-out SQL injection payloads from sqlmap's data files\n\n{len(items)} payloads "
          f"(sha256 of the list {digest}); lines raising log-sql-injection: plain {len(plain)}/{len(items)} "
          f"({len(plain) / len(items):.1%}), URL-encoded {len(encoded)}/{len(items)} ({len(encoded) / len(items):.1%})\n")
    missed = [items[i] for i in range(len(items)) if i not in plain]
    for title, payload in missed[:25]:
        print(f"- missed ({title}): `{payload}`")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    main()
