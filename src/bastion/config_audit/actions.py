"""GitHub Actions workflow checks: untrusted checkouts, template injection, unpinned actions, permissions,
secrets in logs, self-hosted runners on public pull-request events."""

from __future__ import annotations

from typing import Any, Iterator

import re2

from bastion.config_audit.base import Emitter
from bastion.config_audit.rules import take
from bastion.config_audit.yamldoc import YamlDoc, get
from bastion.core.model import Confidence, Finding

RULES = take("untrusted-checkout", "expression-injection", "unpinned-action", "excessive-permissions",
             "secret-in-logs", "self-hosted-runner-untrusted", "secret-exposed-to-untrusted-code")
(UNTRUSTED_CHECKOUT, EXPRESSION_INJECTION, UNPINNED_ACTION, EXCESSIVE_PERMISSIONS, SECRET_IN_LOGS, SELF_HOSTED,
 SECRET_TO_UNTRUSTED) = RULES

_PRIVILEGED_TRIGGERS = {"pull_request_target", "workflow_run"}
_PR_TRIGGERS = {"pull_request", "pull_request_target", "issue_comment", "pull_request_review",
                "pull_request_review_comment", "discussion", "discussion_comment", "issues"}
_EXPRESSION = re2.compile(r"\$\{\{([^}]*)\}\}")
_UNTRUSTED = re2.compile(
    r"github\.head_ref|github\.event\.(issue|pull_request|discussion)\.(title|body)"
    r"|github\.event\.(comment|review|review_comment|discussion_comment)\.body"
    r"|github\.event\.pages\.[^.\s]+\.page_name"
    r"|github\.event\.(commits\.[^.\s]+|head_commit|workflow_run\.head_commit)\.(message|author\.(email|name))"
    r"|github\.event\.pull_request\.head\.(ref|label|repo\.default_branch)"
    r"|github\.event\.workflow_run\.(head_branch|display_title|pull_requests)"
    r"|github\.event\.(release\.(name|body)|issue\.labels|pull_request\.labels)")
_PR_HEAD = re2.compile(r"github\.event\.pull_request\.head|github\.head_ref|workflow_run\.head_(sha|branch)"
                       r"|refs/pull/|github\.event\.number|steps\.[\w-]+\.outputs")
_SHA = re2.compile(r"^[0-9a-f]{40}$")
_SECRET_REF = re2.compile(r"\bsecrets\.([A-Za-z_][A-Za-z0-9_-]*)|\bsecrets\[|\bgithub\.token\b")
_PRINT = re2.compile(r"\b(echo|printf|print|Write-Host|Write-Output|console\.log)\b")


def triggers(data: dict) -> set[str]:
    """Event names of a workflow's ``on:`` (PyYAML reads the bare key ``on`` as True)."""
    on = data.get("on", data.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(e) for e in on}
    if isinstance(on, dict):
        return {str(e) for e in on}
    return set()


def check(emit: Emitter, doc: YamlDoc, trusted_owners: tuple[str, ...]) -> Iterator[Finding]:
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict):
        return
    events = triggers(data)
    if data.get("permissions") == "write-all":
        yield emit(EXCESSIVE_PERMISSIONS, "workflow grants permissions: write-all", doc.line(("permissions",)),
                   confidence=Confidence.HIGH)
    tainted_env = _tainted_env(data.get("env"))
    workflow_secrets = [(("env", k), k) for k, v in _mapping(data.get("env")) if _secret_in(v)]
    for job_id, job in data["jobs"].items():
        if not isinstance(job, dict):
            continue
        at = ("jobs", job_id)
        perms = job.get("permissions")
        if perms == "write-all":
            yield emit(EXCESSIVE_PERMISSIONS, f"job {job_id} grants permissions: write-all",
                       doc.line(at + ("permissions",)), confidence=Confidence.HIGH)
        elif "permissions" not in data and perms is None and "uses" not in job:
            yield emit(EXCESSIVE_PERMISSIONS, f"job {job_id} runs with the default token permissions "
                                              "(no permissions block)", doc.line(at))
        if events & _PR_TRIGGERS and _self_hosted(job.get("runs-on")):
            yield emit(SELF_HOSTED, f"job {job_id} runs pull-request events on a self-hosted runner",
                       doc.line(at + ("runs-on",)))
        if isinstance(job.get("uses"), str):
            yield from _uses(emit, doc, at + ("uses",), job["uses"], trusted_owners)
        steps = job.get("steps")
        if isinstance(steps, list):
            job_env = tainted_env | _tainted_env(job.get("env"))
            yield from _steps(emit, doc, at, steps, events, job_env, trusted_owners)
            if events & _PRIVILEGED_TRIGGERS:
                inherited = workflow_secrets + [(at + ("env", k), k) for k, v in _mapping(job.get("env"))
                                                if _secret_in(v)]
                yield from _secrets_after_checkout(emit, doc, at, steps, inherited)


def _self_hosted(runs_on: Any) -> bool:
    labels = runs_on if isinstance(runs_on, list) else get(runs_on, "labels", default=runs_on)
    labels = labels if isinstance(labels, list) else [labels]
    return any(isinstance(label, str) and label.lower() == "self-hosted" for label in labels)


def _tainted_env(env: Any) -> set[str]:
    """Names of env variables whose value is built from attacker-controlled expressions."""
    if not isinstance(env, dict):
        return set()
    return {str(k) for k, v in env.items() if isinstance(v, str) and _UNTRUSTED.search(v)}


