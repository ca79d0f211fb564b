"""Headless Chromium for the HTML report tests: the page's own script runs, then we read the DOM or take a screenshot.

No driver library: ``--dump-dom`` prints the DOM after the page's scripts
ran, and the reports read filters and the sort order from the address
(``#kind=http&sort=risk``), which is how a test "uses" a filter. Each run
gets a fresh profile and no background networking.
"""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-extensions", "--disable-default-apps", "--mute-audio"]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium is not installed: `apt-get install -y chromium` (.ci/run does it)")
    return path


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True, timeout=120, check=True)


def dump_dom(page: Path, fragment: str, profile: Path) -> str:
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    return _run(["--virtual-time-budget=3000", "--dump-dom", url], profile).stdout


def screenshot(page: Path, target: Path, profile: Path, size: str = "1400,2200") -> Path:
    _run([f"--window-size={size}", "--hide-scrollbars", f"--screenshot={target}", page.resolve().as_uri()], profile)
    return target


class Dom(HTMLParser):
    """Just enough of the DOM for assertions: elements with their attributes, and the text inside elements with an id."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: dict[str, str] = {}
        self._open: list[str | None] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag not in ("br", "img", "meta", "input", "circle", "rect", "path", "link"):
            self._open.append(attributes.get("id"))

    def handle_endtag(self, tag):
        if self._open and tag not in ("br", "img", "meta", "input", "circle", "rect", "path", "link"):
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.texts[element_id] = self.texts.get(element_id, "") + data

    def select(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]
