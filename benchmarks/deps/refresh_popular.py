"""Refresh src/bastion/deps/data/popular-{pypi,npm}.txt, the names lookalike detection measures against.

Input: tab-separated package lists with a popularity column (the PyPI list
ranks the 15,000 most downloaded projects; the npm list gives downloads a
month). Output: one normalized name per line, most popular first. The first
``--targets`` names are what a dependency must not imitate; every listed
name counts as popular itself and is never flagged.

    python benchmarks/deps/refresh_popular.py --pypi pypi.tsv --npm npm.tsv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from bastion.deps.versions import NPM, PYPI, normalize_name  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "src" / "bastion" / "deps" / "data"


def _rows(path: str):
    csv.field_size_limit(1 << 24)
    with open(path, newline="", encoding="utf-8") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def pypi_names(path: str, limit: int) -> list[str]:
    ranked = []
    for row in _rows(path):
        rank = (row.get("rank_among_15000_most_downloaded") or "").strip()
        if rank.isdigit():
            ranked.append((int(rank), normalize_name(PYPI, row["name"])))
    return _unique(name for _, name in sorted(ranked))[:limit]


def npm_names(path: str, limit: int) -> list[str]:
    counted = []
    for row in _rows(path):
        downloads = (row.get("downloads_a_month") or "").strip()
        if downloads.isdigit():
            counted.append((-int(downloads), normalize_name(NPM, row["name"])))
    return _unique(name for _, name in sorted(counted))[:limit]


def _unique(names) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name, None)
    return list(seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pypi", default="/work/.library/env/packages/pypi.tsv")
    parser.add_argument("--npm", default="/work/.library/env/packages/npm.tsv")
    parser.add_argument("--limit", type=int, default=15000, help="names kept per ecosystem")
    args = parser.parse_args()
    for filename, names in (("popular-pypi.txt", pypi_names(args.pypi, args.limit)), ("popular-npm.txt", npm_names(args.npm, args.limit))):
        (DATA / filename).write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"{filename}: {len(names)} names")


if __name__ == "__main__":
    main()
