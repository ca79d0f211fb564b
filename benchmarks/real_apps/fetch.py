"""Fetch the real-application corpus: open-source web applications nobody on the project wrote.

    python benchmarks/real_apps/fetch.py [--dest DIR]

Each application is downloaded at a pinned version through the ordinary clients
(`pip download`, `npm pack`) and unpacked, never installed or executed, into
benchmarks/.work/real_apps/<language>/<name> (gitignored: their code is not
committed). A manifest (`manifest.json`) records each archive's sha256 so that
a later run can tell it measured the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DEST = ROOT / "benchmarks" / ".work" / "real_apps"


@dataclass(frozen=True)
class App:
    """One application of the corpus: where it comes from and what framework it stands for."""

    name: str
    spec: str  # the pinned requirement given to pip or npm
    registry: str  # "pypi" or "npm"
    framework: str
    licence: str
    sha256: str = ""  # when set, the archive must have exactly this digest (held-out apps are frozen by it)
    held_out: bool = False  # frozen before a change and scanned only to measure it at the end


APPS = [
    App("flaskbb", "flaskbb==2.2.0", "pypi", "Flask", "BSD-3-Clause"),
    App("calibreweb", "calibreweb==0.6.27", "pypi", "Flask", "GPL-3.0"),
    App("isso", "isso==0.14.0", "pypi", "Werkzeug/Flask-style", "MIT"),
    App("fief-server", "fief-server==0.30.0", "pypi", "FastAPI", "Fief Community License"),
    App("opal-server", "opal-server==0.9.9", "pypi", "FastAPI", "Apache-2.0"),
    App("django-helpdesk", "django-helpdesk==2.6.1", "pypi", "Django", "BSD-3-Clause"),
    App("hyperkitty", "hyperkitty==1.3.12", "pypi", "Django", "GPL-3.0"),
    App("thelounge", "thelounge@4.5.2", "npm", "Express + Vue", "MIT"),
    App("actual-sync-server", "@actual-app/sync-server@26.9.0", "npm", "Express", "MIT"),
    App("node-red-editor-api", "@node-red/editor-api@5.0.7", "npm", "Express", "Apache-2.0"),
    App("umami", "umami@2.10.0", "npm", "Next.js/React", "MIT"),
    # Held out (branch precpy, frozen 2026-12-07 before any change): not scanned or read while the Python
    # models were tuned on the seven apps above; scanned once at the end to check the changes generalise.
    App("ihatemoney", "ihatemoney==7.2.1", "pypi", "Flask", "Beerware-style BSD",
        sha256="19742d7c6d08ee5675b97beefc7c40f1e07fe8ee2124a1036f5679f20ff9e324", held_out=True),
    App("django-wiki", "wiki==0.13.0", "pypi", "Django", "GPL-3.0",
        sha256="5075e640ef89283876a65a8088a17dd43038b64d5bee3a65c0af2424fe13ede9", held_out=True),
]


# Held out (branch precjs, frozen 2026-12-07 before any change): not scanned or read while the JavaScript
# models and checks were tuned on the four JavaScript apps above; scanned once at the end to check the changes generalise.
APPS += [
    App("mongo-express", "mongo-express@1.0.2", "npm", "Express", "MIT",
        sha256="7f9e2a6aeecc61b520b3f790263df2a3e38018bb9659f278ddeedba3c15a2941", held_out=True),
    App("homebridge-config-ui-x", "homebridge-config-ui-x@5.28.0", "npm", "NestJS on Fastify", "MIT",
        sha256="31a29352b01a3008974f58a3d84e5eb9f8569dd628158b42aae4a7a80a43fb32", held_out=True),
]

# Held out (branch precpy5, frozen 2026-12-07 before any change): three Python web applications not scanned or
# read while the Python models were tuned on the nine Python apps above (ihatemoney and django-wiki are tuning
# apps from this round on); scanned with the branch point's code at once, their findings read only at the end.
APPS += [
    App("changedetection", "changedetection.io==0.60.10", "pypi", "Flask", "Apache-2.0",
        sha256="a99794de52220a398ef4002ac66f6bf07e579ef9269254828e6b59bd3fb2cd13", held_out=True),
    App("archivebox", "archivebox==0.9.73", "pypi", "Django", "MIT",
        sha256="2b4a4be06420cbe0f6991bc18d45df62f324c84f2f652c2cb056a2be3a3ca117", held_out=True),
    App("datasette", "datasette==0.65.5", "pypi", "ASGI (Starlette-style)", "Apache-2.0",
        sha256="ca5faf528d4c1acc22e78b0274257435683ae6c75cf275939f2b92a10e498dbb", held_out=True),
]


# Held out (branch precjs5, frozen 2026-12-07 before any change): the two apps above were read while tuning
# and are development apps now; these three were neither scanned nor read until the branch's final run.
APPS += [
    App("json-server", "json-server@0.17.4", "npm", "Express", "MIT",
        sha256="254297dda7a85d5faa48985e1a81ffa05cea5e8bf6aaf3036d58ac1db2798cd1", held_out=True),
    App("etherpad-lite", "ep_etherpad-lite@1.8.14", "npm", "Express + socket.io", "Apache-2.0",
        sha256="b380d8e25a5ef844522e6d62adbd433bcabcc9d12b88ca3c10d312e86c39aea9", held_out=True),
    App("cncjs", "cncjs@1.11.5", "npm", "Express + socket.io", "MIT",
        sha256="b75d42f181f24586fbeb1898236da99e8532429aea8fe3d98c5da66e07764918", held_out=True),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def unpack(archive: Path, target: Path) -> None:
    """Unpack a wheel, sdist or npm tarball under target, refusing paths that leave it."""
    if archive.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.infolist():
                if member.is_dir() or ".." in Path(member.filename).parts or member.filename.startswith("/"):
                    continue
                destination = target / member.filename
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(bundle.read(member))
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(target, filter="data")


def download(app: App, scratch: Path) -> Path:
    if app.registry == "pypi":
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--disable-pip-version-check", "--ignore-requires-python",
                        "-d", str(scratch), app.spec], check=True)
    else:
        subprocess.run(["npm", "pack", app.spec, "--silent", "--pack-destination", str(scratch)],
                       check=True, capture_output=True, text=True)
    (archive,) = [p for p in scratch.iterdir() if p.is_file()]
    return archive


def fetch(dest: Path) -> dict[str, dict]:
    manifest_path = dest / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for app in APPS:
        language = "python" if app.registry == "pypi" else "javascript"
        target = dest / language / app.name
        if app.name in manifest and target.exists():
            continue
        with tempfile.TemporaryDirectory() as scratch:
            archive = download(app, Path(scratch))
            digest = sha256(archive)
            if app.sha256 and digest != app.sha256:
                raise SystemExit(f"{app.spec}: archive sha256 {digest} is not the pinned {app.sha256}")
            unpack(archive, target)
            manifest[app.name] = {**asdict(app), "archive": archive.name, "sha256": digest,
                                  "language": language}
        print(f"fetched {app.spec} -> {target}", flush=True)
    dest.mkdir(parents=True, exist_ok=True)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dest", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args()
    fetch(args.dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
