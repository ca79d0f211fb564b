"""The format registry, dispatch and determinism shared by every format."""

from __future__ import annotations

import random

import pytest
from tests.report.report_samples import empty_report, full_report

from bastion.report import FORMATS, available_formats, guess_format, render


def test_every_advertised_format_renders_the_full_and_the_empty_report():
    assert available_formats() == ["html", "json", "junit", "markdown", "sarif", "text"]
    for fmt in FORMATS:
        assert render(full_report(), fmt).strip()
        assert render(empty_report(), fmt).strip()


def test_unknown_format_names_the_choices():
    with pytest.raises(ValueError, match="unknown report format 'pdf'.*html, json, junit, markdown, sarif, text"):
        render(empty_report(), "pdf")


@pytest.mark.parametrize(
    "path, fmt",
    [
        ("out.sarif", "sarif"),
        ("out.sarif.json", "sarif"),
        ("reports/OUT.SARIF", "sarif"),
        ("bastion.json", "json"),
        ("comment.md", "markdown"),
        ("comment.markdown", "markdown"),
        ("junit.xml", "junit"),
        ("scan.txt", "text"),
        ("scan.log", "text"),
        ("report", None),
        ("report.html", "html"),
        ("report.pdf", None),
        (".json", None),  # a dot file has no suffix
    ],
)
def test_guess_format_from_file_name(path, fmt):
    assert guess_format(path) == fmt


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_is_deterministic_and_independent_of_finding_order(fmt):
    first = render(full_report(), fmt)
    assert render(full_report(), fmt) == first
    shuffled = full_report()
    random.Random(7).shuffle(shuffled.findings)
    assert render(shuffled, fmt) == first


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_encodes_as_utf8_despite_lone_surrogates(fmt):
    render(full_report(), fmt).encode("utf-8")


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown", "junit", "html"])
def test_file_formats_ignore_terminal_styling(fmt):
    assert render(full_report(), fmt, color=True, width=40) == render(full_report(), fmt)


def test_formats_load_on_first_use():
    """SARIF for CI should not pay for loading the terminal renderer."""
    import subprocess
    import sys

    code = "import sys; from bastion.report import render; from bastion.core.result import Report; " \
           "render(Report('/r', [], {}), 'sarif'); print(sorted(m for m in sys.modules if m.startswith('bastion.report.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "bastion.report.text" not in out.stdout and "bastion.report.sarif" in out.stdout
