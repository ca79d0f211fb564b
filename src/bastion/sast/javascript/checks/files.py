"""File system checks: world-writable modes, predictable names in shared temporary folders, tar extraction that
keeps absolute and ``..`` member paths."""

from __future__ import annotations

from typing import Any

from bastion.sast import ir
from bastion.sast.file_modes import SHARED_TEMP_DIRS, world_writable
from bastion.sast.javascript.checks import const, get, is_true, on, options
from bastion.sast.javascript.checks.bindings import bindings, dotted, qualified, resolved
from bastion.sast.taint import Analyzer, CallEvent

_FS = ("fs.", "fs.promises.", "fs/promises.", "fs-extra.", "graceful-fs.")


def _fs_functions(*names: str) -> dict[str, str]:
    """``fs.chmod`` and the same function of fs/promises, fs.promises, fs-extra and graceful-fs, by its short name."""
    return {f"{module}{name}": name for module in _FS for name in names}


#: Where each call takes its mode: an argument index, or ("options", index) for ``{ mode }`` in an options object
#: that may also be the mode itself (mkdir).
_MODE_AT = {**{q: 1 for q in _fs_functions("chmod", "chmodSync", "lchmod", "lchmodSync", "fchmod", "fchmodSync")},
            **{q: 2 for q in _fs_functions("open", "openSync")}}
_MODE_IN_OPTIONS = {**{q: 1 for q in _fs_functions("mkdir", "mkdirSync", "mkdirp", "ensureDir", "ensureDirSync", "createWriteStream")},
                    **{q: 2 for q in _fs_functions("writeFile", "writeFileSync", "appendFile", "appendFileSync", "outputFile", "outputFileSync")}}
_WRITERS = {**{q: 2 for q in _fs_functions("writeFile", "writeFileSync", "appendFile", "appendFileSync")},
            **{q: 1 for q in _fs_functions("createWriteStream", "open", "openSync")}}


def _mode(expr: ir.Expr | None) -> int | None:
    """A mode as Node reads it: a number, or a string of octal digits ('777')."""
    value = const(expr)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value and all(c in "01234567" for c in value.removeprefix("0o")):
        return int(value.removeprefix("0o"), 8)
    return None


