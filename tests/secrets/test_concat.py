"""Secrets split into string literals joined with ``+`` are found whole, at their real place in the file."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bastion.secrets import concat, samples, scan_text
from tests.secrets.conftest import sample_of


def _split(value: str, *cuts: int) -> list[str]:
    bounds = [0, *cuts, len(value)]
    return [value[a:b] for a, b in zip(bounds, bounds[1:])]


def test_provider_token_split_on_one_line(rng) -> None:
    token = sample_of("stripe-secret-key", rng)
    head, tail = _split(token, 8)
    text = f'STRIPE_KEY = "{head}" + "{tail}"\n'
    [finding] = scan_text(text, "billing.py")
    assert finding.properties["detector"] == "stripe-secret-key" and finding.properties["joined_parts"] == "2"
    assert finding.properties["secret_length"] == len(token)
    assert (finding.location.line, finding.location.column) == (1, text.index(head) + 1)
    assert finding.location.end_column == text.rindex(tail) + len(tail) + 1
    assert head not in finding.snippet and tail[4:] not in finding.snippet


def test_token_split_across_lines_and_quote_kinds(rng) -> None:
    token = samples.render("ghp_{A:30}{crc}", rng)
    a, b, c = _split(token, 4, 20)
    text = f"const t =\n  \"{a}\" + '{b}' +\n  \"{c}\";\n"
    [finding] = scan_text(text, "client.js")
    assert finding.properties["checksum"] == "valid" and finding.properties["joined_parts"] == "3"
    assert (finding.location.line, finding.location.end_line) == (2, 3)


def test_match_across_a_seam_with_the_secret_inside_one_part(rng) -> None:
    password = "Pw7-" + samples.render("{A:16}", rng)
    text = f'MONGO = "mongodb+srv://app:{password}@clu" + "ster0.ab12c.mongodb.net/app"\n'
    [finding] = scan_text(text, "db.py", {"show_secrets": True})
    assert finding.rule_id == "credentials-in-url" and finding.properties["secret"] == password
    assert finding.location.column == text.index(password) + 1


def test_generic_password_split(rng) -> None:
    value = "Xk7-" + samples.render("{A:16}", rng)
    head, tail = _split(value, 9)
    [finding] = scan_text(f'db_password = "{head}" + "{tail}"\n', "settings.py", {"show_secrets": True})
    assert finding.rule_id == "hardcoded-password" and finding.properties["secret"] == value


def test_python_adjacent_literals_in_parentheses(rng) -> None:
    token = sample_of("openai-project-key", rng)
    head, tail = _split(token, 20)
    text = f'OPENAI_KEY = (\n    "{head}"\n    "{tail}"\n)\n'
    [finding] = scan_text(text, "settings.py")
    assert finding.properties["detector"] == "openai-project-key"
    assert (finding.location.line, finding.location.end_line) == (2, 3)
    assert scan_text(text, "settings.js") == []  # adjacency joins nothing outside Python


def test_whole_token_next_to_a_literal_keeps_its_own_span(rng) -> None:
    token = sample_of("stripe-secret-key", rng)
    text = f'key = "{token}" + "_suffix"\n'
    [finding] = scan_text(text, "a.py")
    assert "joined_parts" not in finding.properties and finding.properties["secret_length"] == len(token)


def test_ordinary_concatenation_and_non_code_files_are_clean(rng) -> None:
    token = sample_of("stripe-secret-key", rng)
    assert scan_text('msg = "Hello, " + "world" + name\n', "a.py") == []
    assert scan_text('pattern = "sk_" + "live_" + suffix\n', "a.py") == []
    assert scan_text(f'KEY: "{token[:8]}" + "{token[8:]}"\n', "values.yaml") == []  # not an expression there


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(['"', "'", "+", " ", "\n", "ab", "sk_live_", "Zq8kP2vmW4xL9rT1", "\\", "pw = "]), max_size=60))
def test_views_map_inside_the_file(parts: list[str]) -> None:
    data = "".join(parts).encode()
    for view in concat.views(data, "fuzz.py"):
        for start in range(view.start, len(view.text)):
            origin = view.origin(start, start + 12)
            if origin is not None:
                assert 0 <= origin[0] < origin[1] <= len(data)
    for finding in scan_text(data, "fuzz.py"):
        assert 1 <= finding.location.line <= finding.location.end_line
