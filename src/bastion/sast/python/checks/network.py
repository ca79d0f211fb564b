"""Outgoing connections: calls that can wait forever, and protocols that send credentials in clear text."""

from __future__ import annotations

from bastion.sast.python import fixes
from bastion.sast.python.checks import on_call
from bastion.sast.taint import Analyzer, CallEvent

_REQUESTS = tuple(f"requests.{verb}" for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request")) + tuple(
    f"requests.Session().{verb}" for verb in ("get", "post", "put", "patch", "delete", "head", "request")
)


@on_call(*_REQUESTS, "urllib.request.urlopen")
def missing_timeout(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    if "timeout" in event.kwargs or event.splats:
        return
    if event.qual == "urllib.request.urlopen" and len(event.args) >= 3:
        return
    edit = fixes.add_keyword(hooks.file, event.node, "timeout=10")
    data = {"fix": ("add timeout=10", [edit])} if edit else {}
    analyzer.report("missing-timeout", event.node.span, f"{event.qual.rsplit('.', 1)[-1]}() without timeout= can hang forever", data=data)


@on_call("telnetlib.Telnet", "ftplib.FTP")
def cleartext(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    analyzer.report("cleartext-protocol", event.node.span, f"{event.qual} sends credentials and data unencrypted")


@on_call("smtplib.SMTP")
def smtp_plain(hooks, analyzer: Analyzer, event: CallEvent) -> None:
    text = hooks.file.text
    if ".login(" in text and "starttls" not in text:
        analyzer.report("cleartext-protocol", event.node.span, "SMTP login without starttls() sends the password in clear text")