@on(*(f"call:{name}" for name in (*_MODE_AT, *_MODE_IN_OPTIONS)))
def file_mode(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    qual = event.qual or ""
    index = _MODE_AT.get(qual, _MODE_IN_OPTIONS.get(qual, -1))
    arg = event.node.args[index] if 0 <= index < len(event.node.args) else None
    opts = options(hooks, arg) if qual in _MODE_IN_OPTIONS else None
    mode = _mode(get(opts, "mode") if opts is not None else arg if qual in _MODE_AT or qual.rsplit(".", 1)[-1].startswith(("mkdir", "ensureDir")) else None)
    if mode is not None and world_writable(mode):
        analyzer.report("permissive-file-permissions", event.node.span, f"{qual}() with mode {oct(mode)}")


@on("call:process.umask")
def umask(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    mask = _mode(event.node.args[0]) if event.node.args else None
    if mask is not None and not mask & 0o002:
        analyzer.report("permissive-file-permissions", event.node.span, f"umask {oct(mask)} lets new files be world-writable")


#: Parts of a file name anyone can guess: the time and the process id.
_GUESSABLE = frozenset({"Date.now", "process.pid", "Date.prototype.getTime", "os.tmpdir", "os.homedir"})


def _predictable_temp_path(analyzer: Analyzer, expr: ir.Expr | None, names: dict[str, ir.Expr]) -> str | None:
    """``'/tmp/report.csv'``, ``path.join(os.tmpdir(), 'app.lock')``, `` `${os.tmpdir()}/out-${Date.now()}` ``:
    a path in a shared temporary folder whose every part is a constant or guessable. Returns how it was named."""
    expr = resolved(expr, names)
    if isinstance(expr, ir.Const):
        return f"the fixed path {expr.value}" if isinstance(expr.value, str) and expr.value.startswith(SHARED_TEMP_DIRS) else None
    parts: list[ir.Expr] = []
    if isinstance(expr, ir.Call) and qualified(analyzer, expr.func, names) in ("path.join", "path.resolve", "path.posix.join"):
        parts = list(expr.args)
    elif isinstance(expr, ir.Concat):
        parts = list(expr.parts)
    elif isinstance(expr, ir.BinOp) and expr.op == "+":
        parts = [expr.left, expr.right]
    if not parts:
        return None
    first = resolved(parts[0], names)
    in_temp = (isinstance(first, ir.Call) and qualified(analyzer, first.func, names) == "os.tmpdir") or (
        isinstance(first, ir.Const) and isinstance(first.value, str) and first.value.startswith(SHARED_TEMP_DIRS))
    if not in_temp:
        return None
    if not all(_guessable(analyzer, part, names) for part in parts[1:]):
        return None
    return "a guessable name in os.tmpdir()" if not isinstance(first, ir.Const) else f"a guessable name under {first.value}"


def _guessable(analyzer: Analyzer, part: ir.Expr, names: dict[str, ir.Expr]) -> bool:
    if isinstance(part, ir.Name) and isinstance(names.get(part.id), (ir.Const, ir.Concat, ir.BinOp, ir.Call)):
        part = names[part.id]
    if isinstance(part, ir.Concat):
        return all(_guessable(analyzer, p, names) for p in part.parts)
    if isinstance(part, ir.BinOp) and part.op == "+":
        return _guessable(analyzer, part.left, names) and _guessable(analyzer, part.right, names)
    return isinstance(part, ir.Const) or qualified(analyzer, part.func if isinstance(part, ir.Call) else part, names) in _GUESSABLE


def _exclusive(hooks: Any, flag_arg: ir.Expr | None) -> bool:
    """``{ flag: 'wx' }`` or an open flag with x / O_EXCL: the call fails if the name was claimed first."""
    opts = options(hooks, flag_arg)
    flag = get(opts, "flag") or get(opts, "flags") if opts is not None else flag_arg
    text = const(flag)
    return (isinstance(text, str) and "x" in text) or "O_EXCL" in dotted_all(flag)


def dotted_all(expr: Any) -> str:
    """Every name in a flags expression (``fs.constants.O_CREAT | fs.constants.O_EXCL``), joined for a search."""
    if isinstance(expr, ir.BinOp):
        return dotted_all(expr.left) + " " + dotted_all(expr.right)
    return dotted(expr) if isinstance(expr, (ir.Name, ir.Attr)) else ""


@on(*(f"call:{name}" for name in _WRITERS))
def temp_file(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    if not event.node.args:
        return
    qual = event.qual or ""
    index = _WRITERS[qual]
    flag_arg = event.node.args[index] if index < len(event.node.args) else None
    if qual.rsplit(".", 1)[-1].startswith("open") and flag_arg is not None and const(flag_arg) in ("r", "rs", "r+"):
        return
    how = _predictable_temp_path(analyzer, event.node.args[0], bindings(hooks, analyzer))
    if how is not None and not _exclusive(hooks, flag_arg):
        analyzer.report("insecure-temp-file", event.node.span, f"{qual}() writes {how}, which another local user can create first")


@on("call:tar.x", "call:tar.extract", "call:tar.default.x", "call:tar.default.extract")
def tar_preserve_paths(hooks: Any, analyzer: Analyzer, event: CallEvent) -> None:
    """node-tar strips ``..`` and leading ``/`` from member paths unless ``preservePaths: true``."""
    opts = options(hooks, event.node.args[0] if event.node.args else None)
    if is_true(get(opts, "preservePaths")):
        analyzer.report("archive-path-traversal", event.node.span, "tar extraction with preservePaths: true writes wherever member names point")
