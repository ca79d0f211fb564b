"""The user's own ``log_format``s, read from their nginx configuration with crossplane.

``access_log /var/log/nginx/api.log main;`` tells which layout a file uses; a
log file is matched to its layout by file name. The configuration is parsed,
never executed: crossplane reads it as text, following ``include``s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePath

import crossplane

from bastion.logs.formats.access import AccessFormat, from_nginx

#: nginx's built-in layout, used when ``access_log`` names none.
COMBINED_LAYOUT = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"'


class NginxConfigError(ValueError):
    """The configuration could not be read; the message says why."""


@dataclass
class NginxFormats:
    """Layouts by name, and which layout each ``access_log`` file name uses."""

    formats: dict[str, AccessFormat] = field(default_factory=dict)
    by_file: dict[str, str] = field(default_factory=dict)

    def for_log(self, path: str) -> AccessFormat | None:
        name = self.by_file.get(PurePath(path).name.split(".log")[0])
        if name is not None:
            return self.formats.get(name)
        custom = [f for n, f in self.formats.items() if n != "combined"]
        return custom[0] if len(custom) == 1 else None


def _walk(directives: list[dict]):
    for directive in directives:
        yield directive
        yield from _walk(directive.get("block") or [])


def read(path: str | Path) -> NginxFormats:
    """Every ``log_format`` and ``access_log`` in the configuration at ``path`` (includes followed)."""
    if not Path(path).is_file():
        raise NginxConfigError(f"{path}: no such nginx configuration file")
    parsed = crossplane.parse(str(path), catch_errors=True, comments=False)
    errors = [e["error"] for e in parsed.get("errors", [])]
    if parsed.get("status") != "ok" and not parsed.get("config"):
        raise NginxConfigError(f"{path}: {'; '.join(errors) or 'cannot parse'}")
    found = NginxFormats(formats={"combined": from_nginx("combined", COMBINED_LAYOUT)})
    for config in parsed.get("config", []):
        for directive in _walk(config.get("parsed") or []):
            args = directive.get("args") or []
            if directive.get("directive") == "log_format" and len(args) >= 2:
                strings = [a for a in args[1:] if not a.startswith("escape=")]
                found.formats[args[0]] = from_nginx(args[0], "".join(strings))
            elif directive.get("directive") == "access_log" and args and args[0] != "off":
                name = args[1] if len(args) > 1 and "=" not in args[1] else "combined"
                found.by_file[PurePath(args[0]).name.split(".log")[0]] = name
    return found
