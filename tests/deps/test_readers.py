"""Every manifest and lockfile format: versions, lines, direct versus transitive with the chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bastion.deps.audit import collect
from bastion.deps.readers import reader_for

from .conftest import write_tree


def read_tree(root: Path, files: dict[str, str]):
    write_tree(root, files)
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    inventory = collect(paths, lambda rel: (root / rel).read_bytes())
    return {(d.path, d.name): d for d in inventory.deps}, inventory.notes


def test_requirements_includes_hashes_markers_extras_urls_editables(tmp_path: Path) -> None:
    deps, notes = read_tree(tmp_path, {
        "requirements.txt": (
            "# app\n-r requirements/base.txt\n-c constraints.txt\n"
            "requests[socks]==2.19.0 ; python_version >= '3.8' \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n"
            "Flask>=1.0  # not pinned\n"
            "-e git+https://github.com/pallets/click#egg=click\n"
            "pkg @ https://example.org/pkg-1.0.tar.gz\n"
            "--index-url https://pypi.org/simple\n"
            "./local/project\n"
        ),
        "requirements/base.txt": "urllib3===1.25.7\n",
        "constraints.txt": "idna==2.8\n",
    })
    assert not notes
    req = deps[("requirements.txt", "requests")]
    assert (req.version, req.line, req.hashes) == ("2.19.0", 4, ("sha256:aaaa", "sha256:bbbb"))
    assert deps[("requirements.txt", "flask")].version is None
    assert deps[("requirements.txt", "flask")].spec == ">=1.0"
    assert deps[("requirements.txt", "pkg")].kind == "url"
    assert deps[("requirements/base.txt", "urllib3")].version == "1.25.7"
    assert deps[("constraints.txt", "idna")].line == 1


def test_pyproject_pep621_and_poetry(tmp_path: Path) -> None:
    deps, _ = read_tree(tmp_path, {"pyproject.toml": (
        '[project]\nname = "x"\ndependencies = [\n  "requests==2.19.0",\n  "rich>=13",\n]\n'
        '[project.optional-dependencies]\ndev = ["pytest==7.0.0"]\n'
        '[tool.poetry.dependencies]\npython = "^3.11"\nDjango = "3.2.0"\nflask = {version = "^2.0"}\n'
        '[tool.poetry.group.dev.dependencies]\nblack = "==22.1.0"\n'
    )})
    assert (deps[("pyproject.toml", "requests")].version, deps[("pyproject.toml", "requests")].line) == ("2.19.0", 4)
    assert deps[("pyproject.toml", "rich")].version is None
    assert deps[("pyproject.toml", "django")].version == "3.2.0"
    assert deps[("pyproject.toml", "django")].line == 11
    assert deps[("pyproject.toml", "flask")].version is None
    assert deps[("pyproject.toml", "black")].dev


POETRY_LOCK = '''[[package]]
name = "requests"
version = "2.19.0"
description = ""
optional = false

[package.dependencies]
urllib3 = ">=1.21.1,<1.24"

[[package]]
name = "urllib3"
version = "1.23"
'''


def test_poetry_lock_with_manifest_roots(tmp_path: Path) -> None:
    deps, _ = read_tree(tmp_path, {"poetry.lock": POETRY_LOCK,
                                   "pyproject.toml": '[tool.poetry.dependencies]\nrequests = "^2.19"\n'})
    urllib3 = deps[("poetry.lock", "urllib3")]
    assert (urllib3.version, urllib3.line, urllib3.direct, urllib3.chain) == ("1.23", 11, False, ("requests",))
    assert deps[("poetry.lock", "requests")].direct is True


def test_uv_lock_workspace_member_is_the_root(tmp_path: Path) -> None:
    deps, _ = read_tree(tmp_path, {"uv.lock": (
        'version = 1\n\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "requests" }]\n\n'
        '[[package]]\nname = "requests"\nversion = "2.19.0"\nsource = { registry = "https://pypi.org/simple" }\n'
        'dependencies = [{ name = "urllib3" }]\n\n'
        '[[package]]\nname = "urllib3"\nversion = "1.25.7"\nsource = { registry = "https://pypi.org/simple" }\n'
    )})
    assert ("uv.lock", "app") not in deps
    assert deps[("uv.lock", "requests")].direct is True
    assert deps[("uv.lock", "urllib3")].chain == ("requests",)
    assert deps[("uv.lock", "urllib3")].line == 16


def test_pdm_pylock_and_pipfile_lock(tmp_path: Path) -> None:
    deps, notes = read_tree(tmp_path, {
        "a/pdm.lock": '[[package]]\nname = "requests"\nversion = "2.19.0"\ngroups = ["default"]\n'
                      'dependencies = ["urllib3<1.24,>=1.21.1"]\n\n[[package]]\nname = "urllib3"\nversion = "1.23"\n',
        "b/pylock.toml": 'lock-version = "1.0"\n[[packages]]\nname = "urllib3"\nversion = "1.25.7"\n'
                         '[[packages]]\nname = "local"\n[packages.directory]\npath = "."\n',
        "c/Pipfile.lock": json.dumps({"_meta": {}, "default": {"urllib3": {"version": "==1.25.7", "hashes": []}},
                                      "develop": {"pytest": {"version": "==7.0.0"}}}, indent=4),
        "c/Pipfile": '[packages]\nurllib3 = "*"\n',
    })
    assert not notes
    assert deps[("a/pdm.lock", "urllib3")].chain == ("requests",)
    assert deps[("b/pylock.toml", "urllib3")].version == "1.25.7"
    assert deps[("b/pylock.toml", "local")].kind == "url"
    pipenv = deps[("c/Pipfile.lock", "urllib3")]
    assert (pipenv.version, pipenv.direct, pipenv.line) == ("1.25.7", True, 4)
    assert deps[("c/Pipfile.lock", "pytest")].dev and deps[("c/Pipfile.lock", "pytest")].direct is False


def _npm_lock_v3() -> str:
    return json.dumps({
        "name": "app", "lockfileVersion": 3, "requires": True,
        "packages": {
            "": {"name": "app", "dependencies": {"express": "^4.16.0"}, "devDependencies": {"mocha": "^5"}},
            "node_modules/express": {"version": "4.16.0", "dependencies": {"qs": "6.5.1"}},
            "node_modules/qs": {"version": "6.5.1"},
            "node_modules/mocha": {"version": "5.2.0", "dev": True, "dependencies": {"minimist": "0.0.8"}},
            "node_modules/mocha/node_modules/minimist": {"version": "0.0.8", "dev": True},
            "node_modules/linked": {"link": True, "resolved": "packages/linked"},
        },
    }, indent=2)


def test_package_lock_v3_nested_copies_and_chains(tmp_path: Path) -> None:
    deps, _ = read_tree(tmp_path, {"package-lock.json": _npm_lock_v3()})
    minimist = deps[("package-lock.json", "minimist")]
    assert (minimist.version, minimist.direct, minimist.chain, minimist.dev) == ("0.0.8", False, ("mocha",), True)
    assert deps[("package-lock.json", "express")].direct is True
    assert deps[("package-lock.json", "qs")].chain == ("express",)
    lines = Path(tmp_path / "package-lock.json").read_text().splitlines()
    assert '"node_modules/qs"' in lines[deps[("package-lock.json", "qs")].line - 1]
    assert ("package-lock.json", "linked") not in deps


def test_package_lock_v1_and_shrinkwrap(tmp_path: Path) -> None:
    v1 = json.dumps({"lockfileVersion": 1, "dependencies": {
        "mocha": {"version": "5.2.0", "requires": {"minimist": "0.0.8"},
                  "dependencies": {"minimist": {"version": "0.0.8"}}},
        "lodash": {"version": "4.17.15"},
    }}, indent=2)
    deps, _ = read_tree(tmp_path, {"npm-shrinkwrap.json": v1, "package.json": json.dumps(
        {"dependencies": {"mocha": "5.2.0", "lodash": "^4.17.0"}}, indent=2)})
    assert deps[("npm-shrinkwrap.json", "minimist")].chain == ("mocha",)
    assert deps[("npm-shrinkwrap.json", "lodash")].direct is True
    assert deps[("package.json", "mocha")].version == "5.2.0"
    assert deps[("package.json", "lodash")].version is None and deps[("package.json", "lodash")].spec == "^4.17.0"


YARN_CLASSIC = '''# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz"
  dependencies:
    "@babel/highlight" "^7.12.13"

"@babel/highlight@^7.12.13":
  version "7.13.10"

lodash@^4.17.15:
  version "4.17.15"
'''


def test_yarn_classic(tmp_path: Path) -> None:
    deps, notes = read_tree(tmp_path, {"yarn.lock": YARN_CLASSIC, "package.json": json.dumps(
        {"dependencies": {"@babel/code-frame": "^7.0.0", "lodash": "^4.17.15"}})})
    assert not notes
    assert deps[("yarn.lock", "lodash")].line == 14
    assert deps[("yarn.lock", "@babel/highlight")].chain == ("@babel/code-frame",)
    assert deps[("yarn.lock", "@babel/code-frame")].version == "7.12.13"


def test_yarn_berry(tmp_path: Path) -> None:
    deps, _ = read_tree(tmp_path, {"yarn.lock": (
        '__metadata:\n  version: 6\n  cacheKey: 8\n\n'
        '"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n'
        '  dependencies:\n    lodash: ^4.17.15\n  languageName: unknown\n  linkType: soft\n\n'
        '"lodash@npm:^4.17.15":\n  version: 4.17.15\n  resolution: "lodash@npm:4.17.15"\n'
        '  dependencies:\n    minimist: ^1.2.0\n\n'
        '"minimist@npm:^1.2.0":\n  version: 1.2.0\n  resolution: "minimist@npm:1.2.0"\n'
    )})
    assert deps[("yarn.lock", "lodash")].direct is True and deps[("yarn.lock", "lodash")].line == 13
    assert deps[("yarn.lock", "minimist")].chain == ("lodash",)
    assert ("yarn.lock", "app") not in deps


@pytest.mark.parametrize("text", [
    # v5.4
    "lockfileVersion: 5.4\nspecifiers:\n  lodash: ^4.17.15\ndependencies:\n  lodash: 4.17.15\n"
    "packages:\n  /lodash/4.17.15:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      minimist: 1.2.0\n"
    "  /minimist/1.2.0:\n    resolution: {integrity: sha512-y}\n",
    # v6
    "lockfileVersion: '6.0'\ndependencies:\n  lodash:\n    specifier: ^4.17.15\n    version: 4.17.15\n"
    "packages:\n  /lodash@4.17.15:\n    resolution: {integrity: sha512-x}\n    dependencies:\n      minimist: 1.2.0\n"
    "  /minimist@1.2.0:\n    resolution: {integrity: sha512-y}\n",
    # v9
    "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.15\n"
    "        version: 4.17.15\npackages:\n  lodash@4.17.15:\n    resolution: {integrity: sha512-x}\n"
    "  minimist@1.2.0:\n    resolution: {integrity: sha512-y}\nsnapshots:\n  lodash@4.17.15:\n"
    "    dependencies:\n      minimist: 1.2.0\n  minimist@1.2.0: {}\n",
])
def test_pnpm_versions(tmp_path: Path, text: str) -> None:
    deps, notes = read_tree(tmp_path, {"pnpm-lock.yaml": text})
    assert not notes
    lodash, minimist = deps[("pnpm-lock.yaml", "lodash")], deps[("pnpm-lock.yaml", "minimist")]
    assert (lodash.version, lodash.direct) == ("4.17.15", True)
    assert (minimist.version, minimist.chain) == ("1.2.0", ("lodash",))
    assert "lodash" in text.splitlines()[lodash.line - 1]


@pytest.mark.parametrize("name, text", [
    ("package-lock.json", "{broken"),
    ("poetry.lock", "[[package]\nname ="),
    ("pnpm-lock.yaml", "packages: [unclosed"),
    ("yarn.lock", "  version \"1.0\"\n"),
    ("requirements.txt", "requests==2.0 @@ broken[\n"),
    ("package.json", '{"dependencies": "lodash"}'),
])
def test_malformed_files_give_a_note_and_the_scan_goes_on(tmp_path: Path, name: str, text: str) -> None:
    deps, notes = read_tree(tmp_path, {f"bad/{name}": text, "good/requirements.txt": "urllib3==1.25.7\n"})
    assert ("good/requirements.txt", "urllib3") in deps
    assert len(notes) == 1 and notes[0].kind == "error" and notes[0].path == f"bad/{name}"


def test_include_outside_the_root_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("django==1.0\n")
    deps, _ = read_tree(tmp_path / "root", {"requirements.txt": "-r ../secret.txt\nurllib3==1.25.7\n"})
    assert set(deps) == {("requirements.txt", "urllib3")}


def test_which_files_are_read() -> None:
    assert reader_for("requirements-dev.txt") and reader_for("requirements/prod.txt") and reader_for("dev-requirements.txt")
    assert reader_for("pylock.web.toml") and reader_for("Pipfile.lock") and reader_for("app/pnpm-lock.yaml")
    assert reader_for("node_modules/x/package.json") is None
    assert reader_for(".venv/lib/requirements.txt") is None
    assert reader_for("README.md") is None
