"""What one dast run may do: the target, its scope, its budgets. Validated once, before any request."""

from __future__ import annotations

from dataclasses import dataclass, field


class DastError(ValueError):
    """The run could not start or had to stop: a bad option, spec or auth file, an unreachable target."""


@dataclass(frozen=True)
class DastOptions:
    """Every knob of a run; the CLI and the public API build one of these.

    ``allow_hosts`` widens the scope beyond loopback; ``allow_destructive``
    lets DELETE operations (and those the auth file marks destructive) be sent.
    ``delay`` is the sleep the timing payloads ask for, in seconds; ``ca_file``
    is the CA bundle the TLS check verifies an internal certificate against.
    """

    target: str
    openapi: str | None = None
    auth_file: str | None = None
    routes_from: str | None = None
    max_requests: int = 5000
    max_time: float = 900.0
    concurrency: int = 4
    timeout: float = 10.0
    allow_hosts: tuple[str, ...] = ()
    allow_destructive: bool = False
    delay: float = 2.0
    burst: int = 30
    ca_file: str | None = None
    checks: tuple[str, ...] | None = None
    exclude_checks: tuple[str, ...] = field(default_factory=tuple)

    def validate(self) -> None:
        if self.openapi and self.routes_from:
            raise DastError("give either --openapi or --routes-from, not both")
        if self.max_requests < 1:
            raise DastError("--max-requests must be at least 1")
        if self.max_time <= 0:
            raise DastError("--max-time must be positive")
        if not 1 <= self.concurrency <= 32:
            raise DastError("--concurrency must be between 1 and 32")
        if self.burst < 5 or self.burst > 500:
            raise DastError("--burst must be between 5 and 500")
        if self.timeout <= 0:
            raise DastError("--timeout must be positive")
