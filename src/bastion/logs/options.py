"""What ``bastion logs`` can be told: inputs, allow-lists, windows and thresholds. Validated once."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

#: Addresses that are never "a client on the internet": RFC 1918, loopback, link-local, CGNAT, ULA.
PRIVATE_NETWORKS = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
                    "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10")
#: Health checks: paths probes poll and the user agents of the probes themselves.
HEALTH_PATHS = ("/health", "/healthz", "/healthcheck", "/health-check", "/_health", "/livez", "/readyz", "/ready",
                "/live", "/ping", "/status", "/server-status", "/nginx_status", "/stub_status", "/metrics", "/up")
HEALTH_AGENTS = ("kube-probe/", "ELB-HealthChecker/", "GoogleHC/", "Consul Health Check", "Uptime-Kuma/",
                 "UptimeRobot/", "Pingdom", "StatusCake", "Prometheus/", "Blackbox Exporter/", "Datadog Agent/",
                 "Site24x7", "NewRelicPinger", "HealthCheck", "Amazon-Route53-Health-Check-Service")
INPUT_FORMATS = ("auto", "access", "error", "json", "journald", "text")


class LogOptionsError(ValueError):
    """An option that cannot be used; the message names it."""


def networks(values: list[str] | tuple[str, ...], option: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise LogOptionsError(f"{option}: {value!r} is not an address or network (like 10.0.0.0/8)") from None
    return tuple(out)


@dataclass(frozen=True)
class Thresholds:
    """When client behaviour becomes an incident: counts within a sliding window of seconds."""

    window: float = 300.0
    probing_paths: int = 20        # distinct paths answered 4xx
    sensitive_files: int = 3       # requests for .env, .git/config... (one served 2xx is always an incident)
    auth_failures: int = 10        # failed logins
    stuffing_users: int = 5        # distinct usernames failing from one client / clients failing for one username
    rate_limited: int = 1          # rejections by a rate limit zone
    denied: int = 10               # unauthorized/forbidden events in application logs
    error_burst: int = 10          # ERROR/CRITICAL events in one minute, and 5x the log's usual minute
    spike_factor: float = 5.0      # error ratio of a minute against the log's median minute
    spike_min_errors: int = 10     # 5xx answers in a minute before a spike counts


@dataclass(frozen=True)
class LogOptions:
    input_format: str = "auto"
    nginx_conf: str | None = None
    log_format: str | None = None
    trusted_proxies: tuple = ()
    trust_private_proxies: bool = True
    alert_private: bool = False
    health_paths: tuple[str, ...] = HEALTH_PATHS
    health_agents: tuple[str, ...] = HEALTH_AGENTS
    login_paths: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    max_clients: int = 100_000
    source: str | None = None


def parse(raw: dict | None) -> LogOptions:
    """Options from plain data (the API's keyword arguments, the CLI's flags)."""
    raw = dict(raw or {})
    fmt = raw.pop("input_format", "auto") or "auto"
    if fmt not in INPUT_FORMATS:
        raise LogOptionsError(f"input format {fmt!r} is not one of {', '.join(INPUT_FORMATS)}")
    thresholds = raw.pop("thresholds", None) or {}
    try:
        limits = Thresholds(**thresholds) if isinstance(thresholds, dict) else thresholds
    except TypeError as exc:
        raise LogOptionsError(f"thresholds: {exc}") from None
    extra_health = tuple(raw.pop("health_paths", ()) or ())
    extra_agents = tuple(raw.pop("health_agents", ()) or ())
    proxies = networks(tuple(raw.pop("trusted_proxies", ()) or ()), "trusted proxy")
    try:
        return LogOptions(input_format=fmt, thresholds=limits, trusted_proxies=proxies,
                          health_paths=HEALTH_PATHS + extra_health, health_agents=HEALTH_AGENTS + extra_agents,
                          login_paths=tuple(raw.pop("login_paths", ()) or ()), **raw)
    except TypeError as exc:
        raise LogOptionsError(f"unknown option: {exc}") from None
