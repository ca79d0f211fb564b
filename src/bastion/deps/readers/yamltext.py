"""YAML lockfiles (pnpm, Yarn Berry) read with PyYAML's C loader, after their nesting is measured.

The C loader builds nested collections by recursing in C, where Python's
recursion limit does not reach: 15,000 levels of ``- - - ...`` (found by
benchmarks/fuzz/run.py) overflow the stack and kill the process, and a scan's
dependency audit runs in the main process. So the document's events are
walked first (libyaml's parser is iterative) and a text nested deeper than
any lockfile is refused; this costs about a sixth of the load itself.
"""

from __future__ import annotations

import yaml

from bastion.deps.packages import ReaderError

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Far deeper than any lockfile (pnpm and Yarn nest about six levels), far below what the C stack holds.
MAX_DEPTH = 200
_OPENS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSES = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


def load_yaml_mapping(path: str, text: str) -> dict:
    """The YAML mapping of ``text`` (safe loader only); :class:`ReaderError` if it is not YAML, is nested too
    deeply, or is not a mapping."""
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, _OPENS):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ReaderError(f"{path}: nested deeper than {MAX_DEPTH} levels: not a lockfile")
            elif isinstance(event, _CLOSES):
                depth -= 1
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ReaderError(f"{path}: invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ReaderError(f"{path}: expected a YAML mapping")
    return data
