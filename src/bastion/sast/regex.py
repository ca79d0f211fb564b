"""Static analysis of regular expressions, shared by every language frontend.

Two questions, both answered on the parsed pattern (``re._parser``, a
recursive-descent parser: linear in the pattern, and the pattern is never
*run*):

- :func:`redos`: can a backtracking engine take super-linear time on it? The
  answer comes from the pattern's position automaton (:mod:`bastion.sast.redos`):
  exponential when some state can loop back to itself along two different paths
  on the same text, polynomial when one loop can hand the same text to a later
  loop; and only when an attack string exists whose every path fails, so a
  repeat that ends the pattern (nothing after it can fail) is no finding.
- :func:`guard_clears`: what a full match against the pattern proves about
  a value, for guards like ``if not re.fullmatch(r"[a-z0-9_]+", name): abort()``.

JavaScript patterns are close enough to Python's for these questions; a
range the Python parser rejects (``[_.-+]``) is retried with the dash taken
literally, the way lenient engines read it.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from bastion.sast import redos as automaton
from bastion.sast.redos import C, charset

try:  # Python 3.11+
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older interpreters
    import sre_parse as P  # type: ignore[no-redef]

MAX_PATTERN = 5000
_IDENT = automaton.WORD | (1 << ord("-"))
_IDENT_DOT = _IDENT | (1 << ord("."))


@dataclass(frozen=True)
class Redos:
    """A pattern that backtracks super-linearly, why, and a string that proves it.

    ``kind`` is ``"exponential"`` or ``"polynomial"``; ``prefix + pump * n + suffix``
    takes time exponential (or polynomial) in ``n`` on a backtracking engine.
    """

    fragment: str
    reason: str
    kind: str = "exponential"
    prefix: str = ""
    pump: str = ""
    suffix: str = ""


def parse(pattern: str, flags: int = 0):
    """Parse leniently; None when the pattern is not a regex we can read."""
    if not isinstance(pattern, str) or len(pattern) > MAX_PATTERN:
        return None
    for _ in range(8):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return P.parse(pattern, flags)
        except RecursionError:
            return None
        except Exception as exc:  # noqa: BLE001 - re.error and friends: unreadable pattern
            pos = getattr(exc, "pos", None)
            message = str(exc)
            if pos is None or "bad character range" not in message:
                return None
            dash = pattern.find("-", pos)
            if dash < 0:
                return None
            pattern = pattern[:dash] + "\\" + pattern[dash:]
    return None


def literal(text: str) -> str:
    """The pattern that matches ``text`` and nothing else: a plain text replacement read as a substitution."""
    return re.escape(text)


def js_flags(letters: object) -> int:
    """The ``re`` flags of a JavaScript flag string (``"im"``); the rest (``g``, ``u``, ``y``, ``d``, ``v``) do not change matching here."""
    if not isinstance(letters, str):
        return 0
    table = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL}
    flags = 0
    for letter in letters:
        flags |= table.get(letter, 0)
    return flags


def redos(pattern: str, flags: int = 0, newline_end: bool = True) -> Redos | None:
    """Why ``pattern`` can backtrack super-linearly, with an attack string; None if it cannot.

    ``newline_end``: ``$`` also matches before a final newline, as in Python (pass False for JavaScript).
    """
    parsed = parse(pattern, flags)
    if parsed is None:
        return None
    try:
        attack = automaton.attack(parsed, parsed.state.flags, newline_end)
    except RecursionError:
        return None
    if attack is None:
        return None
    return Redos(pattern[:120], attack.reason, attack.kind, attack.prefix, attack.pump, attack.suffix)


def _all_chars(op, av, depth: int = 0) -> int:
    """Every character an item can consume anywhere."""
    if depth > 100:
        raise RecursionError
    if op in automaton.REPEATS:
        return _union(av[2], depth + 1)
    if op is C.SUBPATTERN:
        return _union(av[-1], depth + 1)
    if op is C.BRANCH:
        bits = 0
        for branch in av[1]:
            bits |= _union(branch, depth + 1)
        return bits
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return 0
    return charset(op, av)


def _union(seq, depth: int) -> int:
    bits = 0
    for op, av in seq:
        bits |= _all_chars(op, av, depth)
    return bits


def guard_clears(pattern: str, anchored_end: bool = True) -> frozenset[str] | None:
    """Rules a full match against ``pattern`` rules out; None if the pattern proves nothing.

    A pattern whose every consumed character is a letter, digit, ``_`` or ``-``
    clears everything; one that also admits ``.`` clears everything but path
    traversal (``..`` is still a path).
    """
    bits = matched_chars(pattern) if anchored_end else None
    if bits is None:
        return None
    cleared = chars_clear(bits)
    if cleared is not None and "*" not in cleared and not _names_a_parent(pattern):
        return frozenset({"*"})  # letters, digits, '_', '-', '.' but never '.' or '..' alone: a plain file name
    return cleared


def _names_a_parent(pattern: str) -> bool:
    """Whether a full match of ``pattern`` can be ``.`` or ``..`` (tried on those two strings, which cannot backtrack long)."""
    try:
        compiled = re.compile(pattern)
    except (re.error, RecursionError, OverflowError, ValueError):
        return True
    return any(compiled.fullmatch(name) or compiled.fullmatch(name + "\n") for name in (".", ".."))


def matched_chars(pattern: str) -> int | None:
    """Every character a match of ``pattern`` can consume (a 256-bit set), None if the pattern cannot be read."""
    parsed = parse(pattern)
    if parsed is None:
        return None
    bits = 0
    try:
        for op, av in parsed:
            if op is C.AT:
                continue
            bits |= _all_chars(op, av)
    except RecursionError:
        return None
    return bits


def chars_clear(bits: int) -> frozenset[str] | None:
    """Rules a value made only of the characters in ``bits`` (a 256-bit set) cannot exploit; None if none.

    Letters, digits, ``_`` and ``-`` clear everything; adding ``.`` clears
    everything but path traversal (``..`` is still a path).
    """
    if bits & ~_IDENT == 0:
        return frozenset({"*"})
    if bits & ~_IDENT_DOT == 0:
        return frozenset({"sql-injection", "command-injection", "code-injection", "xss", "ldap-injection", "xpath-injection",
                          "log-injection", "header-injection", "template-injection", "open-redirect", "ssrf", "nosql-injection"})  # fmt: skip
    return None
