"""Build the two benchmark corpora under benchmarks/.work/secrets/.

planted/  fresh random secrets of every detector format (right charset, length
          and checksum) in realistic files of many kinds, each provider format
          once more split into "+"-joined literals (shape "split"), plus hard negatives
          (placeholders, hashes, UUIDs, base64 images, lockfile integrity
          hashes, high-entropy test data). truth.json lists every planted
          secret: path, line, detector, provider.
clean/    text files copied from installed open-source packages: any finding
          there counts as a false positive.
clean-large/  (--large, built alone) every distinct text file of every Python and npm
          package installed under benchmarks/.work and .venv (large_corpus.py);
          clean-large.json holds its composition.

Usage: python benchmarks/secrets/generate.py [--copies 4] [--clean-mb 40] [--seed 7]
       python benchmarks/secrets/generate.py --large
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import shutil
import site
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bastion.secrets import catalog, samples  # noqa: E402
import large_corpus  # noqa: E402

WORK = ROOT / "benchmarks" / ".work" / "secrets"
TEXT_SUFFIXES = {".py", ".js", ".ts", ".json", ".yaml", ".yml", ".toml", ".cfg", ".ini", ".md", ".rst", ".txt", ".html", ".css", ".sh", ".pyi"}


def var_name(det) -> str:
    return "".join(c if c.isalnum() else "_" for c in det.provider.upper()).strip("_") + "_CREDENTIAL"


def _split_ctx(line: str) -> tuple[str, str] | None:
    """A contextual sample is ``NAME = "value"``: split it so each format can write it its own way."""
    if " = " not in line:
        return None
    name, value = line.split(" = ", 1)
    return name.strip(), value.strip().strip('"')


def render_file(kind: str, name: str, value: str, multiline: bool) -> tuple[str, int]:
    """(file text, 1-based line where the value starts)."""
    if multiline:
        if kind == "py":
            return f'"""Deployment helpers."""\nimport os\n\n{name} = """{value}\n"""\n', 4
        return f"{value}\n", 1
    if kind == "py":
        return f'"""Service settings."""\nimport os\n\nDEBUG = os.environ.get("DEBUG") == "1"\n{name} = "{value}"\nTIMEOUT = 30\n', 5
    if kind == "js":
        return f'const axios = require("axios");\n\nconst {name.lower()} = "{value}";\nmodule.exports = {{ {name.lower()} }};\n', 3
    if kind == "env":
        return f"# service configuration\nNODE_ENV=production\nPORT=8080\n{name}={value}\n", 4
    if kind == "yaml":
        return f"service:\n  replicas: 2\n  env:\n    {name}: \"{value}\"\n", 4
    if kind == "json":
        return json.dumps({"service": "billing", "settings": {name: value, "retries": 3}}, indent=2) + "\n", 4
    if kind == "docker":
        return f"FROM python:3.12-slim\nWORKDIR /app\nENV {name}={value}\nCMD [\"python\", \"app.py\"]\n", 3
    if kind == "tf":
        return f'provider "aws" {{\n  region = "eu-west-1"\n}}\n\nlocals {{\n  {name.lower()} = "{value}"\n}}\n', 6
    if kind == "sh":
        return f"#!/bin/sh\nset -eu\nexport {name}=\"{value}\"\nexec ./run\n", 3
    if kind == "ipynb":
        nb = {"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
                          "source": ["import requests\n", f'{name} = "{value}"\n', "requests.get(URL)\n"]}],
              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        text = json.dumps(nb, indent=1) + "\n"
        line = next(i for i, l in enumerate(text.splitlines(), 1) if value[:20] in l)
        return text, line
    raise ValueError(kind)


KINDS = {"py": "settings.py", "js": "config.js", "env": ".env", "yaml": "values.yaml", "json": "settings.json",
         "docker": "Dockerfile", "tf": "main.tf", "sh": "deploy.sh", "ipynb": "analysis.ipynb"}


def plant(out: Path, copies: int, rng: random.Random) -> list[dict]:
    truth = []
    kinds = list(KINDS)
    for det in catalog.detectors():
        for copy in range(copies):
            sample = samples.render(det.sample, rng)
            multiline = "\n" in sample
            ctx = _split_ctx(sample) if det.contextual or det.judge else None
            name, value = ctx if ctx else (var_name(det), sample)
            if det.id == "npmrc-auth-token":
                kind, text, line = "npmrc", f"registry=https://registry.npmjs.org/\n{sample}\n", 2
                fname = ".npmrc"
            elif multiline:
                kind = "py" if copy % 2 else "pem"
                text, line = render_file(kind, "PRIVATE_KEY", sample, True)
                fname = "keys.py" if kind == "py" else "id_key.pem"
            elif det.id in {"gcp-service-account-key", "authorization-header"}:
                text, line = (json.dumps({"type": "service_account", "project_id": "acme", **json.loads("{" + sample + "}")}, indent=2) + "\n", 4) \
                    if det.id == "gcp-service-account-key" else (f"import requests\n\n{sample}\nrequests.get(URL, headers=headers)\n", 3)
                fname = "service-account.json" if det.id == "gcp-service-account-key" else "client.py"
            else:
                kind = kinds[(copy + len(truth)) % len(kinds)]
                text, line = render_file(kind, name, value, False)
                fname = KINDS[kind]
            path = out / det.provider.lower().replace(" ", "-").replace("/", "-") / f"{det.id}-{copy}" / fname
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            truth.append({"path": str(path.relative_to(out)), "line": line, "detector": det.id, "provider": det.provider,
                          "lines": text.count("\n") if multiline else 0})
    return truth


def plant_split(out: Path, rng: random.Random) -> list[dict]:
    """One instance of every single-line provider format cut into two or three ``+``-joined literals."""
    truth = []
    for n, det in enumerate(catalog.detectors()):
        if det.contextual or det.judge or det.id in {"npmrc-auth-token", "gcp-service-account-key", "authorization-header"}:
            continue
        sample = samples.render(det.sample, rng)
        if "\n" in sample or '"' in sample or "'" in sample or len(sample) < 16:
            continue
        cuts = sorted(rng.sample(range(4, len(sample) - 4), 1 + n % 2))
        parts = [sample[a:b] for a, b in zip([0, *cuts], [*cuts, len(sample)])]
        joined = " + ".join(f'"{p}"' for p in parts)
        if n % 2:
            text, line, fname = f'"""Client setup."""\nimport os\n\n{var_name(det)} = {joined}\n', 4, "client.py"
        else:
            text, line, fname = f'const axios = require("axios");\n\nconst key = {joined};\nmodule.exports = {{ key }};\n', 3, "client.js"
        path = out / "split" / det.id / fname
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        truth.append({"path": str(path.relative_to(out)), "line": line, "detector": det.id, "provider": det.provider,
                      "lines": 0, "shape": "split"})
    return truth


def hard_negatives(out: Path, rng: random.Random) -> None:
    neg = out / "negatives"
    neg.mkdir(parents=True, exist_ok=True)
    (neg / "placeholders.py").write_text(
        'API_KEY = "your-api-key-here"\nGITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\nSTRIPE_KEY = "<stripe-secret-key>"\n'
        'TOKEN = "${GITHUB_TOKEN}"\nPASSWORD = os.environ["DB_PASSWORD"]\nAWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
        'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\nSECRET_KEY = "changeme"\nDB_URL = "postgres://user:password@localhost:5432/app"\n'
        'OPENAI_API_KEY = "sk-..."\npassword = "********"\n')
    (neg / "config.js").write_text(
        "const token = process.env.API_TOKEN;\nconst secret = config.get('secret');\nconst password = req.body.password;\n"
        "const apiKey = `${process.env.KEY}`;\nconst tokenType = 'Bearer';\n")
    (neg / ".env.example").write_text("DATABASE_PASSWORD=\nAPI_KEY=replace-me\nSECRET_TOKEN=<your token>\nREDIS_URL=redis://localhost:6379\n")
    hashes = [f'SHA256_{i} = "{hashlib.sha256(rng.randbytes(16)).hexdigest()}"' for i in range(20)]
    hashes += [f'MD5_{i} = "{hashlib.md5(rng.randbytes(16)).hexdigest()}"' for i in range(20)]
    hashes += [f'COMMIT_{i} = "{hashlib.sha1(rng.randbytes(16)).hexdigest()}"' for i in range(20)]
    hashes += [f'REQUEST_ID_{i} = "{uuid.UUID(bytes=rng.randbytes(16))}"' for i in range(20)]
    (neg / "hashes.py").write_text("\n".join(hashes) + "\n")
    png = base64.b64encode(rng.randbytes(20000)).decode()
    (neg / "index.html").write_text(f'<html><body><img src="data:image/png;base64,{png}"></body></html>\n')
    lock = {"name": "app", "lockfileVersion": 3, "packages": {
        f"node_modules/pkg{i}": {"version": "1.0.0", "resolved": f"https://registry.npmjs.org/pkg{i}/-/pkg{i}-1.0.0.tgz",
                                 "integrity": "sha512-" + base64.b64encode(rng.randbytes(64)).decode()} for i in range(300)}}
    (neg / "package-lock.json").write_text(json.dumps(lock, indent=2) + "\n")
    vectors = [f'    ("{base64.b64encode(rng.randbytes(48)).decode()}", "{rng.randbytes(32).hex()}"),' for i in range(50)]
    (neg / "test_crypto_vectors.py").write_text("CIPHERTEXT_VECTORS = [\n" + "\n".join(vectors) + "\n]\n")
    (neg / "go.sum").write_text("\n".join(f"github.com/x/m{i} v1.0.{i} h1:{base64.b64encode(rng.randbytes(32)).decode()}" for i in range(100)) + "\n")


def clean_corpus(out: Path, limit_mb: float) -> int:
    budget = int(limit_mb * 1024 * 1024)
    total = 0
    roots = [Path(p) for p in site.getsitepackages()] + [ROOT / ".venv" / "lib"]
    seen = set()
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if total >= budget:
                return total
            if path.suffix not in TEXT_SUFFIXES or not path.is_file() or path.is_symlink() or "bastion" in path.parts:
                continue
            key = path.resolve()
            if key in seen:
                continue
            seen.add(key)
            size = path.stat().st_size
            if size > 1024 * 1024:
                continue
            target = out.joinpath(*large_corpus.safe_parts(path.relative_to(root.parent).parts))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            total += size
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--clean-mb", type=float, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--large", action="store_true", help="build only clean-large/, leave the other corpora as they are")
    args = parser.parse_args()
    if args.large:
        out = WORK / "clean-large"
        shutil.rmtree(out, ignore_errors=True)
        composition = large_corpus.build(out, ROOT / "benchmarks" / ".work", ROOT / ".venv")
        (WORK / "clean-large.json").write_text(json.dumps(composition, indent=1))
        print(f"clean-large: {composition['total_files']} files, {composition['total_bytes'] / 1e6:.1f} MB")
        return
    rng = random.Random(args.seed)
    shutil.rmtree(WORK, ignore_errors=True)
    planted = WORK / "planted"
    truth = plant(planted, args.copies, rng)
    truth += plant_split(planted, rng)
    hard_negatives(planted, rng)
    (WORK / "truth.json").write_text(json.dumps(truth, indent=1))
    size = clean_corpus(WORK / "clean", args.clean_mb)
    print(f"planted {len(truth)} secrets of {len(catalog.detectors())} formats; clean corpus {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
