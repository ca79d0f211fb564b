"""End to end: the MCP SDK's own client spawns `python -m bastion mcp` and calls every tool over stdio."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

SRC = str(Path(__file__).resolve().parents[2] / "src")

def _fresh_github_token() -> str:
    """A random token in GitHub's format with a valid checksum, made at run time so the repository holds none."""
    import secrets
    import string

    from bastion.secrets.checksums import github_crc32

    body = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(30))
    return "ghp_" + body + github_crc32(body)


FAKE_TOKEN = _fresh_github_token()
TOOLS = {"harden_prompt", "scan_code", "scan_path", "check_packages", "explain_rule", "audit_map"}


def _params(root: Path, accept_missing_db: bool = True) -> StdioServerParameters:
    """The server with no advisory database; by default the user accepts that (an answer with a warning)."""
    env = {"PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "BASTION_DB_DIR": str(root / "no-db"),
           "BASTION_ALLOW_STALE_DB": "1" if accept_missing_db else "0",
           "BASTION_CACHE_DIR": os.environ["BASTION_CACHE_DIR"], "BASTION_STATE_DIR": os.environ["BASTION_STATE_DIR"]}
    return StdioServerParameters(command=sys.executable, args=["-m", "bastion", "mcp", "--root", str(root)],
                                 env=env, cwd=str(root))


def _payload(result) -> dict:
    assert not result.is_error, result.content
    return json.loads(result.content[0].text)


