"""Fetch a corpus of real Python and JavaScript from the package registries, once, into benchmarks/.work/.

Benchmarks share it so that every tool is measured on the same bytes. Wheels
and npm tarballs are unpacked, never installed or executed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

WORK = Path(__file__).resolve().parent / ".work"
PYTHON_PACKAGES = ["django==5.1.4", "flask==3.1.0", "werkzeug==3.1.3", "jinja2==3.1.4", "requests==2.32.3",
                   "click==8.1.7", "sqlalchemy==2.0.36", "urllib3==2.2.3"]


def python_corpus(packages: list[str] = PYTHON_PACKAGES) -> Path:
    """Unpacked wheels of well-known projects (about 600k lines with Django)."""
    target = WORK / "corpus" / "python"
    marker = target / ".complete"
    if marker.exists():
        return target
    wheels = WORK / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.11", "-d", str(wheels), *packages], check=True)
    for wheel in sorted(wheels.glob("*.whl")):
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.infolist():
                if member.filename.endswith(".py") and ".." not in member.filename:
                    destination = target / wheel.name.split("-")[0] / member.filename
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    destination.write_bytes(archive.read(member))
    marker.write_text("ok\n")
    return target


def count_lines(root: Path, suffixes: tuple[str, ...] = (".py",)) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.suffix in suffixes and p.is_file()]
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


def npm_corpus(packages: list[str]) -> Path:
    """Unpacked npm tarballs (no install scripts run: `npm pack` only downloads)."""
    target = WORK / "corpus" / "javascript"
    target.mkdir(parents=True, exist_ok=True)
    for package in packages:
        folder = target / package.replace("/", "__").replace("@", "")
        if folder.exists():
            continue
        printed = subprocess.run(["npm", "pack", package, "--silent", "--pack-destination", str(target)],
                                 check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        output = os.path.basename(printed)  # the tarball npm wrote into target (its printed name, never a path elsewhere)
        with tarfile.open(target / output) as archive:
            archive.extractall(folder, filter="data")
        (target / output).unlink()
    return target
