"""Build the labelled log corpus of the logs benchmark (deterministic: the same seed gives the same bytes).

- benign traffic of a shop with a blog and an API: browsers, bots, the mobile app, health probes,
  people mistyping passwords, pages with broken images, searches full of quotes and SQL words;
- attack strings from public payload lists planted in requests: wfuzz's Injections lists (SQL, XSS,
  Traversal; Debian package wfuzz, read from where it installs them, never copied here) and, for the
  families wfuzz lacks, `extra_payloads.txt` (command injection, template injection, SSRF, JNDI lookups
  as published in public cheat sheets);
- real scanner runs against our own target app (`run_scanners.py`: sqlmap twice, wfuzz twice);
- brute-force and credential-stuffing sessions (access log and JSON application log).

Writes corpus/access.log, corpus/app.jsonl and corpus/labels.json; MANIFEST records sha256 digests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

HERE = Path(__file__).parent
OUT = HERE / "corpus"
WFUZZ = Path("/usr/share/wfuzz/wordlist/Injections")
START = dt.datetime(2026, 11, 2, 0, 0, 0, tzinfo=dt.timezone.utc)
SECONDS = 6 * 3600

BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.58",
]
BOTS = ["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"]
APP_AGENTS = ["ShopApp/4.2.1 (iPhone; iOS 17.1)", "okhttp/4.12.0", "python-requests/2.31.0", "curl/8.4.0"]
SEARCHES = ["blue shoes", "don't stop me now", "rock and roll", "select comfort mattress", "union jack flag", "o'reilly books",
            "50% off", "c++ primer", "\"exact phrase\"", "black or white", "1=1 puzzle", "tom & jerry", "drop earrings",
            "script writing course", "where to buy", "sleep mask", "table for two", "café crème", "delete account help",
            "user guide pdf", "order by price", "<3 mugs", "10 > 5 t-shirt", "ping pong paddle", "cat toys", "echo dot",
            "wget vs curl book", "etc passwd meme shirt", "{{name}} mug custom", "java ${version} sticker"]
CATEGORIES = ["shoes", "books", "garden", "kitchen", "toys", "music", "sports"]
PAGES = ["/", "/about", "/contact", "/cart", "/checkout", "/account", "/account/orders", "/help/shipping", "/blog",
         "/blog/2026/how-to-select-the-best-union-suit", "/blog/2026/drop-shipping-101", "/blog/2025/sleep-better",
         "/terms", "/privacy", "/gift-cards", "/stores/paris", "/stores/berlin"]


def clf(seconds: float) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%d/%b/%Y:%H:%M:%S +0000")


def iso(seconds: float) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def line(client: str, at: float, method: str, target: str, status: int, size: int, referer: str, agent: str) -> str:
    target = target.replace('"', "\\x22")
    return f'{client} - - [{clf(at)}] "{method} {target} HTTP/1.1" {status} {size} "{referer}" "{agent}"'


class Builder:
    def __init__(self, seed: int, benign_lines: int) -> None:
        self.rng = random.Random(seed)
        self.benign_lines = benign_lines
        self.events: list[tuple[float, str, dict]] = []  # (time, access line, label)
        self.app: list[tuple[float, str, dict]] = []
        self.sessions: list[dict] = []
        self.clients = [f"{self.rng.choice([31, 46, 62, 77, 81, 88, 90, 109, 151, 176, 185, 193, 212])}.{self.rng.randrange(256)}."
                        f"{self.rng.randrange(256)}.{self.rng.randrange(1, 255)}" for _ in range(4000)]

    # -- benign ---------------------------------------------------------------------------------------------

    def benign_request(self, at: float, client: str, agent: str, referer: str) -> None:
        r = self.rng.random()
        status, size, method = 200, self.rng.randrange(400, 60000), "GET"
        if r < 0.30:
            target = self.rng.choice(PAGES)
        elif r < 0.45:
            target = f"/static/{self.rng.choice(['js/app.3f9a1c.js', 'css/site.8b2e.css', 'img/logo.svg', 'fonts/inter.woff2'])}"
            status = 304 if self.rng.random() < 0.4 else 200
        elif r < 0.58:
            target = f"/products/{self.rng.choice(CATEGORIES)}-{self.rng.randrange(1, 900)}"
        elif r < 0.66:
            q = self.rng.choice(SEARCHES)
            target = f"/search?q={quote_plus(q) if self.rng.random() < 0.7 else quote(q)}&page={self.rng.randrange(1, 5)}"
        elif r < 0.74:
            target = f"/category/{self.rng.choice(CATEGORIES)}?sort={self.rng.choice(['price', 'name', 'newest'])}&order={self.rng.choice(['asc', 'desc'])}&page={self.rng.randrange(1, 9)}"
        elif r < 0.84:
            target = self.rng.choice([
                f"/api/v1/products?ids={','.join(str(self.rng.randrange(900)) for _ in range(3))}&fields=name,price",
                f"/api/v1/orders/{self.rng.randrange(10**6)}", "/api/v1/cart", f"/api/v1/stock?sku=SKU-{self.rng.randrange(10**5)}",
                f"/api/v1/search?filter={quote(json.dumps({'price': {'lt': self.rng.randrange(10, 200)}, 'tags': ['sale']}))}",
                f"/api/v1/products?filter[price][gte]={self.rng.randrange(50)}&filter[brand]=acme"])
            method = "POST" if target == "/api/v1/cart" and self.rng.random() < 0.5 else "GET"
        elif r < 0.88:
            target = self.rng.choice([
                f"/oauth/callback?code={self.rng.randrange(10**12):x}&state={self.rng.randrange(10**8):x}",
                f"/login?next={quote('/account/orders?page=2', safe='')}",
                f"/auth/redirect?redirect_uri={quote('https://app.example.com/cb?x=1', safe='')}",
                f"/track?utm_source=newsletter&utm_medium=email&utm_campaign=black+friday&ref={quote('https://mail.example.org/', safe='')}",
                "/robots.txt", "/sitemap.xml", "/favicon.ico", f"/img/products/{self.rng.randrange(900)}.jpg?w=400&h=300&fit=crop"])
        elif r < 0.92:
            target, status = self.rng.choice(["/favicon.ico", "/apple-touch-icon.png", "/apple-touch-icon-precomposed.png",
                                              f"/products/old-{self.rng.randrange(50)}", "/blog/2019/gone"]), 404
        else:
            target = f"/img/products/{self.rng.randrange(900)}.webp"
        if self.rng.random() < 0.004:
            status = self.rng.choice([500, 502, 503, 504])
        self.events.append((at, line(client, at, method, target, status, size, referer, agent), {}))

    def benign(self) -> None:
        produced = 0
        while produced < self.benign_lines:
            client = self.rng.choice(self.clients)
            agent = self.rng.choice(BROWSERS if self.rng.random() < 0.8 else BOTS + APP_AGENTS)
            at = self.rng.uniform(0, SECONDS)
            for _ in range(self.rng.randrange(1, 30)):
                referer = self.rng.choice(["-", "https://shop.example.com/", "https://www.google.com/", "https://shop.example.com/cart"])
                self.benign_request(at, client, agent, referer)
                at += self.rng.expovariate(0.3)
                produced += 1
            if self.rng.random() < 0.02:  # a page whose 25 thumbnails are missing: one browser, 25 distinct 404s
                for i in range(25):
                    self.events.append((at, line(client, at, "GET", f"/img/thumbs/{self.rng.randrange(10**5)}.jpg", 404, 0,
                                                 "https://shop.example.com/gallery", agent), {}))
                produced += 25
            if self.rng.random() < 0.05:  # someone mistypes a password, then gets it right
                for status in (401, 401, 302):
                    self.events.append((at, line(client, at, "POST", "/login", status, 120, "https://shop.example.com/login", agent), {}))
                    at += 4
                produced += 3
        for i in range(0, SECONDS, 10):  # the load balancer's health probe
            self.events.append((i, line("10.0.3.7", i, "GET", "/healthz", 200, 2, "-", "kube-probe/1.29"), {}))

    def benign_app(self) -> None:
        for _ in range(self.benign_lines // 10):
            at = self.rng.uniform(0, SECONDS)
            user = f"user{self.rng.randrange(5000)}"
            level, msg = self.rng.choice([("info", "order placed"), ("info", "login ok"), ("info", "cart updated"),
                                          ("warning", "slow query"), ("info", "payment authorised"), ("error", "payment gateway timeout")])
            self.app.append((at, json.dumps({"time": iso(at), "level": level, "msg": msg, "username": user,
                                             "client_ip": self.rng.choice(self.clients), "order": self.rng.randrange(10**6)}), {}))

    # -- attacks --------------------------------------------------------------------------------------------

    def payloads(self) -> list[tuple[str, str, str]]:
        out = []
        for name, family in (("SQL.txt", "log-sql-injection"), ("XSS.txt", "log-xss"), ("Traversal.txt", "log-path-traversal")):
            for payload in (WFUZZ / name).read_text("latin-1").splitlines():
                if payload.strip():
                    out.append((family, payload, f"wfuzz {name}"))
        for raw in (HERE / "extra_payloads.txt").read_text("utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                family, payload = raw.split("\t", 1)
                out.append((family, payload, "extra_payloads.txt"))
        return out

    def plant(self) -> None:
        attackers = [f"203.0.113.{i}" for i in range(1, 60)]
        for family, payload, origin in self.payloads():
            for encoding in ("plain", "encoded", "double"):
                at = self.rng.uniform(0, SECONDS)
                value = payload if encoding == "plain" else quote(payload, safe="") if encoding == "encoded" else quote(quote(payload, safe=""), safe="")
                value = value.replace(" ", "%20")
                if family == "log-path-traversal" and self.rng.random() < 0.5:
                    target = "/static/" + value.lstrip("/")
                else:
                    target = f"/{self.rng.choice(['search', 'products', 'download', 'api/v1/items'])}?{self.rng.choice(['q', 'id', 'file', 'name'])}={value}"
                label = {"kind": "payload", "family": family, "origin": origin, "encoding": encoding, "payload": payload}
                self.events.append((at, line(self.rng.choice(attackers), at, "GET", target, self.rng.choice([200, 400, 404, 500]),
                                             300, "-", self.rng.choice(BROWSERS)), label))

    def scanners(self) -> None:
        for index, log in enumerate(sorted((HERE / "scanners").glob("*.log"))):
            client = f"198.51.100.{10 + index}"
            lines = log.read_text("utf-8").splitlines()
            start = self.rng.uniform(0, SECONDS - 600)
            first = None
            for n, text in enumerate(lines):
                at = start + n * 0.2
                rest = text.split("] ", 1)[1]
                self.events.append((at, f"{client} - - [{clf(at)}] {rest}", {"kind": "session", "session": log.stem}))
                first = at if first is None else first
            self.sessions.append({"session": log.stem, "kind": "scanner", "client": client, "start": first})

    def brute_force(self) -> None:
        for i, (route, count) in enumerate((("/login", 60), ("/api/v1/auth/login", 40), ("/wp-login.php", 30))):
            client, at = f"192.0.2.{20 + i}", self.rng.uniform(0, SECONDS - 600)
            start = at
            for _ in range(count):
                self.events.append((at, line(client, at, "POST", route, 401, 60, "-", "python-requests/2.31.0"),
                                    {"kind": "session", "session": f"brute-force-{i}"}))
                at += self.rng.uniform(0.5, 3)
            self.sessions.append({"session": f"brute-force-{i}", "kind": "brute-force", "client": client, "start": start})
        client, at = "192.0.2.40", self.rng.uniform(0, SECONDS - 600)  # stuffing: one client, many usernames
        self.sessions.append({"session": "stuffing-one-client", "kind": "credential-stuffing", "client": client, "start": at})
        for n in range(30):
            self.app.append((at, json.dumps({"time": iso(at), "level": "warning", "msg": "login failed", "username": f"leaked{n}@mail.example",
                                             "client_ip": client}), {"kind": "session", "session": "stuffing-one-client"}))
            at += 2
        at = self.rng.uniform(0, SECONDS - 600)  # distributed: one username, many clients
        self.sessions.append({"session": "stuffing-distributed", "kind": "credential-stuffing", "client": "user ceo", "start": at})
        for n in range(12):
            self.app.append((at, json.dumps({"time": iso(at), "level": "warning", "msg": "login failed", "username": "ceo",
                                             "client_ip": f"192.0.2.{100 + n}"}), {"kind": "session", "session": "stuffing-distributed"}))
            at += 5

    def write(self) -> dict:
        OUT.mkdir(exist_ok=True)
        labels: dict = {"access.log": {}, "app.jsonl": {}, "sessions": self.sessions}
        for name, events in (("access.log", self.events), ("app.jsonl", self.app)):
            events.sort(key=lambda e: e[0])
            with (OUT / name).open("w", encoding="utf-8") as out:
                for number, (_, text, label) in enumerate(events, start=1):
                    out.write(text + "\n")
                    if label:
                        labels[name][number] = label
        (OUT / "labels.json").write_text(json.dumps(labels, indent=1, sort_keys=True))
        digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(OUT.iterdir()) if p.name != "MANIFEST"}
        (OUT / "MANIFEST").write_text("".join(f"{d}  {n}\n" for n, d in digests.items()))
        return digests


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    builder = Builder(seed=17, benign_lines=lines)
    builder.benign()
    builder.benign_app()
    builder.plant()
    builder.scanners()
    builder.brute_force()
    for name, digest in builder.write().items():
        print(digest, name)


if __name__ == "__main__":
    main()
