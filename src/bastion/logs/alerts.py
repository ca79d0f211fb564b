"""The one-line alert ``--follow`` prints for each new incident: for people, for files, for fail2ban.

``2026-12-07T11:00:01Z bastion alert log-sql-injection high client=203.0.113.7 count=3 source=access.log:17 GET /x?...``
The fail2ban filter of ``bastion logs rules --for fail2ban`` matches exactly
this layout (:data:`FAIL2BAN_REGEX`); a test checks the two agree.
"""

from __future__ import annotations

import json

from bastion.core.model import Finding

#: fail2ban ``failregex`` for alert lines (``<HOST>`` is fail2ban's address placeholder).
FAIL2BAN_REGEX = r"^\s*bastion alert (?:log-[a-z-]+) (?:critical|high|medium) client=<HOST> "


def alert_line(finding: Finding) -> str:
    incident = finding.incident
    when = (incident.last_seen or incident.first_seen) if incident else ""
    client = incident.client.replace(" ", "_") if incident else "-"
    count = incident.count if incident else 1
    sample = finding.snippet.replace("\n", " ")
    return (f"{when or '-'} bastion alert {finding.rule_id} {finding.severity.value} client={client or '-'} "
            f"count={count} source={finding.location.path}:{finding.location.line} {sample}")


def alert_json(finding: Finding) -> str:
    return json.dumps(finding.to_dict(), sort_keys=True, ensure_ascii=False)
