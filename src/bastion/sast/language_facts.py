"""What a language means by the few constructs the shared taint core interprets itself.

The core (:mod:`bastion.sast.taint`, :mod:`bastion.sast.guards`,
:mod:`bastion.sast.url_shapes`) walks the neutral IR; where the meaning of an
IR node differs between languages it asks the frontend's :class:`LanguageFacts`
instead of assuming one language's rules: what ``import a.b`` binds, which
operator joins a name onto a path object, whether ``"ab" * 3`` repeats text,
which names denote no value, what a constant is truthy as, how programmers
name the constants they keep allow-lists in. Each frontend's semantics module
(``python/semantics.py``, ``javascript/semantics.py``) defines its own; the
defaults here assume nothing, so a core given none decides only what every
language agrees on. ``tests/sast/test_neutral_core.py`` fails when the core
modules name a language's own identifiers again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


def scalar_truth(value: Any) -> bool | None:
    """The truth every language agrees on: booleans, nothing, non-NaN numbers and text; None (undecided) otherwise."""
    if value is None or isinstance(value, (bool, int, str, bytes)):
        return bool(value)
    if isinstance(value, float) and value == value:
        return bool(value)
    return None


def no_constant_names(name: str) -> bool:
    return False


@dataclass(frozen=True)
class LanguageFacts:
    """The language rules the core consults; a frontend gives one through its hooks (``Hooks.facts``)."""

    #: A plain ``import a.b`` (no alias) binds the top package ``a`` to the module ``a`` (Python); when False
    #: such an import binds nothing (a JavaScript side-effect import ``import './polyfill'``).
    import_binds_package: bool = False
    #: The binary operator that joins a name onto a path object and gives a path again (Python's pathlib ``/``).
    path_join_operator: str | None = None
    #: The binary operator that repeats text a number of times (Python's ``"ab" * 3``); None where it does not.
    text_repeat_operator: str | None = None
    #: The binary operator that fills a format text with values (Python's ``"%s" % x``); its text is a prefix.
    text_format_operator: str | None = None
    #: Names that denote no value, like the constant None (JavaScript's ``undefined``).
    nothing_names: frozenset[str] = frozenset()
    #: Parameters the frontend gives a function for its implicit receiver (JavaScript's ``this``): never an
    #: argument of a call, so a predicate's body is read without them.
    receiver_names: frozenset[str] = frozenset()
    #: Constructors that build a URL from a text relative to a base (``new URL('/login', base)``).
    url_constructors: frozenset[str] = frozenset()
    #: Whether a name follows the convention for program constants (``ALLOWED_HOSTS``): membership in one is an
    #: allow-list check even when its value is defined in a file the analysis does not see.
    constant_name: Callable[[str], bool] = field(default=no_constant_names)
    #: The truth of a constant by the language's rules, None when the language's rules are not known for it.
    truth: Callable[[Any], bool | None] = field(default=scalar_truth)
