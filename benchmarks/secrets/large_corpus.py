"""The large clean corpus: every text file of the Python and npm packages installed under benchmarks/.work and .venv.

The 40 MB clean corpus is the start of one site-packages in path order, so it is small and mostly Python
source. This one takes every installed package the benchmarks have (each venv's site-packages, each
node_modules, and the lockfiles of those npm projects): sources, type stubs, docs, configs, lockfiles,
minified bundles, source maps and the packages' own test data. Identical files are copied once (the same
package sits in several venvs), and each package gives at most MAX_PACKAGE bytes. Everything is sorted and
nothing is random, so two builds from the same installs are the same.

Besides the peers' and other benchmarks' installs, a set of big, varied npm packages (its package-lock.json is
part of the corpus, so `npm ci` there brings the same versions back):
  (cd benchmarks/.work/npm-corpus && npm install --ignore-scripts typescript aws-sdk googleapis firebase@10 \
      stripe @octokit/rest eslint webpack jest prettier)
"""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

from bastion.secrets.judge import LOCKFILES
from bastion.pipeline.workspace import VENDORED_DIRS

SUFFIXES = frozenset(
    """.py .pyi .pyx .pxd .js .mjs .cjs .jsx .ts .mts .cts .tsx .map .json .jsonc .json5 .yaml .yml .toml .cfg .ini
    .conf .properties .env .xml .csv .tsv .md .markdown .rst .txt .html .htm .css .scss .sh .bash .ipynb .lock .pem
    .crt .cer .key .tmpl .j2 .jinja .in .sql .graphql .proto .flow .snap""".split()
)
MAX_FILE = 4 * 1024 * 1024  # a few generated bundles are larger; they would dominate the corpus
# googleapis alone holds 171 MB of generated clients, aws-sdk 78 MB: past this many bytes (in path order) a
# package adds nothing, so that a few giants do not make the corpus one kind of file.
MAX_PACKAGE = 8 * 1024 * 1024
TEST_DIRS = frozenset("test tests testing testdata test_data fixtures __tests__ __fixtures__ __mocks__ spec specs".split())
MINIFIED = (".min.js", ".min.mjs", ".min.css", ".bundle.js", "-min.js", ".map")
DOCS = frozenset(".md .markdown .rst .txt .html .htm".split())
CONFIGS = frozenset(".json .jsonc .json5 .yaml .yml .toml .cfg .ini .conf .properties .env .xml".split())


def safe_parts(parts: tuple[str, ...]) -> list[str]:
    """Rename folders Bastion skips as vendored by default, so that every tool reads the same files."""
    return [part + "_src" if part in VENDORED_DIRS else part for part in parts]


def roots(work: Path, venv: Path) -> list[tuple[str, str, Path]]:
    """(ecosystem, label, folder) of every package tree: the site-packages of each venv, each node_modules."""
    found = [("python", "venv", p) for p in sorted(venv.glob("lib/python3*/site-packages"))]
    for site in sorted([*work.glob("*/lib/python3*/site-packages"), *work.glob("*/*/lib/python3*/site-packages")]):
        found.append(("python", "-".join(site.relative_to(work).parts[:-3]), site))
    found += [("npm", modules.parent.name, modules) for modules in sorted(work.glob("*/node_modules"))]
    return found


def lockfiles(work: Path) -> list[tuple[str, str, Path]]:
    """The lockfiles of the npm projects and dependency fixtures under work (packages rarely ship their own)."""
    return [("npm" if path.name.endswith(".json") else "python", path.parent.name, path)
            for path in sorted([*work.glob("*/*"), *work.glob("deps/*/*")]) if path.name.lower() in LOCKFILES and path.is_file()]


def kind(rel: Path) -> str:
    """What a file is, for the composition table: lockfile, minified, test data, notebook, docs, config, source."""
    name = rel.name.lower()
    if name in LOCKFILES or name == ".package-lock.json":
        return "lockfile"
    if name.endswith(MINIFIED):
        return "minified/map"
    if TEST_DIRS.intersection(p.lower() for p in rel.parts[:-1]) or name.startswith("test_") or ".test." in name or ".spec." in name:
        return "test data"
    if rel.suffix == ".ipynb":
        return "notebook"
    if rel.suffix in DOCS or rel.suffix == "":
        return "docs"
    return "config" if rel.suffix in CONFIGS else "source"


def package(label: str, rel: Path) -> tuple[str, ...]:
    """The installed package a file belongs to: its tree and first folder (two for an npm @scope)."""
    top = rel.parts[:2] if rel.parts[0].startswith("@") else rel.parts[:1]
    return (label, *top)


def candidates(work: Path, venv: Path) -> list[tuple[str, str, Path, Path]]:
    """(ecosystem, label, source file, path relative to its tree), sorted."""
    out = []
    for ecosystem, label, root in roots(work, venv):
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in SUFFIXES and not path.is_symlink() and path.is_file():
                out.append((ecosystem, label, path, path.relative_to(root)))
    return out + [(ecosystem, label, path, Path(path.name)) for ecosystem, label, path in lockfiles(work)]


def build(out: Path, work: Path, venv: Path) -> dict:
    """Copy every distinct text file once into out/<tree>/<path>; return the composition (files and bytes per kind)."""
    seen: set[bytes] = set()
    files, size, per_package = Counter(), Counter(), Counter()
    for ecosystem, label, path, rel in candidates(work, venv):
        owner = package(label, rel)
        if path.stat().st_size > MAX_FILE or per_package[owner] >= MAX_PACKAGE:
            continue
        data = path.read_bytes()
        digest = hashlib.blake2b(data, digest_size=16).digest()
        if digest in seen or b"\0" in data[:8192]:
            continue
        seen.add(digest)
        per_package[owner] += len(data)
        target = out.joinpath(*safe_parts((label, *rel.parts)))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        group = f"{ecosystem} {kind(rel)}"
        files[group] += 1
        size[group] += len(data)
    return {"files": dict(sorted(files.items())), "bytes": dict(sorted(size.items())), "packages": len(per_package),
            "total_files": sum(files.values()), "total_bytes": sum(size.values())}
