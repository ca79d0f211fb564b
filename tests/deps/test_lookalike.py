"""Offline lookalike detection against the shipped popular-name lists."""

from __future__ import annotations

import pytest

from bastion.deps.lookalike import PopularNames


@pytest.mark.parametrize("ecosystem, name, target", [
    ("PyPI", "reqeusts", "requests"),
    ("PyPI", "requests-python", "requests"),
    ("PyPI", "python-requests", "requests"),
    ("PyPI", "djang0", "django"),
    ("PyPI", "colourama", "colorama"),
    ("npm", "lodahs", "lodash"),
    ("npm", "crossenv", "cross-env"),
    ("npm", "axios-js", "axios"),
    ("npm", "jquerry", "jquery"),
])
def test_lookalikes_name_their_target(ecosystem: str, name: str, target: str) -> None:
    match = PopularNames.load(ecosystem).check(ecosystem, name)
    assert match is not None and match.target == target


@pytest.mark.parametrize("ecosystem, name", [
    ("PyPI", "requests"), ("PyPI", "Django"), ("PyPI", "typing_extensions"), ("PyPI", "six"), ("PyPI", "urllib3"),
    ("npm", "lodash"), ("npm", "@types/node"), ("npm", "react-dom"), ("npm", "@mycompany/lodash"), ("npm", "ws"),
    ("npm", "@types/jws"),  # DefinitelyTyped's types of jws, one character from @types/ws: only its owner publishes there
])
def test_popular_and_unrelated_names_pass(ecosystem: str, name: str) -> None:
    assert PopularNames.load(ecosystem).check(ecosystem, name) is None


def test_data_files_hold_thousands_of_names() -> None:
    for ecosystem in ("PyPI", "npm"):
        names = PopularNames.load(ecosystem)
        assert len(names.known) > 5000 and len(names.targets) == 3000
