"""TLS of an HTTPS target, on connections of its own: a certificate clients cannot verify (self-signed, expired,
wrong name) and protocol versions older than TLS 1.2 accepted. Each is seen on two handshakes."""

from __future__ import annotations

import socket
import ssl
import warnings
from urllib.parse import urlsplit

from bastion.dast.client import Request
from bastion.dast.context import RunContext

NAME = "tls"
PHASE = "global"


def run(ctx: RunContext) -> None:
    parts = urlsplit(ctx.client.target)
    if parts.scheme != "https":
        return
    host, port = parts.hostname or "", parts.port or 443
    ctx.client.scope.require(ctx.client.target)
    problem = certificate_problem(host, port, ctx.options.timeout, ctx.options.ca_file)
    if problem and certificate_problem(host, port, ctx.options.timeout, ctx.options.ca_file) == problem:
        proof = ctx.client.send(Request("GET", "/"))
        ctx.report("dast-tls", None, "certificate", f"the certificate of {host}:{port} fails verification: {problem}",
                   proof, path="/", problem=problem)
    tried = {v: _accepts(host, port, v, ctx.options.timeout) for v in ("TLSv1", "TLSv1.1")}
    untestable = [v for v, answer in tried.items() if answer is None]
    if untestable:
        ctx.note("warning", f"{' and '.join(untestable)} not tested: this machine's OpenSSL cannot offer them")
    old = [v for v, answer in tried.items() if answer]
    if old and all(_accepts(host, port, v, ctx.options.timeout) for v in old):
        proof = ctx.client.send(Request("GET", "/"))
        ctx.report("dast-tls", None, "protocol", f"{host}:{port} accepts {' and '.join(old)}, deprecated by RFC 8996",
                   proof, path="/", protocols=old)


def certificate_problem(host: str, port: int, timeout: float, ca_file: str | None) -> str | None:
    context = ssl.create_default_context(cafile=ca_file)
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, context.wrap_socket(raw, server_hostname=host):
            return None
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except (ssl.SSLError, OSError):
        return None


def _accepts(host: str, port: int, version: str, timeout: float) -> bool | None:
    """Whether the server completes a handshake limited to ``version``; None when we cannot even offer it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # Only asks which protocol versions the server accepts; nothing is sent over this connection.
    context.check_hostname = False  # bastion: ignore[tls-verification-disabled] -- a version probe, no data sent
    context.verify_mode = ssl.CERT_NONE  # bastion: ignore[tls-verification-disabled] -- a version probe, no data sent
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        chosen = ssl.TLSVersion.TLSv1 if version == "TLSv1" else ssl.TLSVersion.TLSv1_1
    try:
        with warnings.catch_warnings():  # the deprecation is the point: we ask whether the server still allows it
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = chosen
            context.maximum_version = chosen
        context.set_ciphers("ALL:@SECLEVEL=0")
    except (ValueError, ssl.SSLError):
        return None
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, context.wrap_socket(raw, server_hostname=host):
            return True
    except (ssl.SSLError, OSError):
        return False
