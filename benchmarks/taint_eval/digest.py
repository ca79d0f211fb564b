"""Recompute and check the frozen evaluation corpus's digest.

    python benchmarks/taint_eval/digest.py              # check corpus/ against MANIFEST (exit 1 on any change)
    python benchmarks/taint_eval/digest.py --part corpus2
    python benchmarks/taint_eval/digest.py --write      # (re)freeze: only when a part is first frozen

The MANIFEST lists the sha256 of every file of a part, one ``<sha256>  <path>``
line per file in path order (paths relative to the part, '/'-separated). The
part's digest is the sha256 of those lines joined by newlines with a final
newline, so anyone can recompute it with ``sha256sum`` alone:
``cd corpus && find . -type f | sed 's|^./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFESTS = {
    "corpus": HERE / "MANIFEST",
    "corpus2": HERE / "MANIFEST2",
    "part2-checks": HERE / "MANIFEST-part2-checks",  # issue 12 points 1-4: checks, containers, sources
}


def file_lines(root: Path) -> list[str]:
    """One ``<sha256>  <path>`` line per file under root, sorted by path as bytes (like LC_ALL=C sort)."""
    paths = sorted((p for p in root.rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix().encode())
    return [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}" for p in paths]


def digest_of(lines: list[str]) -> str:
    return hashlib.sha256(("\n".join(lines) + "\n").encode()).hexdigest()


def read_manifest(path: Path) -> tuple[str, list[str]]:
    """The recorded digest and file lines of a MANIFEST."""
    text = path.read_text(encoding="utf-8").splitlines()
    recorded = next(line.split(":", 1)[1].strip() for line in text if line.startswith("# digest:"))
    return recorded, [line for line in text if line and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=sorted(MANIFESTS), default="corpus")
    parser.add_argument("--write", action="store_true", help="write the MANIFEST from the files as they are now")
    args = parser.parse_args(argv)
    root, manifest = HERE / args.part, MANIFESTS[args.part]
    if not root.is_dir():
        print(f"no {args.part}/ folder", file=sys.stderr)
        return 2
    lines = file_lines(root)
    digest = digest_of(lines)
    if args.write:
        header = [f"# {args.part}/ of benchmarks/taint_eval, frozen: sha256 of every file", f"# digest: {digest}"]
        manifest.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
        print(digest)
        return 0
    if not manifest.exists():
        print(f"{manifest.name} missing: the part was never frozen", file=sys.stderr)
        return 2
    recorded, listed = read_manifest(manifest)
    problems = []
    if digest_of(listed) != recorded:
        problems.append("the MANIFEST's own lines do not hash to its recorded digest")
    before, now = dict(reversed(line.split("  ", 1)) for line in listed), dict(reversed(line.split("  ", 1)) for line in lines)
    problems += [f"changed: {p}" for p in sorted(before.keys() & now.keys()) if before[p] != now[p]]
    problems += [f"missing: {p}" for p in sorted(before.keys() - now.keys())]
    problems += [f"added: {p}" for p in sorted(now.keys() - before.keys())]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{args.part}: NOT the frozen corpus (recorded {recorded}, now {digest})", file=sys.stderr)
        return 1
    print(f"{args.part}: {len(lines)} files, digest {digest} (matches MANIFEST)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
