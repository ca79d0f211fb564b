"""File system checks: permissive modes, predictable temporary files, archive extraction without member checks."""

from __future__ import annotations

from bastion.sast.file_modes import SHARED_TEMP_DIRS
from bastion.sast.file_modes import world_writable as _too_open
from bastion.sast.python.checks import on_call, on_method
from bastion.sast.taint import Analyzer, CallEvent

_MODE_ARG = {"os.chmod": 1, "os.fchmod": 1, "os.lchmod": 1, "os.open": 2, "os.makedirs": 1, "os.mkdir": 1}


@on_call(*_MODE_ARG)
def file_mode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    mode = event.arg(_MODE_ARG[event.qual], "mode")
    if mode is not None and _too_open(mode.const):
        analyzer.report("permissive-file-permissions", event.node.span, f"{event.qual}() with mode {oct(mode.const)}")


@on_method("chmod", "mkdir", "touch")
def path_mode(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if event.qual and not event.qual.startswith("pathlib.Path()") and "()" not in event.qual and event.qual is not None:
        return
    mode = event.arg(0, "mode") if event.method == "chmod" else event.kwargs.get("mode")
    if mode is not None and _too_open(mode.const):
        analyzer.report("permissive-file-permissions", event.node.span, f"{event.method}() with mode {oct(mode.const)}")


@on_call("os.umask")
def umask(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    mask = event.arg(0, "mask")
    if mask is not None and isinstance(mask.const, int) and not mask.const & 0o002:
        analyzer.report("permissive-file-permissions", event.node.span, f"umask {oct(mask.const)} lets new files be world-writable")


@on_call("tempfile.mktemp", "os.tmpnam", "os.tempnam")
def mktemp(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("insecure-temp-file", event.node.span, f"{event.qual}() returns a name another process can claim first")


@on_call("open", "io.open", "os.open", "codecs.open")
def fixed_tmp_path(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    path = event.arg(0, "file")
    mode = event.arg(1, "mode")
    writing = event.qual == "os.open" or (mode is not None and isinstance(mode.const, str) and any(c in mode.const for c in "wax+"))
    if writing and path is not None and isinstance(path.const, str) and path.const.startswith(SHARED_TEMP_DIRS):
        analyzer.report("insecure-temp-file", event.node.span, f"fixed path {path.const} in a shared temporary directory")


@on_method("extractall", "extract")
def tar_extract(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    receiver = event.receiver
    qual = receiver.qual if receiver is not None else None
    if not qual or not qual.startswith(("tarfile.open()", "tarfile.TarFile()", "tarfile.TarFile.open()")):
        return
    if "filter" in event.kwargs or "members" in event.kwargs or (event.method == "extractall" and len(event.args) > 1):
        return
    if "extraction_filter" in hooks.file.text:
        return
    analyzer.report("archive-path-traversal", event.node.span, f"tar {event.method}() without filter= writes wherever member names point")


@on_call("shutil.unpack_archive")
def unpack(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if "filter" not in event.kwargs:
        archive = event.arg(0, "filename")
        name = archive.const if archive is not None and isinstance(archive.const, str) else ""
        if not name.endswith(".zip"):
            analyzer.report("archive-path-traversal", event.node.span, "shutil.unpack_archive() without filter= (tar members may escape)")
