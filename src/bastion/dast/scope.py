"""Which hosts a run may send traffic to: loopback by default, more only when the user names them."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from bastion.dast.options import DastError

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and the names that always mean them (never resolved: DNS may lie)."""
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_target(target: str) -> str:
    """``http(s)://host[:port][/base]`` without a trailing slash; DastError for anything else."""
    parts = urlsplit(target.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DastError(f"--target must be an http:// or https:// URL, got {target!r}")
    if parts.username or parts.password:
        raise DastError("--target must not carry credentials; put them in the --auth file")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise DastError(f"--target has an invalid port: {target!r}") from None
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class Scope:
    """Hosts this run may reach. Every request goes through :meth:`require`."""

    def __init__(self, target: str, allow_hosts: tuple[str, ...] = ()) -> None:
        self.allowed = {h.strip().lower().strip("[]") for h in allow_hosts if h.strip()}
        host = urlsplit(target).hostname or ""
        if not self.permits(host):
            raise DastError(
                f"target host {host!r} is not a loopback address; Bastion only tests other hosts when you "
                f"name them with --allow-host {host} (and only test systems you are authorised to test)"
            )
        self.target_host = host.lower()

    def permits(self, host: str) -> bool:
        host = host.lower().strip("[]")
        return is_loopback(host) or host in self.allowed

    def require(self, url: str) -> None:
        host = urlsplit(url).hostname or ""
        if not self.permits(host):
            raise DastError(f"refusing to send a request to {host!r}: outside the scope of this run")