def _run(root: Path, calls, accept_missing_db: bool = True):
    """Start the real server process, run ``calls(client)`` and return what it returns."""
    async def main():
        async with Client(_params(root, accept_missing_db), read_timeout_seconds=120) as client:
            return await calls(client)
    return anyio.run(main)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    (root / "app.py").write_text(
        "import subprocess\n\ndef run(cmd):\n    return subprocess.run(cmd, shell=True)\n", "utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "ok.py").write_text("def add(a, b):\n    return a + b\n", "utf-8")
    return root


@pytest.fixture(scope="module")
def session_results(project: Path) -> dict:
    """One server process for the module: every tool called once or more, results kept by name."""
    outside = project.parent / "outside.py"
    outside.write_text("x = 1\n", "utf-8")

    async def calls(client):
        out = {"tools": {t.name: t for t in (await client.list_tools()).tools}}
        out["harden"] = await client.call_tool(
            "harden_prompt", {"task": "Create a Node.js endpoint that uploads a user's profile picture."})
        out["harden_bad"] = await client.call_tool("harden_prompt", {"task": "x", "language": "cobol"})
        for task in SAME_KNOWLEDGE_TASKS:
            out[f"harden:{task}"] = await client.call_tool("harden_prompt", {"task": task})
        out["scan_code"] = await client.call_tool("scan_code", {
            "code": "import pickle, base64\n\ndef load(request):\n    raw = request.cookies.get('s')\n"
                    "    return pickle.loads(base64.b64decode(raw))\n",
            "filename": "session.py"})
        out["scan_code_clean"] = await client.call_tool("scan_code", {"code": "def f(a):\n    return a\n",
                                                                      "language": "python"})
        out["scan_code_noname"] = await client.call_tool("scan_code", {"code": "x = 1\n"})
        out["scan_code_huge"] = await client.call_tool("scan_code", {"code": "x" * 300_000, "language": "python"})
        out["secret"] = await client.call_tool("scan_code", {"code": f"TOKEN = '{FAKE_TOKEN}'\n", "filename": "cfg.py"})
        out["scan_path"] = await client.call_tool("scan_path", {"path": "app.py"})
        out["scan_escape"] = await client.call_tool("scan_path", {"path": "../outside.py"})
        out["scan_abs"] = await client.call_tool("scan_path", {"path": str(outside)})
        out["packages"] = await client.call_tool("check_packages", {"packages": [
            {"ecosystem": "pypi", "name": "requests", "version": "2.31.0"},
            {"ecosystem": "npm", "name": "expresss", "version": "4.0.0"}]})
        out["packages_bad"] = await client.call_tool("check_packages", {"packages": [
            {"ecosystem": "pypi", "name": "evil\nname", "version": "1"}]})
        out["packages_any_case"] = await client.call_tool("check_packages", {"packages": [
            {"ecosystem": "PyPI", "name": "reqeusts"}, {"ecosystem": "NPM", "name": "lodash", "version": "4.17.20"},
            {"ecosystem": "pypi", "name": "flask"}]})
        out["packages_unknown_ecosystem"] = await client.call_tool("check_packages", {"packages": [
            {"ecosystem": "cargo", "name": "serde"}]})
        out["explain"] = await client.call_tool("explain_rule", {"rule_id": "command-injection"})
        out["explain_unknown"] = await client.call_tool("explain_rule", {"rule_id": "sql-injecton"})
        return out

    return _run(project, calls)


def test_lists_the_five_tools_with_bounded_inputs(session_results):
    tools = session_results["tools"]
    assert TOOLS <= set(tools)
    code_schema = tools["scan_code"].input_schema["properties"]["code"]
    assert code_schema["maxLength"] == 200_000


def test_harden_prompt_covers_the_seed_upload_requirements(session_results):
    data = _payload(session_results["harden"])
    assert [t["id"] for t in data["themes"]] == ["file-upload"]
    prompt = data["prompt"]
    for needle in ("image/png", "image/jpeg", "2 MB", "multer", "413", "random"):
        assert needle in prompt


SAME_KNOWLEDGE_TASKS = (
    "Write a C function that copies the user's name into a fixed buffer",
    "Go handler that runs nslookup for the domain in the query string",
    "Implement Google OAuth login in Django",
    "FastAPI endpoint to search products by name with pagination",
)


@pytest.mark.parametrize("task", SAME_KNOWLEDGE_TASKS)
def test_harden_prompt_gives_what_the_library_and_cli_give(session_results, project, task):
    """The MCP tool is a face over the same function: same themes, stack, budget and text as `bastion prompt`."""
    import bastion

    data = _payload(session_results[f"harden:{task}"])
    local = bastion.harden_prompt(task, root=project).to_dict()
    assert data["prompt"] == local["prompt"]
    assert [t["id"] for t in data["themes"]] == [t["id"] for t in local["themes"]]


def test_harden_prompt_refuses_an_unknown_language(session_results):
    result = session_results["harden_bad"]
    assert result.is_error and "unknown language" in result.content[0].text


def test_scan_code_reports_findings_with_guidance(session_results):
    data = _payload(session_results["scan_code"])
    assert data["total_findings"] >= 1
    finding = data["findings"][0]
    assert finding["line"] == 5 and finding["path"].endswith("session.py")
    assert finding["cwe"] and finding["fix_guidance"]
    assert _payload(session_results["scan_code_clean"])["total_findings"] == 0


def test_scan_code_needs_a_name_and_refuses_oversized_code(session_results):
    assert session_results["scan_code_noname"].is_error
    assert session_results["scan_code_huge"].is_error


def test_scan_path_is_confined_to_the_root(session_results):
    data = _payload(session_results["scan_path"])
    assert any(f["line"] == 4 for f in data["findings"])
    for key in ("scan_escape", "scan_abs"):
        result = session_results[key]
        assert result.is_error and "outside the project root" in result.content[0].text


def test_check_packages_answers_and_validates_names(session_results):
    data = _payload(session_results["packages"])
    assert "findings" in data and "notes" in data
    lookalikes = [f for f in data["findings"] if f["rule_id"] == "lookalike-package"]
    assert [f["package"] for f in lookalikes] == ["expresss"]
    bad = session_results["packages_bad"]
    assert bad.is_error and "not a valid pypi package name" in bad.content[0].text.lower()


def test_check_packages_takes_any_case_and_bare_names_and_points_at_no_file(session_results, project):
    data = _payload(session_results["packages_any_case"])
    rules = [(f["rule_id"], f["package"]) for f in data["findings"]]
    assert ("lookalike-package", "reqeusts") in rules
    assert not [r for r in rules if r[0] == "unpinned-dependency"], "a bare name is no unpinned declaration"
    for finding in data["findings"]:
        assert "path" not in finding and "line" not in finding and finding["purl"].startswith("pkg:")
    text = json.dumps(data)
    assert "requirements.txt" not in text and "package.json" not in text and "bastion-packages-" not in text
    assert any("no advisory database" in n and "accepted" in n for n in data["notes"])
    unknown = session_results["packages_unknown_ecosystem"]
    assert unknown.is_error and "unknown ecosystem 'cargo'" in unknown.content[0].text


def test_check_packages_without_a_database_is_an_error_not_a_green_check(project):
    async def calls(client):
        return await client.call_tool("check_packages", {"packages": [
            {"ecosystem": "pypi", "name": "urllib3", "version": "1.25.7"}]})

    result = _run(project, calls, accept_missing_db=False)
    assert result.is_error and "no advisory database" in result.content[0].text
    assert "bastion db update" in result.content[0].text


def test_explain_rule(session_results):
    data = _payload(session_results["explain"])
    assert data["id"] == "command-injection" and 78 in data["cwe"] and "## command-injection" in data["markdown"]
    unknown = session_results["explain_unknown"]
    assert unknown.is_error and "sql-injection" in unknown.content[0].text


def test_scan_code_never_returns_the_secret(session_results):
    result = session_results["secret"]
    text = result.content[0].text
    assert FAKE_TOKEN not in text
    data = _payload(result)
    assert data["total_findings"] >= 1
    assert all(f["snippet"] == "[redacted]" for f in data["findings"] if "secret" in f["rule_id"])
