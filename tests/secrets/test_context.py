"""Hard negatives and context: placeholders, environment lookups, hashes, lockfiles, notebooks, test paths."""

from __future__ import annotations

import base64
import json

import pytest

from bastion.secrets import samples, scan_text
from tests.secrets.conftest import sample_of

NEGATIVES = [
    ("config.py", 'api_key = "your-api-key"\n'),
    ("config.py", 'password = "<password>"\n'),
    ("config.py", 'token = "${GITHUB_TOKEN}"\n'),
    ("config.py", 'secret = "xxxxxxxxxxxxxxxxxxxx"\n'),
    ("config.py", 'password = os.environ["DB_PASSWORD"]\n'),
    ("config.py", 'api_key = os.getenv("API_KEY", "")\n'),
    ("config.py", 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'),
    ("config.py", 'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n'),
    ("app.js", "const token = process.env.API_TOKEN;\n"),
    ("app.js", "const password = req.body.password;\n"),
    ("app.js", 'const secretName = "prod/db/credentials";\n'),
    ("app.js", 'if (tokenType === "Bearer") {}\n'),
    ("settings.py", 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]\n'),
    ("settings.py", 'password_hash = "5f4dcc3b5aa765d61d8327deb882cf99"\n'),
    ("settings.py", 'token_url = "https://oauth2.googleapis.com/token"\n'),
    ("settings.py", 'max_tokens = 4096\n'),
    ("settings.py", 'tokenizer = "bert-base-uncased-v2"\n'),
    ("settings.py", 'session_id = "3f2b8c1e-9d4a-4b6f-8e2a-1c7d9f0b5a3e"\n'),
    (".env", "DB_PASSWORD=\n"),
    (".env", "SECRET_KEY=${SECRET_KEY}\n"),
    ("values.yaml", "password: !vault |\n"),
    ("values.yaml", "password: '{{ vault_db_password }}'\n"),
    ("README.md", "Set `OPENAI_API_KEY=sk-...` in your shell.\n"),
    ("docker-compose.yml", "DATABASE_URL: postgres://postgres:postgres@db:5432/app\n"),
    ("docker-compose.yml", "REDIS_URL: redis://:s3cretpassw0rd@redis:6379/0\n"),
    ("app.py", 'url = f"postgresql://{user}:{password}@{host}/db"\n'),
    ("app.py", 'url = "mysql://%s:%s@%s/%s" % (u, p, h, d)\n'),
    ("app.py", 'CHECKSUM = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"\n'),
    ("detectors.toml", 'sample = \'VAULT_TOKEN = "s.{A:24}"\'\n'),
    ("app.py", 'token = "tok_{0}_{user_id:>8}".format(n, user_id=u)\n'),
    ("app.py", 'client = OpenAI(api_key="sk-proj-...T3BlbkFJ...")\n'),
    ("examples-1.json", '"PurchaseToken": "eyJ2IjoiMSIsInMiOjEsImMiOi...",\n'),
    ("settings.py", 'SECRET_KEY = "django-insecure-k3y9-Wq2Lx7"\n'),
]


@pytest.mark.parametrize(("path", "text"), NEGATIVES)
def test_hard_negative_is_clean(path: str, text: str) -> None:
    assert scan_text(text, path) == []


def test_lockfile_integrity_hashes_are_not_secrets(rng) -> None:
    lock = {
        "name": "app",
        "lockfileVersion": 3,
        "packages": {
            f"node_modules/pkg{i}": {
                "version": "1.0.0",
                "resolved": f"https://registry.npmjs.org/pkg{i}/-/pkg{i}-1.0.0.tgz",
                "integrity": "sha512-" + base64.b64encode(rng.randbytes(64)).decode(),
            }
            for i in range(50)
        },
    }
    assert scan_text(json.dumps(lock, indent=2), "package-lock.json") == []


def test_lockfile_still_reports_a_registry_token(rng) -> None:
    token = sample_of("npm-access-token", rng)
    text = f'//registry.npmjs.org/:_authToken={token}\n'
    assert [f.properties["detector"] for f in scan_text(text, "yarn.lock")] == ["npm-access-token"]


def test_base64_image_and_uuid_are_clean(rng) -> None:
    png = base64.b64encode(rng.randbytes(3000)).decode()
    text = f'<img src="data:image/png;base64,{png}">\n<div id="3f2b8c1e-9d4a-4b6f-8e2a-1c7d9f0b5a3e"></div>\n'
    assert scan_text(text, "index.html") == []


def test_notebook_source_and_outputs_are_scanned(rng) -> None:
    key = sample_of("openai-project-key", rng)
    token = sample_of("github-pat", rng)
    nb = {
        "cells": [
            {"cell_type": "code", "source": ["import openai\n", f'client = openai.OpenAI(api_key="{key}")\n'],
             "outputs": [{"output_type": "stream", "name": "stdout", "text": [f"token is {token}\n"]}]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    text = json.dumps(nb, indent=1)
    found = {f.properties["detector"]: f.location.line for f in scan_text(text, "analysis.ipynb")}
    lines = text.splitlines()
    assert set(found) == {"openai-project-key", "github-pat"}
    assert key in lines[found["openai-project-key"] - 1] and token in lines[found["github-pat"] - 1]


def test_generic_in_test_paths_needs_a_confident_value(rng) -> None:
    weak = 'password = "Pa55-word9"\n'
    strong = f'password = "x7Kq2-{samples.render("{A:15}", rng)}"\n'
    assert scan_text(weak, "src/app/config.py")
    assert not scan_text(weak, "tests/test_login.py")
    assert scan_text(strong, "tests/test_login.py")
    assert not scan_text(weak, "qa/login.py", {"extra_test_paths": ["qa/"]})


def test_provider_tokens_are_reported_in_test_paths_too(rng) -> None:
    token = sample_of("stripe-secret-key", rng)
    assert scan_text(f'KEY = "{token}"\n', "tests/test_billing.py")


def test_disable_detectors(rng) -> None:
    token = sample_of("slack-bot-token", rng)
    assert scan_text(f"t = '{token}'\n", "a.py")
    assert not scan_text(f"t = '{token}'\n", "a.py", {"disable_detectors": ["slack-bot-token"]})


def test_private_key_reported_once_on_the_begin_line(rng) -> None:
    pem = sample_of("openssh-private-key", rng)
    findings = scan_text(f"# deploy key\n{pem}\n", "id_ed25519")
    assert [(f.rule_id, f.location.line) for f in findings] == [("hardcoded-private-key", 2)]
    assert findings[0].location.end_line > 2


def test_private_key_inside_json_service_account(rng) -> None:
    pem = sample_of("pkcs8-private-key", rng)
    doc = {"type": "service_account", "private_key_id": rng.randbytes(20).hex(), "private_key": pem + "\n"}
    found = {f.properties["detector"] for f in scan_text(json.dumps(doc, indent=2), "sa.json")}
    assert found == {"gcp-service-account-key", "pkcs8-private-key"}


def test_utf16_file_is_scanned(rng) -> None:
    token = sample_of("gitlab-pat", rng)
    data = f'token = "{token}"\r\n'.encode("utf-16")
    assert [f.properties["detector"] for f in scan_text(data, "conf.ini")] == ["gitlab-pat"]


def test_one_finding_per_secret_when_formats_overlap(rng) -> None:
    token = sample_of("github-pat", rng)
    findings = scan_text(f'GITHUB_TOKEN = "{token}"\n', "ci.py")
    assert [f.rule_id for f in findings] == ["hardcoded-secret"]


def test_public_keys_by_name_are_not_secrets() -> None:
    assert scan_text('<assemblyIdentity publicKeyToken="1fc8b3b9a1e18e3b"/>\n', "manifest.xml") == []
