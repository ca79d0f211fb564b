"""``bastion init``: add Bastion to a repository's CI and pre-commit, never overwriting what is there.

The workflow and the pre-commit entry install Bastion from a source that exists: ``--source URL@REF``,
else where this installation came from (a ``pip install git+URL@REF``, or the checkout it was installed
from, by its ``origin`` remote and current commit). A source CI cannot reach (a local folder) or cannot pin
(no commit or tag) is refused with a message, never replaced by a placeholder.

``bastion init assistant`` writes security instruction files for AI assistants.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from urllib.parse import unquote, urlparse

from bastion.interfaces.cli import UsageError

WORKFLOW_PATH = Path(".github/workflows/bastion.yml")
PRECOMMIT_PATH = Path(".pre-commit-config.yaml")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("init", help="add Bastion to CI and pre-commit (or: init assistant)")
    parser.add_argument("target", nargs="?", choices=["ci", "assistant"], default="ci",
                        help="ci (default): GitHub Actions workflow and pre-commit hook; assistant: instruction files")
    parser.add_argument("--root", default=".", help="the repository (default: .)")
    parser.add_argument("--source", metavar="URL@REF",
                        help="git repository and commit or tag CI installs Bastion from "
                             "(default: where this installation came from)")
    parser.set_defaults(handler=run)


_REMOTE = re.compile(r"^(?:https://|ssh://|git@)[A-Za-z0-9._~:/@%+-]+$")
_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")


@dataclass(frozen=True)
class Source:
    """A git repository CI can clone and the commit or tag to check out."""

    url: str
    ref: str


def parse_source(text: str) -> Source:
    """``URL@REF`` (``git+`` prefix allowed) as a :class:`Source`; a :class:`UsageError` saying what is wrong."""
    text = text.strip().removeprefix("git+")
    url, sep, ref = text.rpartition("@")
    if not sep or not url:
        raise UsageError(f"--source {text!r}: give a git URL and a commit or tag, as https://host/org/bastion@v0.1.0")
    return _checked(url, ref)


def _checked(url: str, ref: str) -> Source:
    if not _REMOTE.match(url):
        raise UsageError(f"{url!r} is not a repository CI can reach (https://, ssh:// or git@host:path)")
    if not _REF.match(ref):
        raise UsageError(f"{ref!r} is not a commit or tag")
    return Source(url, ref)


def source_from_direct_url(info: dict) -> Source | None:
    """Where a pip installation came from (PEP 610 ``direct_url.json``): a git URL at its commit, or the
    checkout a local install was made from, by its ``origin`` remote and HEAD commit. None if unknown."""
    from bastion.host import git

    vcs = info.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and info.get("url") and vcs.get("commit_id"):
        return _checked(str(info["url"]), str(vcs["commit_id"]))
    url = str(info.get("url", ""))
    if "dir_info" in info and url.startswith("file://"):
        folder = Path(unquote(urlparse(url).path))
        try:
            remote = git.run(folder, "config", "--get", "remote.origin.url").decode().strip()
            commit = git.run(folder, "rev-parse", "--verify", "HEAD").decode().strip()
        except git.GitError:
            return None
        return _checked(remote, commit)
    return None


def installation_source() -> Source | None:
    """Where this installation of Bastion came from, if pip recorded it."""
    try:
        text = metadata.distribution("bastion").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    try:
        return source_from_direct_url(json.loads(text)) if text else None
    except (ValueError, UsageError):
        return None


def _template(name: str, source: Source) -> str:
    text = resources.files("bastion.templates").joinpath(name).read_text(encoding="utf-8")
    return text.format(source_url=source.url, source_ref=source.ref, source_url_json=json.dumps(source.url),
                       source_ref_json=json.dumps(source.ref))


def init_ci(root: Path, source: Source) -> list[str]:
    """Write the workflow if absent and add the pre-commit hook if not listed; return what was done."""
    done = []
    workflow = root / WORKFLOW_PATH
    if workflow.exists():
        done.append(f"kept {WORKFLOW_PATH} (exists)")
    else:
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(_template("github-workflow.yml", source), encoding="utf-8")
        done.append(f"wrote {WORKFLOW_PATH}")
    precommit = root / PRECOMMIT_PATH
    entry = _template("pre-commit-entry.yaml", source)
    if not precommit.exists():
        precommit.write_text("repos:\n" + entry, encoding="utf-8")
        done.append(f"wrote {PRECOMMIT_PATH}")
    else:
        existing = precommit.read_text(encoding="utf-8", errors="replace")
        if "id: bastion" in existing:
            done.append(f"kept {PRECOMMIT_PATH} (already has the bastion hook)")
        elif existing.rstrip().endswith("repos:") or "\nrepos:" in "\n" + existing:
            separator = "" if existing.endswith("\n") else "\n"
            precommit.write_text(existing + separator + entry, encoding="utf-8")
            done.append(f"added the bastion hook to {PRECOMMIT_PATH}")
        else:
            raise UsageError(f"{PRECOMMIT_PATH} has no top-level 'repos:' list; add this entry by hand:\n{entry}")
    return done


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    if not root.is_dir():
        raise UsageError(f"{root} is not a folder")
    if args.target == "assistant":
        try:
            from bastion.prompt import write_assistant_files
        except ImportError:
            raise UsageError("assistant instruction files need the prompt module, which is not installed") from None
        for line in write_assistant_files(root):
            print(line)
        return 0
    source = parse_source(args.source) if args.source else installation_source()
    if source is None:
        raise UsageError("cannot tell where this installation of Bastion came from (no git remote or commit "
                         "recorded); give the repository CI should install it from: --source URL@REF")
    for line in init_ci(root, source):
        print(line)
    print(f"CI installs Bastion from {source.url} at {source.ref}")
    return 0
