"""Allow-lists: who the client really is behind trusted proxies, and what is not a client's behaviour.

Behind a reverse proxy every request comes from the proxy's address; counting
them as one client is the false alarm users of log watchers complain about
most. When the logged address is a trusted proxy (given, or any private address
by default) and the line carries ``X-Forwarded-For``, the client is the
right-most address in that header that is not itself a trusted proxy (the
left-most entries are whatever the client chose to send). Health checks and,
unless asked, private addresses are kept out of behaviour signals; their
requests are still checked for payloads and leaks.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from bastion.logs.options import PRIVATE_NETWORKS, LogOptions, networks

_PRIVATE = networks(PRIVATE_NETWORKS, "private")
#: A page's own images, styles, scripts and fonts: missing ones asked with a Referer are a broken page, not probing.
ASSET_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".css", ".js", ".woff", ".woff2", ".map", ".avif")


class AllowList:
    def __init__(self, options: LogOptions) -> None:
        self._proxies = tuple(options.trusted_proxies)
        self._trust_private = options.trust_private_proxies
        self._alert_private = options.alert_private
        self._health_paths = frozenset(p.rstrip("/") or "/" for p in options.health_paths)
        self._health_agents = tuple(a.lower() for a in options.health_agents)
        self._is_private = lru_cache(maxsize=65536)(self._private)
        self._is_proxy = lru_cache(maxsize=65536)(self._proxy)
        self._is_health_agent = lru_cache(maxsize=4096)(self._health_agent)  # a log repeats a few agents endlessly

    @staticmethod
    def _address(text: str):
        try:
            return ipaddress.ip_address(text.strip().strip("[]"))
        except ValueError:
            return None

    def _private(self, text: str) -> bool:
        address = self._address(text)
        return address is not None and any(address in net for net in _PRIVATE)

    def _proxy(self, text: str) -> bool:
        address = self._address(text)
        if address is None:
            return False
        return any(address in net for net in self._proxies) or (self._trust_private and self._is_private(text))

    def client(self, remote: str, forwarded_for: str) -> str:
        """The real client: the right-most X-Forwarded-For hop that is not a trusted proxy, when the peer is one."""
        if not forwarded_for or not self._is_proxy(remote):
            return remote
        hops = [h.strip() for h in forwarded_for.split(",") if h.strip() and h.strip() != "-"]
        for hop in reversed(hops):
            if not self._is_proxy(hop):
                return hop
        return hops[0] if hops else remote

    def is_health_check(self, path: str, user_agent: str) -> bool:
        if (path.rstrip("/") or "/") in self._health_paths:
            return True
        return bool(user_agent) and self._is_health_agent(user_agent)

    def _health_agent(self, user_agent: str) -> bool:
        agent = user_agent.lower()
        return any(a in agent for a in self._health_agents)

    @staticmethod
    def is_broken_page_asset(path: str, referer: str) -> bool:
        """A browser fetching a page's missing image, style or script (it names the page as referer)."""
        return bool(referer) and path.lower().endswith(ASSET_SUFFIXES)

    def watches_behaviour_of(self, client: str) -> bool:
        """False for private addresses unless the user asked to alert on them (internal monitors, load balancers)."""
        return self._alert_private or not self._is_private(client)
