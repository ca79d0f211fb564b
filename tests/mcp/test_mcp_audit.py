"""The audit_map tool through the MCP SDK's own client: the same map as ``bastion audit``, confined to the root."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.mcp.test_mcp_server import _payload, _run

from bastion.audit import build_map

FIXTURE = Path(__file__).parent.parent / "fixtures" / "audit" / "flask_app"


def test_audit_map_answers_the_entry_points_and_review_items(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (tmp_path / "elsewhere").mkdir()

    async def calls(client):
        tools = {t.name: t for t in (await client.list_tools()).tools}
        return tools, await client.call_tool("audit_map", {}), await client.call_tool("audit_map", {"path": "../elsewhere"})

    tools, answer, outside = _run(root, calls)
    assert "audit_map" in tools
    data = _payload(answer)
    expected = build_map(root).to_dict()
    assert [e["id"] for e in data["entry_points"]] == [e["id"] for e in expected["entry_points"]]
    assert data["entry_points"] == expected["entry_points"] and data["truncated"] is False
    assert {i["check"] for i in data["review_items"]} == {"missing-authentication", "object-ownership", "unbounded-body"}
    assert outside.is_error and "outside the project root" in outside.content[0].text
