"""Every parser of untrusted log text, fuzzed: no input makes one raise, hang or return nonsense types."""

from __future__ import annotations

import gzip
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from bastion.logs import analyze_logs
from bastion.logs.decode import normalize, unescape_log
from bastion.logs.formats import access, error_log, journald, jsonl, textlog
from bastion.logs.formats.access import from_nginx
from bastion.logs.records import LogRecord
from bastion.logs.signals import app, leaks, payloads
from bastion.logs.timeparse import parse_any, parse_clf, parse_iso

from tests.logs.support import access as access_line

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
LOGISH = st.text(alphabet=st.sampled_from(list('GETPOST /?&=%27"\\x22[]{}$()<>;|`:.,-+ 0123456789abcXYZ\n\t\x00é')), max_size=300)
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
                       max_leaves=20)


@FAST
@given(LOGISH)
def test_line_parsers_never_raise(text):
    record = access.parse_line(access.BUILTIN.compiled(), text, "f", 1)
    assert record is None or isinstance(record, LogRecord)
    assert error_log.parse_line(text, "f", 1) is None or True
    assert jsonl.parse_line(text, "f", 1) is None or True
    assert journald.entry(text) is None or True
    assert isinstance(textlog.parse_line(text, "f", 1), LogRecord)
    assert isinstance(normalize(text), str) and isinstance(unescape_log(text), str)
    assert isinstance(payloads.detect(normalize(text), normalize(text)), list)
    leaks.query_tokens(text), leaks.headers(text), leaks.personal_data(text), leaks.redact_text(text)
    app.sql_error(text), app.innermost_frame(text), app.denied(text)
    parse_clf(text), parse_iso(text)


@FAST
@given(JSONISH)
def test_json_objects_of_any_shape(value):
    text = json.dumps(value) if not isinstance(value, float) or value == value else "NaN"
    record = jsonl.parse_line(text, "f", 1)
    assert record is None or isinstance(record.message, str)
    journald.entry(json.dumps({"MESSAGE": value, "__REALTIME_TIMESTAMP": value, "PRIORITY": value}, default=str))
    parse_any(value)


@FAST
@given(st.text(alphabet=st.sampled_from(list("$abc_{}\"'[] \\x")), max_size=60), LOGISH)
def test_any_nginx_log_format_compiles_and_parses(layout, line):
    compiled = from_nginx("fuzz", layout).compiled()
    record = access.parse_line(compiled, line, "f", 1)
    assert record is None or isinstance(record, LogRecord)


@FAST
@given(st.lists(LOGISH, max_size=15))
def test_traceback_assembly_keeps_every_line_once(lines):
    lines = [l.replace("\n", " ") for l in lines]
    assembler = textlog.Assembler()
    records = [r for i, line in enumerate(lines, 1) if (r := assembler.push(line, "f", i))]
    last = assembler.flush()
    records += [last] if last else []
    assert sum(r.end_line - r.line + 1 for r in records) == len(lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.binary(max_size=2000), st.sampled_from(["auto", "access", "error", "json", "journald", "text"]), st.booleans())
def test_whole_pipeline_on_arbitrary_bytes(tmp_path, data, fmt, zipped):
    path = tmp_path / "fuzz.log"
    payload = (access_line("203.0.113.1", "/") + "\n").encode() + data
    path.write_bytes(gzip.compress(payload) if zipped else payload)
    report = analyze_logs([str(path)], input_format=fmt)
    assert report.details["lines_read"] >= 1
