"""Untrusted input never crashes a reader, the importer or the matcher: it is read or refused with ReaderError."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.deps import cvss, osv, registry
from bastion.deps.packages import ReaderError
from bastion.deps.readers import reader_for

FILES = ["requirements.txt", "pyproject.toml", "poetry.lock", "uv.lock", "pdm.lock", "pylock.toml", "Pipfile.lock",
         "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml"]
ALPHABET = st.sampled_from(list('abc01.-_@/^~=<>!*[]{}(),:;"\' \n\t#\\|$&') + ["name", "version", "packages", "node_modules/",
                                                                          "dependencies", "==", "-r ", "__metadata:", "  "])
TEXT = st.lists(ALPHABET, max_size=60).map("".join) | st.text(max_size=200)
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                       max_leaves=20)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(_path: str) -> str:
    raise OSError("no such file")


@FAST
@given(name=st.sampled_from(FILES), text=TEXT)
def test_readers_never_crash_on_text(name: str, text: str) -> None:
    try:
        deps = reader_for(name)(name, text, _load)
    except ReaderError:
        return
    assert all(d.line >= 1 for d in deps)


@FAST
@given(name=st.sampled_from(["package.json", "package-lock.json", "Pipfile.lock"]), value=JSONISH)
def test_json_readers_never_crash_on_any_json(name: str, value: object) -> None:
    try:
        reader_for(name)(name, json.dumps(value), _load)
    except ReaderError:
        pass


@FAST
@given(record=JSONISH, version=st.text(max_size=8))
def test_matching_never_crashes_on_records_that_pass_validation(record: object, version: str) -> None:
    try:
        valid = osv.validate(record)
    except osv.InvalidRecord:
        return
    for ecosystem in ("PyPI", "npm"):
        osv.affects(valid, ecosystem, "x", version)
        osv.fixed_versions(valid, ecosystem, "x")
    osv.severity_of(valid)
    osv.summary_of(valid)


@FAST
@given(vector=st.lists(st.sampled_from(["CVSS:3.1", "CVSS:4.0", "AV:N", "AC:L", "PR:N", "UI:N", "S:U", "S:C", "C:H",
                                        "I:L", "A:N", "AT:N", "VC:H", "X", ":", "/"]), max_size=12).map("/".join))
def test_cvss_raises_only_value_error(vector: str) -> None:
    for kind in ("CVSS_V3", "CVSS_V4"):
        try:
            cvss.vector_severity(kind, vector)
        except ValueError:
            pass


@FAST
@given(value=JSONISH, version=st.none() | st.text(max_size=6))
def test_registry_answers_never_crash(value: object, version: str | None) -> None:
    registry.parse_pypi(value, version)
    registry.parse_npm(value, version)


VERSION = st.sampled_from(["0", "1.0", "1.2.3", "2.0.0-rc.1", "v1", "x", "", "1..2", "1.0.post1"])
EVENT = st.dictionaries(st.sampled_from(["introduced", "fixed", "last_affected", "limit"]), VERSION, min_size=1, max_size=2)
RECORD = st.fixed_dictionaries({
    "id": st.text(min_size=1, max_size=8),
    "modified": st.just("2024-01-01T00:00:00Z"),
    "affected": st.lists(st.fixed_dictionaries({
        "package": st.fixed_dictionaries({"name": st.just("x"), "ecosystem": st.sampled_from(["PyPI", "npm", "Go"])}),
        "ranges": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["ECOSYSTEM", "SEMVER", "GIT"]),
                                                  "events": st.lists(EVENT, max_size=4)}), max_size=2),
        "versions": st.lists(VERSION, max_size=3),
    }), max_size=2),
}, optional={"withdrawn": st.just("2024-01-02T00:00:00Z"), "aliases": st.lists(st.text(max_size=5), max_size=2),
             "severity": st.lists(st.fixed_dictionaries({"type": st.sampled_from(["CVSS_V3", "CVSS_V4", "X"]),
                                                         "score": st.text(max_size=20)}), max_size=2)})


@FAST
@given(records=st.lists(RECORD, max_size=4), version=VERSION)
def test_shaped_records_match_and_upgrade_without_crashing(records: list, version: str) -> None:
    from bastion.deps import vulns

    for record in records:
        osv.validate(record)
    for ecosystem in ("PyPI", "npm"):
        vulns.find(records, ecosystem, "x", version)
        vulns.smallest_upgrade(records, ecosystem, "x", version)


@FAST
@given(data=st.binary(max_size=300), member=st.binary(max_size=200))
def test_importer_never_crashes_on_archives(data: bytes, member: bytes) -> None:
    import io
    import zipfile

    from bastion.deps.importer import Reader

    reader = Reader()
    list(reader.from_zip(io.BytesIO(data), "random.zip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("record.json", member)
    buffer.seek(0)
    list(reader.from_zip(buffer, "one-member.zip"))