def _steps(emit: Emitter, doc: YamlDoc, at: tuple, steps: list, events: set[str], job_env: set[str],
           trusted_owners: tuple[str, ...]) -> Iterator[Finding]:
    checkout_line = 0
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            continue
        where = at + ("steps", index)
        uses = step.get("uses")
        if isinstance(uses, str):
            yield from _uses(emit, doc, where + ("uses",), uses, trusted_owners)
            if events & _PRIVILEGED_TRIGGERS and _untrusted_checkout(step):
                checkout_line = doc.line(where + ("with", "ref"))
        env = job_env | _tainted_env(step.get("env"))
        scripts = [("run", step.get("run"))]
        if isinstance(uses, str) and uses.lower().startswith("actions/github-script"):
            scripts.append(("script", get(step, "with", "script")))
        for key, script in scripts:
            if isinstance(script, str):
                path = where + (key,) if key == "run" else where + ("with", "script")
                yield from _script(emit, doc, path, script, env)
        runs_code = "run" in step or (isinstance(uses, str) and uses.startswith("./"))
        if checkout_line and runs_code:
            yield emit(UNTRUSTED_CHECKOUT, f"{'/'.join(sorted(events & _PRIVILEGED_TRIGGERS))} workflow checks out "
                                           "the pull request head and then runs it", checkout_line)
            checkout_line = 0


def _mapping(value: Any) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in value.items()] if isinstance(value, dict) else []


def _secret_in(value: Any) -> bool:
    """Whether a workflow value expands a secret or the workflow token inside ``${{ }}``."""
    return isinstance(value, str) and any(_SECRET_REF.search(m.group(1)) for m in _EXPRESSION.finditer(value))


def _untrusted_checkout(step: Any) -> bool:
    """A checkout step that fetches the pull request's head (or merge) commit."""
    uses = step.get("uses") if isinstance(step, dict) else None
    if not isinstance(uses, str) or uses.split("@")[0].lower() != "actions/checkout":
        return False
    ref = str(get(step, "with", "ref", default="")) + str(get(step, "with", "repository", default=""))
    return bool(_PR_HEAD.search(ref))


def _secrets_after_checkout(emit: Emitter, doc: YamlDoc, at: tuple, steps: list,
                            inherited: list[tuple[tuple, str]]) -> Iterator[Finding]:
    """Secrets handed to the steps that follow an untrusted checkout in a privileged job."""
    start = next((i for i, step in enumerate(steps) if _untrusted_checkout(step)), None)
    if start is None or start == len(steps) - 1:
        return
    checkout = steps[start]
    if str(get(checkout, "with", "persist-credentials", default="true")).lower() != "false":
        yield emit(SECRET_TO_UNTRUSTED, "the checkout of the pull request keeps the workflow token in .git/config "
                                        "for the steps after it (persist-credentials is not false)",
                   doc.line(at + ("steps", start, "uses")))
    for path, name in inherited:
        yield emit(SECRET_TO_UNTRUSTED, f"env {name} gives a secret to every step after the pull request checkout",
                   doc.line(path))
    for index in range(start + 1, len(steps)):
        step = steps[index]
        if not isinstance(step, dict):
            continue
        where = at + ("steps", index)
        for section in ("env", "with"):
            for key, value in _mapping(step.get(section)):
                if _secret_in(value):
                    yield emit(SECRET_TO_UNTRUSTED, f"{section}.{key} passes a secret to a step that runs after "
                                                    "the pull request checkout", doc.line(where + (section, key)))
        if _secret_in(step.get("run")):
            yield emit(SECRET_TO_UNTRUSTED, "the script expands a secret after the pull request checkout",
                       doc.line(where + ("run",)))


def _script(emit: Emitter, doc: YamlDoc, path: tuple, script: str, tainted_env: set[str]) -> Iterator[Finding]:
    start = doc.value_line(path)
    for offset, text in enumerate(script.splitlines()):
        line = _locate(emit, start, offset, text)
        for match in _EXPRESSION.finditer(text):
            expression = match.group(1).strip()
            hit = _UNTRUSTED.search(expression)
            env_hit = next((n for n in sorted(tainted_env) if re2.search(rf"\benv\.{n}\b", expression)), None)
            if hit or env_hit:
                what = hit.group(0) if hit else f"env.{env_hit}"
                yield emit(EXPRESSION_INJECTION, f"${{{{ {what} }}}} is expanded into the script", line)
        if "toJSON(secrets)" in text:
            yield emit(SECRET_IN_LOGS, "all secrets are serialised into the script", line)
        elif "secrets." in text:
            after = text.split("secrets.", 1)[1]
            if _PRINT.search(text) and "|" not in after and ">" not in after:
                yield emit(SECRET_IN_LOGS, "a secret is written to the job log", line)


def _locate(emit: Emitter, start: int, offset: int, text: str) -> int:
    """The file line of the script's ``offset``-th line: block scalars begin on the line after the key."""
    wanted = text.strip()
    for line in (start + offset, start + offset + 1):
        if wanted and wanted in emit.file.line(line):
            return line
    return start + offset


def _uses(emit: Emitter, doc: YamlDoc, path: tuple, uses: str, trusted_owners: tuple[str, ...]) -> Iterator[Finding]:
    if uses.startswith("./"):
        return
    if uses.startswith("docker://"):
        if "@sha256:" not in uses:
            yield emit(UNPINNED_ACTION, f"{uses} is not pinned to a digest", doc.line(path))
        return
    name, _, ref = uses.partition("@")
    owner = name.split("/", 1)[0].lower()
    if owner in trusted_owners or _SHA.match(ref):
        return
    yield emit(UNPINNED_ACTION, f"{name} is pinned to '{ref or 'nothing'}', not a commit SHA", doc.line(path))
