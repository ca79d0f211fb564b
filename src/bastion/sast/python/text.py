"""What Python's text operations mean to the taint core: which str methods build text, how they fold on
constants, and ``%`` formatting.

The core asks through its hooks (:meth:`bastion.sast.taint.Hooks.text_method`,
``fold_method``, ``format_operator``); the answers are Python's own. Folding
runs the real str method on constants, so it is bounded before it runs: no
result over :data:`~bastion.sast.taint.MAX_CONST` characters is built, and a
template whose widths could allocate a huge string is never folded.
"""

from __future__ import annotations

import string
from typing import Any

from bastion.sast.taint import MAX_CONST, UNKNOWN, Value, _cap, _cleared_of

#: str methods whose result is text assembled from the receiver and the arguments.
BUILDING = frozenset(
    "format join replace strip lstrip rstrip lower upper title casefold encode decode removeprefix removesuffix "
    "capitalize ljust rjust center zfill expandtabs swapcase format_map".split()
)
#: str methods folded on constants by running them (bounded: see fold_method).
FOLDABLE = frozenset(
    "join replace strip lstrip rstrip lower upper title casefold removeprefix removesuffix startswith endswith isdigit isalnum isalpha find count".split()
)


def text_method(method: str) -> str | None:
    """"join" for ``sep.join(items)`` (the receiver joins the items of its argument), "built" for the other
    text-building methods, None for anything else."""
    if method == "join":
        return "join"
    return "built" if method in BUILDING else None


def fold_method(method: str, receiver: Any, consts: list[Any]) -> Any:
    """The constant result of ``receiver.method(*consts)`` on a constant str, else UNKNOWN."""
    if not isinstance(receiver, str):
        return UNKNOWN
    try:
        if method == "join":
            if len(consts) == 1 and isinstance(consts[0], (list, tuple)) and all(isinstance(c, str) for c in consts[0]):
                text = receiver.join(consts[0])
                return text if len(text) <= MAX_CONST else UNKNOWN
            return UNKNOWN
        if method in FOLDABLE and all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in consts):
            if method == "replace" and len(receiver) * (len(str(consts[1])) + 1 if len(consts) > 1 else 1) > MAX_CONST:
                return UNKNOWN
            return getattr(receiver, method)(*consts)
        if method == "format" and "." not in receiver and "[" not in receiver and _safe_template(receiver) \
                and not _nested_format_spec(receiver) and all(isinstance(c, (str, int, float)) for c in consts):
            text = receiver.format(*consts)
            return text if len(text) <= MAX_CONST else UNKNOWN
    except MemoryError:
        raise  # the file's memory budget ran out: the runner reports it (a fold must never hide that)
    except Exception:  # noqa: BLE001 - folding foreign constants must never crash the scan
        return UNKNOWN
    return UNKNOWN


def percent(template: Value, args: Value) -> Value:
    """``template % args``: folded for small constant templates, else text built from both."""
    if template.is_const and args.is_const and isinstance(template.const, str) and _safe_template(template.const):
        try:
            text = template.const % args.const
            if isinstance(text, str) and len(text) <= MAX_CONST:
                return Value(const=text)
        except MemoryError:
            raise  # the file's memory budget ran out: the runner reports it
        except Exception:  # noqa: BLE001 - a malformed constant format is the scanned code's problem
            pass
    return Value(labels=_cap(template.labels | args.labels), built=True, cleared=_cleared_of([template, args]))


def _safe_template(template: str) -> bool:
    """Only fold small templates without width fields that could allocate huge strings."""
    if len(template) > 2000 or "*" in template:
        return False
    digits = 0
    for ch in template:
        digits = digits + 1 if ch.isdigit() else 0
        if digits >= 4:
            return False
    return True


def _nested_format_spec(template: str) -> bool:
    """Does a field take its width or precision from an argument (``"{0:{1}}"``)? Then the argument,
    not the template, sizes the result, and ``format`` would build it whole before any length check."""
    try:
        return any(spec and "{" in spec for _, _, spec, _ in string.Formatter().parse(template))
    except ValueError:
        return True
