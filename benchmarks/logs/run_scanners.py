"""Real scanners against our own target app: sqlmap (default and random user agent) and wfuzz (wordlist).

Writes ``scanners/<tool>.log`` (combined format, as the app logged it). The runs are
recorded once and frozen with the corpus (their digests are in ``corpus/MANIFEST``):
the same scanners on another day send slightly different requests.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "scanners"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RUNS = {
    "sqlmap-default": lambda url: ["sqlmap", "-u", f"{url}/item?id=1", "--batch", "--level=2", "--risk=1", "--threads=1",
                                   "--time-sec=1", "--technique=BEUS", "--flush-session", "--output-dir=/tmp/bench-sqlmap"],
    "sqlmap-random-agent": lambda url: ["sqlmap", "-u", f"{url}/search?q=shoes", "--batch", "--random-agent", "--level=3",
                                       "--threads=1", "--time-sec=1", "--technique=BEU", "--flush-session",
                                       "--output-dir=/tmp/bench-sqlmap"],
    "wfuzz-wordlist": lambda url: ["wfuzz", "-w", "/usr/share/wfuzz/wordlist/general/common.txt", "--hc", "404", "-t", "4",
                                   f"{url}/FUZZ"],
    "wfuzz-browser-agent": lambda url: ["wfuzz", "-w", "/usr/share/wfuzz/wordlist/vulns/dirTraversal-nix.txt", "-t", "4",
                                        "-H", "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/121.0",
                                        f"{url}/download?file=FUZZ"],
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, command in RUNS.items():
        log = OUT / f"{name}.log"
        log.unlink(missing_ok=True)
        port = free_port()
        server = subprocess.Popen([sys.executable, str(HERE / "target_app.py"), str(port), str(log)])
        time.sleep(1)
        try:
            subprocess.run(command(f"http://127.0.0.1:{port}"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=240)
        except subprocess.TimeoutExpired:
            pass
        finally:
            server.terminate()
            server.wait()
        print(name, sum(1 for _ in log.open()), "requests")


if __name__ == "__main__":
    main()
