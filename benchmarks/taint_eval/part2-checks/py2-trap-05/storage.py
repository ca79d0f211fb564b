from pathlib import Path

ROOT = Path("/var/lib/app/blobs").resolve()


def read_blob(key: str) -> bytes:
    target = (ROOT / key).resolve()
    if not target.is_relative_to(ROOT):
        raise PermissionError(key)
    return target.read_bytes()
