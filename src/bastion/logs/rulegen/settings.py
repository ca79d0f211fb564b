"""What the generated rules are tuned by: thresholds, log locations and selectors, the real login routes."""

from __future__ import annotations

from dataclasses import dataclass

from bastion.logs.options import Thresholds

DEFAULT_LOGIN_ROUTES = ("/login", "/signin", "/auth/login", "/api/login", "/api/auth/login", "/users/sign_in",
                        "/wp-login.php", "/xmlrpc.php", "/password/reset", "/api/token", "/oauth/token")


@dataclass(frozen=True)
class RuleSettings:
    thresholds: Thresholds = Thresholds()
    login_routes: tuple[str, ...] = DEFAULT_LOGIN_ROUTES
    access_log: str = "/var/log/nginx/access.log"
    error_log: str = "/var/log/nginx/error.log"
    alert_log: str = "/var/log/bastion/alerts.log"
    access_selector: str = '{job="nginx"}'
    error_selector: str = '{job="nginx-error"}'
    app_selector: str = '{job="app"}'
    metrics_job: str = "bastion-logs"
