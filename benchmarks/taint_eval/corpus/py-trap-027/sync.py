from pathlib import Path

ROOT = Path("/srv/share").resolve()


def read_many(names):
    contents = {}
    for name in names:
        candidate = (ROOT / name).resolve()
        if not candidate.is_relative_to(ROOT):
            continue
        contents[name] = candidate.read_bytes()
    return contents
