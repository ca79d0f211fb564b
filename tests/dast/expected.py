"""What each vulnerable test app must yield: (rule, method + path template or "/", parameter) per planted flaw.

The ground truth for tests/dast/test_apps.py and benchmarks/dast/run.py. Fixed twins must yield nothing.
"""

FLASK = {
    ("dast-sql-injection", "GET /api/products", "name"),
    ("dast-sql-injection", "GET /api/stock", "name"),
    ("dast-sql-injection", "GET /api/track", "ref"),
    ("dast-command-injection", "GET /api/ping", "host"),
    ("dast-template-injection", "GET /api/greet", "name"),
    ("dast-reflected-xss", "GET /api/greet", "name"),
    ("dast-reflected-xss", "GET /api/search", "q"),
    ("dast-path-traversal", "GET /api/files", "name"),
    ("dast-ssrf", "POST /api/fetch", "url"),
    ("dast-open-redirect", "GET /api/go", "next"),
    ("dast-redos", "GET /api/validate", "username"),
    ("dast-debug-endpoint", "GET /api/debug/env", None),
    ("dast-data-exposure", "GET /api/debug/env", None),
    ("dast-verbose-error", "GET /api/files", None),
    ("dast-security-headers", "GET /", "X-Content-Type-Options"),
    ("dast-security-headers", "GET /", "Content-Security-Policy"),
    ("dast-security-headers", "GET /", "X-Frame-Options"),
    ("dast-security-headers", "GET /", "version disclosure in Server"),
    ("dast-insecure-cookie", "GET /", "cookie session_id without HttpOnly"),
    ("dast-insecure-cookie", "GET /", "cookie session_id without SameSite"),
}

FASTAPI = {
    ("dast-bola", "GET /api/orders/{order_id}", "order_id"),
    ("dast-bola", "PUT /api/orders/{order_id}", "item"),
    ("dast-bfla", "GET /api/admin/users", None),
    ("dast-mass-assignment", "PATCH /api/users/me", "role"),
    ("dast-data-exposure", "GET /api/users/me", None),
    ("dast-user-enumeration", "POST /api/login", "username"),
    ("dast-missing-rate-limit", "POST /api/login", None),
    ("dast-missing-account-lockout", "POST /api/login", "username"),
    ("dast-jwt-none-alg", "GET /api/admin/users", None),
    ("dast-jwt-weak-key", "GET /api/admin/users", None),
    ("dast-jwt-expired-accepted", "GET /api/admin/users", None),
    ("dast-cors", "GET /api/admin/users", None),
    ("dast-security-headers", "GET /", "X-Content-Type-Options"),
}

EXPRESS = {
    ("dast-nosql-injection", "GET /api/notes", "owner"),
    ("dast-nosql-injection", "POST /api/users/lookup", "email"),
    ("dast-path-traversal", "GET /api/report", "file"),
    ("dast-command-injection", "GET /api/dns", "host"),
    ("dast-template-injection", "GET /api/banner", "text"),
    ("dast-reflected-xss", "GET /api/welcome", "name"),
    ("dast-open-redirect", "GET /api/redirect", "url"),
    ("dast-verbose-error", "GET /api/parse", None),
    ("dast-jwt-signature-not-verified", "GET /api/profile", None),
    ("dast-jwt-none-alg", "GET /api/profile", None),
    ("dast-missing-rate-limit", "POST /api/login", None),
    ("dast-security-headers", "GET /", "X-Content-Type-Options"),
    ("dast-security-headers", "GET /", "version disclosure in X-Powered-By"),
}

EXPECTED = {"flask": FLASK, "fastapi": FASTAPI, "express": EXPRESS}


def finding_key(finding) -> tuple[str, str, str | None]:
    """(rule, "METHOD /template", parameter) of a finding, comparable with the sets above."""
    endpoint = finding.endpoint
    template = endpoint.url.split("://", 1)[1].partition("/")[2]
    return finding.rule_id, f"{endpoint.method} /{template}", endpoint.parameter
