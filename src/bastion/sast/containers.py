"""Objects and mappings built from others, entry by entry: spreads, ``Object.assign``, ``dict.update``, ``Map.set``.

A ``Value``'s ``items`` are the entries known by constant key; a key not
among them reads the whole value's labels. Merging keeps the order the
language gives them (later sources win): ``{...req.body, command: 'build'}``
knows ``command`` is the constant whatever the body held, while
``{command: 'build', ...req.body}`` knows nothing about ``command`` (the body
may hold one). A source whose keys are not all known forgets every entry
before it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Iterable

from bastion.sast import taint as t  # the core imports this module: names are read at call time

if TYPE_CHECKING:
    from bastion.sast.taint import Value


def entry(key: Value | None, value: Value) -> Value:
    """One ``key: value`` of a display as a source to merge; a computed or spread key is a source of unknown keys."""
    if key is not None and key.is_const and t._is_key(key.const):
        return t.Value(labels=value.labels, built=value.built, cleared=value.cleared, items=((key.const, value),))
    return t.Value(labels=value.labels, built=value.built, cleared=value.cleared)


def merge(sources: Iterable[Value], base: Value | None = None) -> Value:
    """The object made by copying ``sources`` in order onto ``base`` (``Object.assign(base, *sources)``, ``{...a, k: v}``)."""
    pieces = ([base] if base is not None else []) + list(sources)
    tracked: dict[Any, Value] = {}
    for piece in pieces:
        if not fully_known(piece):
            tracked = {}  # its unknown keys may replace any entry seen so far
        for key, value in piece.items or ():
            tracked[key] = value
    items = tuple(tracked.items()) if len(tracked) <= t.MAX_ITEMS else None
    qual = base.qual if base is not None else None
    return t.Value(t.UNKNOWN, qual, t._cap(t.union(pieces)), any(p.built for p in pieces), t._cleared_of(pieces), items)


def fully_known(value: Value) -> bool:
    """Every key of ``value`` is among its tracked entries (a display, a constant mapping): nothing else can appear."""
    if value.is_const:
        return isinstance(value.const, dict) and value.items is not None and len(value.items) == len(value.const)
    if value.items is None:
        return False
    return value.labels <= t.union(v for _, v in value.items)


def store(container: Value, key: Value, value: Value) -> Value:
    """``m.set('a', v)``: the container with entry ``a`` replaced; an unknown key forgets every entry. Entry ``a``
    replaces the composite entries under it too (``cfg['deploy'] = {...}`` after ``cfg.set('deploy', 'unit', x)``)."""
    labels = t._cap(container.labels | value.labels)
    if not (key.is_const and t._is_key(key.const)):
        return replace(container, const=t.UNKNOWN, labels=labels, items=None)
    kept = tuple((k, v) for k, v in container.items or ()
                 if not (type(k) is type(key.const) and k == key.const) and not under(k, key.const))
    items = kept + ((key.const, value),)
    return replace(container, const=t.UNKNOWN, labels=labels, items=items if len(items) <= t.MAX_ITEMS else None)


def under(key: Any, outer: Any) -> bool:
    """Whether ``key`` is a composite key whose first part is ``outer`` (an option of a section)."""
    return isinstance(key, tuple) and not isinstance(outer, tuple) and len(key) > 1 and type(key[0]) is type(outer) and key[0] == outer


def section(container: Value, outer: Any) -> Value | None:
    """``cfg['deploy']`` of a container whose entries have composite keys (configparser's ``set('deploy', 'unit',
    x)``): the entries under ``outer`` as a container of their own, keyed by the rest of their key. What the
    container holds under keys it does not know may be in this part too. None when no entry lies under ``outer``."""
    inner = tuple((k[1] if len(k) == 2 else k[1:], v) for k, v in container.items or () if under(k, outer))
    if not inner:
        return None
    labels = t.union(v for _, v in inner) if fully_known(container) else container.labels
    return t.Value(labels=t._cap(labels), built=any(v.built for _, v in inner), cleared=t._cleared_of([v for _, v in inner]),
                   items=inner)


def store_nested(container: Value, outer: Value, key: Value, value: Value) -> Value:
    """``cfg['deploy']['unit'] = v``: entry ``unit`` of the part under ``deploy`` replaced (the part read as
    :func:`section` or its own entry), then the part stored back under ``deploy``."""
    if not (outer.is_const and t._is_key(outer.const)) or (container.labels and not fully_known(container)):
        # where the part lies is not known, or the container holds data under keys it does not know
        return replace(container, const=t.UNKNOWN, labels=t._cap(container.labels | value.labels), items=None)
    part = container.item(outer.const) or section(container, outer.const) or t.Value(cleared=t.ALL, items=())
    return store(container, outer, store(part, key, value))
