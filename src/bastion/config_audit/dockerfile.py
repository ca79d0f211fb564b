"""Dockerfile checks: root user, unpinned bases, remote scripts, secrets, ADD from URLs, package hygiene, sudo, SSH."""

from __future__ import annotations

import io
import posixpath
from dataclasses import dataclass
from typing import Iterator

import re2
from dockerfile_parse import DockerfileParser

from bastion.config_audit.base import Emitter, is_reference, is_secret_name
from bastion.config_audit.container_rules import RUNS_AS_ROOT, SECRET_IN_ENV, SSH_EXPOSED
from bastion.config_audit.dockerfile_text import MARKER, prepare
from bastion.config_audit.rules import take
from bastion.config_audit.shell import commands, pipelines
from bastion.core.model import Confidence, Finding

RULES = take("unpinned-base-image", "remote-script-piped-to-shell", "secret-file-in-image", "add-from-url",
             "unpinned-package-install", "package-cache-left", "sudo-in-container")
(UNPINNED_BASE, REMOTE_SCRIPT, SECRET_FILE, ADD_URL, UNPINNED_PACKAGES, PACKAGE_CACHE, SUDO) = RULES

_PIPE_TO_SHELL = re2.compile(r"(?i)\b(curl|wget)\b[^|]*\|\s*(sudo\s+(-\S+\s+)*)?(\S*/)?"
                             r"(ba|da|z|k|fi)?sh\b|\b(curl|wget)\b[^|]*\|\s*(sudo\s+)?(\S*/)?"
                             r"(python[0-9.]*|perl|ruby|node)\b")
_SUBSHELL_FETCH = re2.compile(r"(?i)(\$\(|`|<\()\s*(curl|wget)\b")
_SECRET_PATH = re2.compile(r"(?i)(^|/)(\.env(\.[a-z]+)?|id_(rsa|dsa|ecdsa|ed25519)|[^/]*\.(pem|key|p12|pfx|jks|keystore)"
                           r"|\.npmrc|\.pypirc|\.netrc|\.git-credentials|credentials(\.json)?|kubeconfig"
                           r"|service[-_]?account[^/]*\.json|\.aws|\.ssh|\.docker/config\.json)/?$")
_SAFE_ENV_SUFFIX = (".example", ".sample", ".template", ".dist", ".defaults")
_ROOT_USERS = {"root", "0", "root:root", "0:0"}


@dataclass
class _Instruction:
    name: str
    value: str
    line: int


def parse(text: str) -> list[_Instruction]:
    """The instructions of a Dockerfile, with 1-based start lines; comments dropped.

    Heredoc markers are removed from an instruction's value; the bodies a shell runs are appended to it
    (``RUN <<EOF`` ... ``EOF`` reads as the RUN of those lines), the others (``COPY <<EOF /etc/app.conf``,
    ``RUN python3 <<EOF``) are data and left out.
    """
    text, heredocs = prepare(text)
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8", "replace")))
    instructions = []
    for item in parser.structure:
        if item["instruction"] == "COMMENT":
            continue
        line = item["startline"] + 1
        value = item["value"]
        if line in heredocs:
            value = "\n".join([MARKER.sub(" ", value)] + [h.body for h in heredocs[line] if h.script])
        instructions.append(_Instruction(item["instruction"].upper(), value, line))
    return instructions


def check(emit: Emitter, instructions: list[_Instruction]) -> Iterator[Finding]:
    stages: set[str] = set()
    args: dict[str, str] = {}
    final_from: _Instruction | None = None
    user: _Instruction | None = None
    for ins in instructions:
        if ins.name == "FROM":
            final_from, user = ins, None
            yield from _from(emit, ins, stages, args)
        elif ins.name == "USER":
            user = ins
        elif ins.name == "ARG":
            for name, value in _assignments(ins.value, arg=True):
                if final_from is None and value is not None:
                    args[name] = value
                if is_secret_name(name):
                    yield emit(SECRET_IN_ENV, f"build argument {name} keeps a secret in the image history", ins.line,
                               confidence=Confidence.MEDIUM, secret=None if value is None or is_reference(value) else value)
        elif ins.name == "ENV":
            for name, value in _assignments(ins.value, arg=False):
                if is_secret_name(name) and value:
                    yield emit(SECRET_IN_ENV, f"ENV {name} bakes a secret into the image", ins.line,
                               confidence=Confidence.MEDIUM if is_reference(value) else Confidence.HIGH,
                               secret=None if is_reference(value) else value)
        elif ins.name in ("COPY", "ADD"):
            yield from _copy(emit, ins)
        elif ins.name == "RUN":
            yield from _run(emit, ins)
        elif ins.name == "EXPOSE":
            if any(port.split("/")[0] == "22" for port in ins.value.split()):
                yield emit(SSH_EXPOSED, "EXPOSE 22 publishes an SSH daemon", ins.line)
    if final_from is not None and not _nonroot_base(final_from.value):
        if user is None:
            yield emit(RUNS_AS_ROOT, "the final stage has no USER: the container runs as root", final_from.line)
        elif user.value.strip().lower() in _ROOT_USERS:
            yield emit(RUNS_AS_ROOT, f"USER {user.value} leaves the container running as root", user.line)


def _nonroot_base(value: str) -> bool:
    return "nonroot" in value.lower() or "rootless" in value.lower()


