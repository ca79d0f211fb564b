"""Prometheus alerting rules on the metrics ``bastion logs --follow --metrics-port N`` exports.

Also writes a ``promtool test rules`` file: synthetic series for each alert and
the alert expected from them, so users (and our suite) can check the rules with
Prometheus's own tool.
"""

from __future__ import annotations

import yaml

from bastion.logs.metrics import NAMES
from bastion.logs.rulegen.settings import RuleSettings

RULE_FILE = "bastion-logs.rules.yml"
TEST_FILE = "bastion-logs.rules.test.yml"

ATTACKS = "log-sql-injection|log-xss|log-path-traversal|log-command-injection|log-template-injection|log-ssrf|log-jndi-lookup"
ACCOUNT = "log-brute-force|log-credential-stuffing"
RECON = "log-scanner|log-probing"
LEAKS = "log-secret|log-token-in-url|log-auth-header|log-sensitive-file-served"


def _rule(name: str, expr: str, severity: str, summary: str, description: str, for_: str = "0m") -> dict:
    return {"alert": name, "expr": expr, "for": for_, "labels": {"severity": severity, "source": "bastion-logs"},
            "annotations": {"summary": summary, "description": description}}


def rules(settings: RuleSettings) -> list[dict]:
    incidents, t = NAMES["incidents"], settings.thresholds
    window = f"{int(t.window // 60) or 1}m"
    return [
        _rule("BastionAttackPayloads", f'sum by (signal) (increase({incidents}{{signal=~"{ATTACKS}"}}[{window}])) > 0',
              "critical", "Attack payloads in requests ({{ $labels.signal }})",
              "{{ $value }} new incidents of {{ $labels.signal }}; see bastion logs output for clients and lines."),
        _rule("BastionAccountAttack", f'sum by (signal) (increase({incidents}{{signal=~"{ACCOUNT}"}}[{window}])) > 0',
              "critical", "Brute force or credential stuffing ({{ $labels.signal }})",
              "{{ $value }} clients or usernames crossed the failed-login threshold."),
        _rule("BastionReconnaissance", f'sum by (signal) (increase({incidents}{{signal=~"{RECON}"}}[{window}])) > 0',
              "warning", "Scanner or probing client ({{ $labels.signal }})", "{{ $value }} new scanning clients."),
        _rule("BastionLeakInLogs", f'sum by (signal) (increase({incidents}{{signal=~"{LEAKS}"}}[{window}])) > 0',
              "critical", "Credential or sensitive file exposed ({{ $labels.signal }})",
              "A credential was written to a log or a sensitive file was served: rotate it."),
        _rule("BastionHighServerErrorRate",
              f'sum(rate({NAMES["errors"]}{{class="5xx"}}[5m])) / sum(rate({NAMES["requests"]}[5m])) > 0.05',
              "warning", "More than 5% of requests answered 5xx", "5xx ratio is {{ $value | humanizePercentage }}.", "5m"),
        _rule("BastionRateLimitSurge", f"sum by (zone) (rate({NAMES['rate_limited']}[5m])) > 1",
              "warning", "Rate limit zone {{ $labels.zone }} rejecting over 1 request/s",
              "{{ $value }} rejections per second in zone {{ $labels.zone }}.", "2m"),
        _rule("BastionApplicationErrorBurst",
              f'sum(increase({NAMES["app_events"]}{{level=~"error|critical"}}[1m])) > {t.error_burst}',
              "warning", "Burst of ERROR/CRITICAL application events", "{{ $value }} error events in the last minute."),
        _rule("BastionLogWatcherDown", f'up{{job="{settings.metrics_job}"}} == 0', "warning",
              "bastion logs is not being scraped", "The log watcher's metrics endpoint is down: no alerts will fire.", "5m"),
    ]


def _expect(at: str, alert: str, labels: dict, summary: str, description: str) -> dict:
    return {"eval_time": at, "alertname": alert, "exp_alerts": [{
        "exp_labels": {**labels, "source": "bastion-logs"},
        "exp_annotations": {"summary": summary, "description": description}}]}


def _tests(settings: RuleSettings) -> dict:
    incidents = NAMES["incidents"]
    job = settings.metrics_job
    base = f'job="{job}",instance="watcher:9464"'
    return {
        "rule_files": [RULE_FILE],
        "evaluation_interval": "1m",
        "tests": [{
            "interval": "1m",
            "input_series": [
                {"series": f'{incidents}{{signal="log-sql-injection",severity="high",{base}}}', "values": "0 0 1 1 1 1 1 1"},
                {"series": f'{incidents}{{signal="log-brute-force",severity="high",{base}}}', "values": "0 0 0 1 1 1 1 1"},
                {"series": f'{NAMES["requests"]}{{{base}}}', "values": "0+100x20"},
                {"series": f'{NAMES["errors"]}{{class="5xx",{base}}}', "values": "0+20x20"},
                {"series": f'{NAMES["rate_limited"]}{{zone="login",{base}}}', "values": "0+300x20"},
                {"series": f'up{{{base}}}', "values": "0x10"},
            ],
            "alert_rule_test": [
                _expect("3m", "BastionAttackPayloads", {"severity": "critical", "signal": "log-sql-injection"},
                        "Attack payloads in requests (log-sql-injection)",
                        "1 new incidents of log-sql-injection; see bastion logs output for clients and lines."),
                _expect("4m", "BastionAccountAttack", {"severity": "critical", "signal": "log-brute-force"},
                        "Brute force or credential stuffing (log-brute-force)",
                        "1 clients or usernames crossed the failed-login threshold."),
                {"eval_time": "3m", "alertname": "BastionReconnaissance", "exp_alerts": []},
                _expect("10m", "BastionHighServerErrorRate", {"severity": "warning"},
                        "More than 5% of requests answered 5xx", "5xx ratio is 20%."),
                _expect("10m", "BastionRateLimitSurge", {"severity": "warning", "zone": "login"},
                        "Rate limit zone login rejecting over 1 request/s", "5 rejections per second in zone login."),
                _expect("8m", "BastionLogWatcherDown", {"severity": "warning", "job": job, "instance": "watcher:9464"},
                        "bastion logs is not being scraped", "The log watcher's metrics endpoint is down: no alerts will fire."),
            ],
        }],
    }


def files(settings: RuleSettings) -> dict[str, str]:
    document = {"groups": [{"name": "bastion-logs", "rules": rules(settings)}]}
    header = "# Generated by `bastion logs rules --for prometheus`: alerts on `bastion logs --follow --metrics-port N`.\n"
    return {RULE_FILE: header + yaml.safe_dump(document, sort_keys=False, width=200),
            TEST_FILE: "# promtool test rules " + TEST_FILE + "\n" + yaml.safe_dump(_tests(settings), sort_keys=False, width=200)}
