"""Hypothesis over the untrusted inputs the other suites' fuzz tests do not cover: baseline files,
configuration files and raw OSV record bytes (issue 14, point 9). Lockfiles and manifests:
tests/deps/test_fuzz.py; nginx, Dockerfile, YAML: tests/config_audit/test_fuzz.py; the Python frontend:
tests/sast/test_python_fuzz.py; JavaScript/TypeScript: tests/sast_js/test_javascript_engine.py.
benchmarks/fuzz/run.py drives all of them with 100,000 mutated inputs each."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bastion.core.config import ConfigError, load_config
from bastion.deps import osv
from bastion.deps.importer import Reader
from bastion.pipeline.filters import load_baseline

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                         HealthCheck.function_scoped_fixture])
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                       max_leaves=25)
NESTING = st.tuples(st.sampled_from(["[", "{\"a\": "]), st.integers(0, 5000)).map(
    lambda pair: pair[0] * pair[1] + "1" + ("]" if pair[0] == "[" else "}") * pair[1])
ESCAPES = st.sampled_from([r"\ud800", r"\udfff", r"\u0000", r"\ud83d\ude00", "\\", "\""])
TOKENS = st.sampled_from(["[", "]", "{", "}", "=", '"', "'", "\n", "tool", "bastion", "[tool]", "[tool.bastion]",
                          "fail-on", "exclude", "jobs", "1", "-1", "1e999", "true", ".", ",", "#", "\\u0000", "\xe9"])


def _mutated_json(value: object, escapes: list[str], nesting: str, at: int) -> bytes:
    text = json.dumps(value)
    at = at % (len(text) + 1)
    return (text[:at] + "".join(escapes) + nesting + text[at:]).encode("utf-8", "surrogatepass")


@FAST
@given(value=JSONISH, escapes=st.lists(ESCAPES, max_size=3), nesting=st.one_of(st.just(""), NESTING),
       at=st.integers(0, 10_000), raw=st.binary(max_size=64))
def test_baseline_files_load_or_are_refused(tmp_path_factory, value, escapes, nesting, at, raw):
    folder = tmp_path_factory.mktemp("baseline")
    for data in (_mutated_json({"version": 1, "findings": value}, escapes, nesting, at), raw):
        path = folder / "baseline.json"
        path.write_bytes(data)
        try:
            assert isinstance(load_baseline(path), set)
        except ValueError:
            pass


@FAST
@given(name=st.sampled_from(["bastion.toml", "pyproject.toml"]), tokens=st.lists(TOKENS, max_size=40),
       nesting=st.one_of(st.just(""), NESTING), raw=st.binary(max_size=64))
def test_config_files_load_or_are_refused(tmp_path_factory, name, tokens, nesting, raw):
    folder = tmp_path_factory.mktemp("config")
    for data in ("".join(tokens).encode("utf-8", "surrogateescape"), ("x = " + nesting).encode(), raw):
        path = folder / name
        path.write_bytes(data)
        try:
            load_config(path)
        except ConfigError:
            pass


@FAST
@given(record=JSONISH, escapes=st.lists(ESCAPES, max_size=3), nesting=st.one_of(st.just(""), NESTING),
       at=st.integers(0, 10_000))
def test_osv_record_bytes_are_imported_or_skipped(record, escapes, nesting, at):
    reader = Reader()
    for raw in reader._decode(_mutated_json(record, escapes, nesting, at), "fuzz.json"):
        try:
            valid = osv.validate(raw)
        except osv.InvalidRecord:
            continue
        json.dumps(valid).encode("utf-8")  # what the database stores and reports print
        for ecosystem, name in osv.packages_of(valid):
            osv.affects(valid, ecosystem, name, "1.0.0")
            osv.fixed_versions(valid, ecosystem, name)
        osv.severity_of(valid)
        osv.summary_of(valid)


@FAST
@given(ident=st.text(min_size=1, max_size=12), summary=st.lists(ESCAPES | st.text(max_size=5), max_size=4),
       field=st.sampled_from(["summary", "details", "id", "name"]), nesting=st.one_of(st.just("1"), NESTING),
       versions=st.lists(st.text(max_size=6), max_size=3))
def test_well_formed_records_with_hostile_values_are_stored_or_skipped(ident, summary, field, nesting, versions):
    """Records that pass the shape checks but carry escapes JSON allows and UTF-8 does not, or deep values."""
    record = {"id": ident, "modified": "2024-01-01T00:00:00Z", "summary": "S", "details": "S",
              "affected": [{"package": {"ecosystem": "PyPI", "name": "N"}, "versions": versions}]}
    text = json.dumps(record).replace('"S"', '"' + "".join(summary).replace('"', "") + '"')
    if field in ("id", "name"):
        text = text.replace(json.dumps(ident if field == "id" else "N"),
                            '"' + "".join(summary).replace('"', "") + '"', 1)
    text = text[:-1] + ', "database_specific": ' + nesting + "}"
    reader = Reader()
    for raw in reader._decode(text.encode(), "fuzz.json"):
        try:
            valid = osv.validate(raw)
        except osv.InvalidRecord:
            continue
        json.dumps(valid, ensure_ascii=False).encode("utf-8")
