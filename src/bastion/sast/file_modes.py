"""What makes a Unix file mode too open, for every language's file-permission checks."""

from __future__ import annotations


def world_writable(mode: object) -> bool:
    """Write for others, or the catch-all 0o777 / 0o666 (which also let everyone read)."""
    return isinstance(mode, int) and not isinstance(mode, bool) and bool(mode & 0o002 or (mode & 0o777) in (0o777, 0o666))


#: Folders every local user can write to: a name chosen there in advance can be claimed first (a symlink to
#: the victim's file, or a file the attacker can read).
SHARED_TEMP_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/")