def _from(emit: Emitter, ins: _Instruction, stages: set[str], args: dict[str, str]) -> Iterator[Finding]:
    words = [w for w in ins.value.split() if not w.startswith("--")]
    if not words:
        return
    image = words[0]
    if len(words) >= 3 and words[1].lower() == "as":
        stages.add(words[2].lower())
    for name, value in args.items():
        image = image.replace(f"${{{name}}}", value).replace(f"${name}", value)
    if image.lower() in stages or image.lower() == "scratch" or "$" in image or "@sha256:" in image:
        return
    last = image.rsplit("/", 1)[-1]
    tag = last.split(":", 1)[1] if ":" in last else None
    if tag is None or tag.lower() == "latest":
        yield emit(UNPINNED_BASE, f"base image {image} is {'untagged' if tag is None else 'latest'}", ins.line)


def _assignments(value: str, arg: bool) -> list[tuple[str, str | None]]:
    """``A=1 B=2`` or legacy ``A 1`` -> [(A, '1'), (B, '2')]; an ARG without default gives (A, None)."""
    words = commands(value)[0] if commands(value) else []
    if not words:
        return []
    if "=" not in words[0]:
        return [(words[0], None if arg and len(words) == 1 else " ".join(words[1:]))]
    pairs = []
    for word in words:
        name, sep, val = word.partition("=")
        pairs.append((name, val if sep else None))
    return pairs


def _copy(emit: Emitter, ins: _Instruction) -> Iterator[Finding]:
    words = [w for w in ins.value.split() if not w.startswith("--")]
    checksum = "--checksum=" in ins.value
    sources = words[:-1]
    if ins.name == "ADD" and not checksum:
        for src in sources:
            if src.lower().startswith(("http://", "https://", "git@", "git://")):
                yield emit(ADD_URL, f"ADD fetches {src} without --checksum", ins.line)
    for src in sources:
        clean = src.strip("\"'[],")
        if _SECRET_PATH.search(clean) and not clean.lower().endswith(_SAFE_ENV_SUFFIX):
            yield emit(SECRET_FILE, f"{ins.name} copies {clean} into the image", ins.line)


_INSTALLERS = {
    ("apt-get", "install"), ("apt", "install"), ("apk", "add"), ("pip", "install"), ("pip3", "install"),
    ("npm", "install"), ("npm", "i"), ("gem", "install"), ("yum", "install"), ("dnf", "install"),
}


def _run(emit: Emitter, ins: _Instruction) -> Iterator[Finding]:
    script = ins.value
    for pipeline in pipelines(script):
        if _PIPE_TO_SHELL.search(pipeline) or (_SUBSHELL_FETCH.search(pipeline) and "sh" in pipeline):
            yield emit(REMOTE_SCRIPT, "downloaded script is executed without verification", ins.line)
            break
    unpinned: list[str] = []
    cache: list[str] = []
    for words in commands(script):
        if words[0] == "sudo" or (words[0] in ("apt-get", "apt", "apk", "yum", "dnf") and "sudo" in words[1:]):
            yield emit(SUDO, "RUN uses or installs sudo", ins.line)
        tool, packages = _install(words)
        if tool is None:
            continue
        unpinned.extend(p for p in packages if not _pinned(tool, p))
        if tool in ("apt-get", "apt") and "/var/lib/apt/lists" not in script and "--mount=type=cache" not in script:
            cache.append("apt lists")
        if tool == "apk" and "--no-cache" not in words and "/var/cache/apk" not in script:
            cache.append("apk cache")
        if tool in ("pip", "pip3") and "--no-cache-dir" not in words and "--mount=type=cache" not in script:
            cache.append("pip cache")
    if unpinned:
        yield emit(UNPINNED_PACKAGES, f"packages installed without a version: {', '.join(sorted(set(unpinned)))}",
                   ins.line)
    if cache:
        yield emit(PACKAGE_CACHE, f"{', '.join(sorted(set(cache)))} left in the layer", ins.line)


def _install(words: list[str]) -> tuple[str | None, list[str]]:
    """(installer, package arguments) for an install command, else (None, [])."""
    if len(words) >= 3 and words[0] in ("python", "python3") and words[1:3] == ["-m", "pip"]:
        words = ["pip"] + words[3:]
    tool = posixpath.basename(words[0])
    sub = next((w for w in words[1:] if not w.startswith("-")), None)
    if (tool, sub) not in _INSTALLERS:
        return None, []
    if tool == "npm" and not ({"-g", "--global"} & set(words)):
        return None, []
    rest = words[words.index(sub) + 1:]
    if tool == "gem" and ({"-v", "--version"} & set(rest)):
        return tool, []
    packages = []
    skip_next = False
    for word in rest:
        if skip_next:
            skip_next = False
            continue
        if word in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "-i",
                    "--index-url", "--extra-index-url", "--repository", "-X", "--virtual", "-t"):
            skip_next = True
            continue
        if word.startswith("-") or word.startswith("$"):
            continue
        packages.append(word)
    return tool, packages


def _pinned(tool: str, package: str) -> bool:
    if package in (".", "..") or package.startswith((".", "/", "http", "git+")) or package.endswith((".whl", ".deb",
                                                                                                   ".tar.gz", ".rpm")):
        return True
    if tool in ("pip", "pip3"):
        return "==" in package or "@" in package
    if tool in ("npm", "gem"):
        return "@" in package.lstrip("@") or tool == "gem" and ":" in package
    if tool in ("yum", "dnf"):
        return "-" in package and any(ch.isdigit() for ch in package.split("-", 1)[1])
    return "=" in package
