"""Hardening advice graded by what is at stake. Workflows: a default token or a moved tag in a
job with secrets is medium; in a test or lint job with no secret it is low (least-privilege advice). Compose:
missing limits and no-new-privileges are low; on Kubernetes they keep their severity."""

from __future__ import annotations

from bastion.core.model import Severity

from tests.config_audit.helpers import run, write

WORKFLOW = """\
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: some-org/setup-tool@v2
      - run: make test
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/metadata-action@v5
      - uses: docker/login-action@v3
        with:
          password: ${{ secrets.REGISTRY_PASSWORD }}
      - uses: docker/build-push-action@v6
  deploy:
    runs-on: ubuntu-latest
    env:
      DEPLOY_KEY: ${{ secrets.DEPLOY_KEY }}
    steps:
      - uses: some-org/deploy@v1
  reuse:
    uses: some-org/workflows/.github/workflows/release.yml@v1
    secrets: inherit
  screenshots:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      pull-requests: write
    steps:
      - uses: peter-evans/create-pull-request@v5
"""


def test_hardening_findings_graded_by_the_secrets_a_job_holds(tmp_path):
    findings, _ = run(tmp_path, write(tmp_path, ".github/workflows/ci.yml", WORKFLOW))
    by_line = {(f.rule_id, f.location.line): f.severity for f in findings}
    # default token: the test job holds no secret, publish and deploy do
    assert by_line[("excessive-permissions", 4)] is Severity.LOW
    assert by_line[("excessive-permissions", 10)] is Severity.MEDIUM
    assert by_line[("excessive-permissions", 18)] is Severity.MEDIUM
    # moved tags: before any secret low; handed one, or after a login left one on disk, medium
    assert by_line[("unpinned-action", 8)] is Severity.LOW
    assert by_line[("unpinned-action", 13)] is Severity.LOW
    assert by_line[("unpinned-action", 14)] is Severity.MEDIUM
    assert by_line[("unpinned-action", 17)] is Severity.MEDIUM
    assert by_line[("unpinned-action", 23)] is Severity.MEDIUM
    assert by_line[("unpinned-action", 25)] is Severity.MEDIUM
    # a token granted write access is a credential every action of the job can use
    assert by_line[("unpinned-action", 33)] is Severity.MEDIUM


COMPOSE = """\
services:
  app:
    image: example/app:1.0
"""
POD = """\
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  containers:
    - name: app
      image: example/app:1.0
      securityContext: {runAsNonRoot: true}
"""


def test_compose_hardening_advice_is_low_kubernetes_keeps_medium(tmp_path):
    compose, _ = run(tmp_path, write(tmp_path, "docker-compose.yml", COMPOSE))
    pod, _ = run(tmp_path, write(tmp_path, "k8s/pod.yaml", POD))
    hardening = {"missing-resource-limits", "privilege-escalation-allowed"}
    assert {f.rule_id: f.severity for f in compose if f.rule_id in hardening} == dict.fromkeys(hardening, Severity.LOW)
    assert {f.rule_id: f.severity for f in pod if f.rule_id in hardening} == dict.fromkeys(hardening, Severity.MEDIUM)
