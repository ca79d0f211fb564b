"""Static analysis of regular expressions, shared by every language frontend.

Two questions, both answered on the parsed pattern (``re._parser``, a
recursive-descent parser: linear in the pattern, and the pattern is never
*run*):

- :func:`redos`: can the pattern backtrack exponentially? A repeat is
  ambiguous when its body can match the same text in more than one way: an
  inner variable-length repeat that every mandatory part of the body overlaps
  (``(a+)+``, ``(\\w+\\s?)*``, ``([a-z0-9-]+.)+``, ``([a-z]{2,4})+``), or
  alternatives that start with the same characters (``(a|ab)*``). A mandatory
  separator the inner repeat cannot eat (``(\\d+\\.)+``) makes it safe.
- :func:`guard_clears`: what a full match against the pattern proves about
  a value, for guards like ``if not re.fullmatch(r"[a-z0-9_]+", name): abort()``.

JavaScript patterns are close enough to Python's for these questions; a
range the Python parser rejects (``[_.-+]``) is retried with the dash taken
literally, the way lenient engines read it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

try:  # Python 3.11+
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older interpreters
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

MAX_PATTERN = 5000
_ALL = (1 << 256) - 1
_WORD = sum(1 << c for c in range(256) if chr(c).isalnum() or c == ord("_"))
_DIGIT = sum(1 << c for c in range(ord("0"), ord("9") + 1))
_SPACE = sum(1 << c for c in b" \t\n\r\f\v")
_CATEGORY = {
    C.CATEGORY_DIGIT: _DIGIT,
    C.CATEGORY_NOT_DIGIT: _ALL & ~_DIGIT,
    C.CATEGORY_WORD: _WORD,
    C.CATEGORY_NOT_WORD: _ALL & ~_WORD,
    C.CATEGORY_SPACE: _SPACE,
    C.CATEGORY_NOT_SPACE: _ALL & ~_SPACE,
}
_IDENT = _WORD | (1 << ord("-"))
_IDENT_DOT = _IDENT | (1 << ord("."))


@dataclass(frozen=True)
class Redos:
    """An ambiguous repeat: where it is in the pattern and why it backtracks."""

    fragment: str
    reason: str


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


def _charset(op, av) -> int:
    """The first characters an item can match, as a 256-bit set (non-Latin-1 folded into the top bit)."""
    if op is C.LITERAL:
        return 1 << min(av, 255)
    if op is C.NOT_LITERAL:
        return _ALL & ~(1 << min(av, 255))
    if op is C.ANY:
        return _ALL & ~(1 << 10)
    if op is C.IN:
        bits = 0
        negate = False
        for iop, iav in av:
            if iop is C.NEGATE:
                negate = True
            elif iop is C.LITERAL:
                bits |= 1 << min(iav, 255)
            elif iop is C.RANGE:
                lo, hi = iav
                for c in range(min(lo, 255), min(hi, 255) + 1):
                    bits |= 1 << c
            elif iop is C.CATEGORY:
                bits |= _CATEGORY.get(iav, _ALL)
            else:
                bits = _ALL
        return _ALL & ~bits if negate else bits
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        return _first(av[2])
    if op is C.SUBPATTERN:
        return _first(av[-1])
    if op is C.BRANCH:
        bits = 0
        for branch in av[1]:
            bits |= _first(branch)
        return bits
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return 0
    return _ALL


def _first(seq) -> int:
    """First-character set of a sequence (through leading optional items)."""
    bits = 0
    for op, av in seq:
        bits |= _charset(op, av)
        if not _nullable(op, av):
            break
    return bits


def _union(seq) -> int:
    bits = 0
    for op, av in seq:
        bits |= _all_chars(op, av)
    return bits


def _all_chars(op, av) -> int:
    """Every character an item can consume anywhere."""
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        return _union(av[2])
    if op is C.SUBPATTERN:
        return _union(av[-1])
    if op is C.BRANCH:
        bits = 0
        for branch in av[1]:
            bits |= _union(branch)
        return bits
    return _charset(op, av)


def _nullable(op, av) -> bool:
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        return av[0] == 0 or all(_nullable(o, a) for o, a in av[2])
    if op is C.SUBPATTERN:
        return all(_nullable(o, a) for o, a in av[-1])
    if op is C.BRANCH:
        return any(all(_nullable(o, a) for o, a in b) for b in av[1])
    return op in (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF_EXISTS)


def _is_repeat(op) -> bool:
    return op in (C.MAX_REPEAT, C.MIN_REPEAT)


def _variable_repeats(seq, depth: int = 0) -> list[int]:
    """Charsets of repeats inside ``seq`` that can match varying lengths (``+``, ``*``, ``{2,4}``)."""
    out: list[int] = []
    if depth > 50:
        return out
    for op, av in seq:
        if _is_repeat(op):
            lo, hi, body = av
            if hi != lo:
                out.append(_union(body))
            out.extend(_variable_repeats(body, depth + 1))
        elif op is C.SUBPATTERN:
            out.extend(_variable_repeats(av[-1], depth + 1))
        elif op is C.BRANCH:
            for branch in av[1]:
                out.extend(_variable_repeats(branch, depth + 1))
    return out


def _flatten(seq, depth: int = 0):
    """Items of a sequence with plain groups opened."""
    for op, av in seq:
        if op is C.SUBPATTERN and depth < 50:
            yield from _flatten(av[-1], depth + 1)
        else:
            yield op, av


def _last(seq) -> int:
    """Last-character set of a sequence (through trailing optional items)."""
    bits = 0
    for op, av in reversed(list(seq)):
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            bits |= _last(av[2])
        elif op is C.SUBPATTERN:
            bits |= _last(av[-1])
        elif op is C.BRANCH:
            for branch in av[1]:
                bits |= _last(branch)
        else:
            bits |= _charset(op, av)
        if not _nullable(op, av):
            break
    return bits


_LINE_ANCHORS = {getattr(C, name) for name in ("AT_BEGINNING", "AT_END", "AT_BEGINNING_LINE", "AT_END_LINE", "AT_BEGINNING_STRING", "AT_END_STRING") if hasattr(C, name)}


def _ambiguous(body) -> str | None:
    """Whether one iteration of a repeated ``body`` can be split across iterations in several ways."""
    items = list(_flatten(body))
    if any(op is C.AT and av in _LINE_ANCHORS for op, av in items):
        return None  # anchors pin every iteration to a line or the string: no free split
    if all(_nullable(op, av) for op, av in body):
        return "a repeated group can match the empty string"
    inner = _variable_repeats(body)
    if inner:
        covered = 0
        for bits in inner:
            covered |= bits
        if _first(body) & _last(body) & covered:
            return "a repeated group contains a variable-length repeat that can match the same text in several ways"
    for op, av in items:
        if op is C.BRANCH:
            branches = av[1]
            for i in range(len(branches)):
                for j in range(i + 1, len(branches)):
                    a, b = branches[i], branches[j]
                    if not _first(a) & _first(b):
                        continue
                    single = len(a) == 1 and len(b) == 1 and not _variable_repeats(a) and not _variable_repeats(b)
                    if single or _variable_repeats(a) or _variable_repeats(b):
                        return "a repeated alternation has branches that can match the same text"
    return None


def _walk(seq, found: list[str], depth: int = 0) -> None:
    if depth > 60 or found:
        return
    for op, av in seq:
        if _is_repeat(op):
            lo, hi, body = av
            if hi == C.MAXREPEAT or hi > 16:
                reason = _ambiguous(body)
                if reason:
                    found.append(reason)
                    return
            _walk(body, found, depth + 1)
        elif op is C.SUBPATTERN:
            _walk(av[-1], found, depth + 1)
        elif op is C.BRANCH:
            for branch in av[1]:
                _walk(branch, found, depth + 1)
        elif op in (C.ASSERT, C.ASSERT_NOT):
            _walk(av[1], found, depth + 1)


def redos(pattern: str, flags: int = 0) -> Redos | None:
    """Why ``pattern`` can backtrack exponentially, or None if it cannot (as far as this analysis sees)."""
    parsed = parse(pattern, flags)
    if parsed is None:
        return None
    found: list[str] = []
    try:
        _walk(list(parsed), found)
    except RecursionError:
        return None
    return Redos(pattern[:120], found[0]) if found else None


def guard_clears(pattern: str, anchored_end: bool = True) -> frozenset[str] | None:
    """Rules a full match against ``pattern`` rules out; None if the pattern proves nothing.

    A pattern whose every consumed character is a letter, digit, ``_`` or ``-``
    clears everything; one that also admits ``.`` clears everything but path
    traversal (``..`` is still a path).
    """
    if not anchored_end:
        return None
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
    if bits & ~_IDENT == 0:
        return frozenset({"*"})
    if bits & ~_IDENT_DOT == 0:
        return frozenset({"sql-injection", "command-injection", "code-injection", "xss", "ldap-injection", "xpath-injection",
                          "log-injection", "header-injection", "template-injection", "open-redirect", "ssrf", "nosql-injection"})  # fmt: skip
    return None
