"""Online registry checks (``--online``): does the package exist, the version, how old is it, is it yanked.

Only called when the user asks. PyPI's JSON API (``/pypi/<name>/json``) and
the npm registry's package documents (``/<name>``) answer all four
questions in one request per package. Base URLs come from options or
$BASTION_PYPI_URL / $BASTION_NPM_URL so tests point them at a local server.
Responses are untrusted: a malformed one yields an ``error`` and no finding.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

from bastion.deps.versions import NPM, PYPI

DEFAULT_URLS = {PYPI: "https://pypi.org", NPM: "https://registry.npmjs.org"}
_ENV = {PYPI: "BASTION_PYPI_URL", NPM: "BASTION_NPM_URL"}
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class PackageInfo:
    exists: bool
    version_exists: bool | None = None
    first_published: datetime | None = None
    yanked: str | None = None  # the yank reason or deprecation message ("" when none given)
    error: str | None = None


def base_url(ecosystem: str, options: dict[str, Any]) -> str:
    key = "pypi_url" if ecosystem == PYPI else "npm_url"
    return str(options.get(key) or os.environ.get(_ENV[ecosystem]) or DEFAULT_URLS[ecosystem]).rstrip("/")


def _time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_pypi(data: Any, version: str | None) -> PackageInfo:
    releases = data.get("releases") if isinstance(data, dict) else None
    if not isinstance(releases, dict):
        return PackageInfo(True, error="PyPI answer lacks 'releases'")
    uploads = [_time(f.get("upload_time_iso_8601")) for files in releases.values() if isinstance(files, list)
               for f in files if isinstance(f, dict)]
    first = min((u for u in uploads if u), default=None)
    if version is None:
        return PackageInfo(True, None, first)
    files = releases.get(version)
    if files is None:
        return PackageInfo(True, False, first)
    yanked = None
    if isinstance(files, list) and files and all(isinstance(f, dict) and f.get("yanked") for f in files):
        yanked = str(files[0].get("yanked_reason") or "")
    return PackageInfo(True, True, first, yanked)


def parse_npm(data: Any, version: str | None) -> PackageInfo:
    if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
        return PackageInfo(True, error="npm answer lacks 'versions'")
    times = data.get("time") if isinstance(data.get("time"), dict) else {}
    first = _time(times.get("created")) or min(
        (t for k, v in times.items() if k not in ("modified", "created") for t in [_time(v)] if t), default=None
    )
    if version is None:
        return PackageInfo(True, None, first)
    entry = data["versions"].get(version)
    if entry is None:
        return PackageInfo(True, False, first)
    deprecated = entry.get("deprecated") if isinstance(entry, dict) else None
    return PackageInfo(True, True, first, str(deprecated) if deprecated else None)


def _fetch(client: Any, ecosystem: str, base: str, name: str, version: str | None) -> PackageInfo:
    url = f"{base}/pypi/{quote(name, safe='')}/json" if ecosystem == PYPI else f"{base}/{quote(name, safe='@')}"
    try:
        with client.stream("GET", url, headers={"Accept": "application/json"}) as response:
            if response.status_code == 404:
                return PackageInfo(False)
            if response.status_code != 200:
                return PackageInfo(True, error=f"{url}: HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_RESPONSE_BYTES:
                    return PackageInfo(True, error=f"{url}: answer larger than {MAX_RESPONSE_BYTES} bytes")
        data = json.loads(bytes(body))
    except Exception as exc:  # network errors and bad JSON alike: a note, not a crash
        return PackageInfo(True, error=f"{url}: {type(exc).__name__}: {exc}")
    return parse_pypi(data, version) if ecosystem == PYPI else parse_npm(data, version)


def lookup(packages: list[tuple[str, str, str | None]], options: dict[str, Any], workers: int = 8) -> dict[tuple[str, str, str | None], PackageInfo]:
    """Ask the registries about each (ecosystem, name, version) once, a few requests at a time."""
    import httpx

    unique = sorted(set(packages), key=lambda p: (p[0], p[1], p[2] or ""))
    with httpx.Client(timeout=float(options.get("timeout", 20)), follow_redirects=True) as client:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            answers = pool.map(lambda p: _fetch(client, p[0], base_url(p[0], options), p[1], p[2]), unique)
            return dict(zip(unique, answers))
