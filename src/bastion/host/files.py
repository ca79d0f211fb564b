"""Reading files of a scanned tree that may be hostile: regular files only, never past a size cap, never outside the root.

Every engine, the workers, fixes and the audit read through these two functions, so a FIFO, a device or a
symlink out of the root cannot block or leak a scan.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular_file(path: str | Path, limit: int) -> bytes:
    """Read a regular file without blocking on FIFOs or devices and without reading past ``limit``.

    Raises OSError (``EINVAL``) for anything that is not a regular file and
    ValueError when the file is larger than ``limit``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(22, "not a regular file", str(path))
        if info.st_size > limit:
            raise ValueError(f"{path} is larger than {limit} bytes")
        # Ask for one byte more than fstat's size: getting exactly that size back is the end of the file,
        # so a plain file costs one read. Short reads and files that grow loop on, never past the limit.
        chunks = []
        total = 0
        request = info.st_size + 1
        while total <= limit:
            request = min(request, limit + 1 - total)
            chunk = os.read(fd, request)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total == info.st_size and len(chunk) < request:
                break
            request = 1 << 20
        data = b"".join(chunks)
        if len(data) > limit:
            raise ValueError(f"{path} is larger than {limit} bytes")
        return data
    finally:
        os.close(fd)


def read_confined(root: Path, relpath: str, limit: int) -> bytes:
    """Read ``relpath`` under ``root``, refusing any path (or symlink) that resolves outside it."""
    root = Path(os.path.realpath(root))
    target = Path(os.path.realpath(root / relpath))
    if not target.is_relative_to(root):
        raise PermissionError(f"{relpath} is outside the scanned root")
    return read_regular_file(target, limit)
