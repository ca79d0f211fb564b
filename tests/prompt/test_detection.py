"""Theme detection: the labelled benchmark set meets its target, and any text is handled without crashing."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.prompt import detect_themes, harden_prompt

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "prompt"


def _scorer():
    spec = importlib.util.spec_from_file_location("prompt_score", BENCH / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_labelled_set_meets_the_target_for_every_theme():
    scorer = _scorer()
    tasks = scorer.load_tasks(BENCH / "tasks.yaml")
    assert len(tasks) >= 150
    metrics, _ = scorer.score(tasks)
    low = {t: m for t, m in metrics.items() if m["precision"] < 0.9 or m["recall"] < 0.9}
    assert not low, low


def test_negatives_and_evidence():
    assert detect_themes("Sort a list of integers with quicksort") == []
    [match] = detect_themes("let users upload a PDF")
    assert match.id == "file-upload" and "upload" in match.evidence


def test_log_in_is_not_logging():
    ids = [m.id for m in detect_themes("after the user logs in, show the dashboard")]
    assert "errors-logging" not in ids


def test_empty_task_is_refused():
    with pytest.raises(ValueError):
        harden_prompt("   ")


def test_outputs_are_deterministic_and_json_is_complete():
    first = harden_prompt("Flask endpoint that stores uploaded profile pictures and emails a signed download link")
    second = harden_prompt("Flask endpoint that stores uploaded profile pictures and emails a signed download link")
    assert first.render("json") == second.render("json")
    data = json.loads(first.render("json"))
    assert {"task", "themes", "stack", "sections", "checks", "also_check", "guidelines", "prompt"} <= set(data)
    section = next(s for s in data["sections"] if not s["id"].startswith("feature-"))
    assert section["requirements"] and section["references"] and section["cwe"]
    assert any(s["patterns"] for s in data["sections"])  # the budget keeps at least the strongest example


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_any_text_never_crashes(task):
    if not task.strip():
        return
    hardened = harden_prompt(task)
    for fmt in ("text", "markdown", "json"):
        assert hardened.render(fmt)


def test_huge_task_is_bounded():
    hardened = harden_prompt("upload " + "a" * 500_000)
    assert "file-upload" in hardened.theme_ids
