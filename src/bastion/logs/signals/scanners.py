"""Known scanners by user agent, and requests for files no visitor asks for (``/.env``, ``/.git/config``).

User agents are CRS ``scanners-user-agents.data`` plus current tools CRS 3.3 lacks;
sensitive files are CRS ``restricted-files.data`` (both vendored, Apache-2.0).
"""

from __future__ import annotations

from functools import lru_cache

import re2

from bastion.logs.data import crs_words
from bastion.logs.matcher import words_pattern

EXTRA_AGENTS = ("feroxbuster", "ffuf/", "httpx - open-source", "xray", "acunetix", "burpcollaborator", "censysinspect",
                "l9explore", "l9tcpid", "zgrab/", "nmap", "wpscan", "sqlmap", "nikto", "fuzz faster u fool",
                "dirsearch", "gobuster/", "wapiti", "skipfish", "owasp zap", "joomscan", "droopescan", "cmsmap")
EXTRA_FILES = (".env", ".env.local", ".env.production", ".git/config", ".git/head", ".svn/entries", ".ds_store",
               "wp-config.php.bak", "config.php.bak", "id_rsa", "id_ed25519", ".aws/credentials", "docker-compose.yml",
               "phpinfo.php", "server-status", ".npmrc", ".pypirc", "backup.sql", "dump.sql", "database.sql",
               "web.config", "actuator/env", "actuator/heapdump", ".vscode/sftp.json", "sftp-config.json")


@lru_cache(maxsize=1)
def _agents():
    words = [w.lower() for w in crs_words("scanners-user-agents") if len(w) >= 4] + list(EXTRA_AGENTS)
    return re2.compile(words_pattern(words))


@lru_cache(maxsize=1)
def _files():
    words = [w.lower() for w in crs_words("restricted-files") if len(w) >= 4] + list(EXTRA_FILES)
    return re2.compile(r"(?i)/" + words_pattern(words)[4:] + r"(?:$|[?#;/])")


@lru_cache(maxsize=4096)
def scanner_agent(user_agent: str) -> str | None:
    """The scanner's name found in the user agent, or None (cached: a log repeats a few agents endlessly)."""
    if not user_agent:
        return None
    match = _agents().search(user_agent)
    return match.group(0) if match else None


@lru_cache(maxsize=4096)
def sensitive_file(path: str) -> str | None:
    """The sensitive file a request path asks for (lower-cased path), or None (cached: paths repeat)."""
    match = _files().search(path.lower())
    return match.group(0).rstrip("?#;/") if match else None


def agent_words() -> list[str]:
    """Every user-agent phrase, for the prefilter and the fail2ban filter."""
    return [w.lower() for w in crs_words("scanners-user-agents") if len(w) >= 4] + list(EXTRA_AGENTS)


def file_words() -> list[str]:
    return [w.lower() for w in crs_words("restricted-files") if len(w) >= 4] + list(EXTRA_FILES)
