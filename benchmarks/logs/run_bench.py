"""The logs benchmark: Bastion and fail2ban's stock filters on the same labelled corpus, in the same run.

Measures, from corpus/labels.json:
- recall per payload family (a planted line counts when Bastion raised that family's signal on that line),
  overall and per encoding, with the misses listed;
- false alarms: benign lines with any payload or leak signal, and benign clients given a behaviour incident;
- sessions (scanners, brute force, stuffing): alerted or not, and time to first alert (log time from the
  session's first line to the line that opened the incident);
- speed: MB/s of the access log on one core (nice 10, the same for every tool), CPU seconds, peak RSS;
- fail2ban-regex with Debian's stock filters (nginx-botsearch, apache-badbots, apache-noscript,
  apache-shellshock, nginx-http-auth, nginx-bad-request) on the same access log, same priority.

Run: python build_corpus.py && nice -n 10 python run_bench.py > results.md
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
PAYLOAD_RULES = {"log-sql-injection", "log-xss", "log-path-traversal", "log-command-injection", "log-template-injection",
                 "log-ssrf", "log-jndi-lookup"}
SESSION_RULES = {"scanner": {"log-scanner", "log-probing", *PAYLOAD_RULES}, "brute-force": {"log-brute-force"},
                 "credential-stuffing": {"log-credential-stuffing"}}
STOCK_FILTERS = ["nginx-botsearch", "apache-badbots", "apache-noscript", "apache-shellshock", "nginx-bad-request", "apache-overflows"]


def run_bastion(paths: list[str]):
    from bastion.logs.run import Session, log_options
    from bastion.logs import sources

    signals = []
    opened = {}

    def on_signal(signal):
        signals.append(signal)

    session = Session(log_options.parse({}), on_signal=on_signal)
    session.on_incident = lambda incident: opened.setdefault((incident.rule, incident.client), len(signals) - 1)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for path in paths:
        session.read(sources.Source(path, Path(path)))
    report = session.report(".", time.monotonic(), None, [])
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return signals, opened, report, wall, cpu


def fail2ban(access_log: Path) -> dict:
    out = {}
    for name in STOCK_FILTERS:
        started = time.perf_counter()
        usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(["nice", "-n", "10", "fail2ban-regex", "--print-all-matched", "--print-no-missed", str(access_log),
                               f"/etc/fail2ban/filter.d/{name}.conf"], capture_output=True, text=True, timeout=3600)
        usage1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        matched = set()
        for text in done.stdout.splitlines():
            text = text.strip().lstrip("|").strip()
            if " - - [" in text:
                matched.add(text)
        out[name] = {"matched": matched, "wall": time.perf_counter() - started,
                     "cpu": (usage1.ru_utime + usage1.ru_stime) - (usage0.ru_utime + usage0.ru_stime)}
    return out


def main() -> None:
    from build_corpus import START

    labels = json.loads((CORPUS / "labels.json").read_text())
    access_labels = {int(k): v for k, v in labels["access.log"].items()}
    access_log, app_log = CORPUS / "access.log", CORPUS / "app.jsonl"
    size = access_log.stat().st_size

    # speed: the access log alone, then everything for accuracy
    _, _, speed_report, wall, cpu = run_bastion([str(access_log)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    signals, opened, report, _, _ = run_bastion([str(access_log), str(app_log)])

    by_line = defaultdict(set)
    for signal in signals:
        if signal.source == str(access_log):
            by_line[signal.line].add(signal.rule)
    lines_total = speed_report.details["lines_read"]

    print(f"# Logs benchmark\n\ncorpus: {lines_total} access-log lines ({size / 1e6:.1f} MB), "
          f"{sum(1 for _ in app_log.open())} application events; digests in corpus/MANIFEST\n")
    print(f"## Speed (one process, one core, nice 10)\n\nbastion logs: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"**{size / 1e6 / wall:.1f} MB/s** ({size / 1e6 / cpu:.1f} MB/s of CPU), peak RSS {peak:.0f} MB\n")

    # payload recall
    per_family = defaultdict(Counter)
    misses = defaultdict(list)
    for number, label in access_labels.items():
        if label["kind"] != "payload":
            continue
        family = label["family"]
        hit = family in by_line.get(number, set())
        per_family[family]["total"] += 1
        per_family[family]["hit"] += hit
        per_family[(family, label["encoding"])]["total"] += 1
        per_family[(family, label["encoding"])]["hit"] += hit
        if not hit and label["encoding"] == "plain":
            misses[family].append(label["payload"])
    print("## Recall on planted payloads (each payload plain, URL-encoded, and URL-encoded twice)\n")
    print("| family | recall | plain | encoded | double-encoded |\n| --- | --- | --- | --- | --- |")
    total_hit = total = 0
    for family in sorted(PAYLOAD_RULES):
        c = per_family[family]
        total_hit, total = total_hit + c["hit"], total + c["total"]
        cells = [f"{per_family[(family, e)]['hit']}/{per_family[(family, e)]['total']}" for e in ("plain", "encoded", "double")]
        print(f"| {family} | {c['hit'] / max(c['total'], 1):.1%} ({c['hit']}/{c['total']}) | " + " | ".join(cells) + " |")
    print(f"| **all** | **{total_hit / total:.1%}** ({total_hit}/{total}) | | | |\n")
    for family, items in sorted(misses.items()):
        print(f"- missed {family} ({len(items)} payloads, plain form): " + ", ".join(f"`{p}`" for p in items[:12]))

    # false alarms on benign lines
    benign = [n for n in range(1, lines_total + 1) if n not in access_labels]
    false_lines = [n for n in benign if by_line.get(n, set()) & (PAYLOAD_RULES | {"log-token-in-url", "log-personal-data", "log-secret"})]
    print(f"\n## False alarms on benign lines\n\n{len(false_lines)} of {len(benign)} benign lines "
          f"(**{len(false_lines) / len(benign):.3%}**) raised a payload or leak signal")
    lines = access_log.read_text("utf-8").splitlines()
    for n in false_lines[:10]:
        print(f"- line {n} {sorted(by_line[n])}: `{lines[n - 1][:160]}`")

    # sessions
    session_clients = {s["client"]: s for s in labels["sessions"]}
    print("\n## Sessions (scanners against our app, brute force, stuffing)\n\n| session | kind | alerted by | time to first alert |\n| --- | --- | --- | --- |")
    for s in labels["sessions"]:
        hits = [(index, rule) for (rule, client), index in opened.items() if client == s["client"] and rule in SESSION_RULES[s["kind"]]]
        if not hits:
            print(f"| {s['session']} | {s['kind']} | **not alerted** | |")
            continue
        index, rule = min(hits)
        first_time = signals[index].time
        delay = f"{max(0.0, first_time - (int(s['start']) + START.timestamp())):.0f} s" if first_time is not None else "?"
        print(f"| {s['session']} | {s['kind']} | {', '.join(sorted({r for _, r in hits}))} | {delay} |")
    attacker_prefixes = ("203.0.113.", "198.51.100.", "192.0.2.")
    behaviour = [(f.rule_id, f.incident.client) for f in report.findings
                 if f.rule_id in {"log-probing", "log-brute-force", "log-credential-stuffing", "log-scanner", "log-rate-limited"}
                 and not f.incident.client.startswith(attacker_prefixes) and f.incident.client not in session_clients]
    print(f"\nBehaviour incidents on benign clients: {len(behaviour)}" + (": " + ", ".join(f"{r} {c}" for r, c in behaviour[:10]) if behaviour else ""))

    # fail2ban on the same file
    print("\n## fail2ban stock filters on the same access log (fail2ban-regex, nice 10)\n")
    results = fail2ban(access_log)
    by_text = {text: n for n, text in enumerate(lines, 1)}
    print("| filter | wall s | CPU s | lines matched | planted payload lines | scanner/brute-force session lines | benign lines |\n| --- | --- | --- | --- | --- | --- | --- |")
    union = set()
    for name, r in results.items():
        numbers = {by_text[t] for t in r["matched"] if t in by_text}
        union |= numbers
        payload = sum(1 for n in numbers if access_labels.get(n, {}).get("kind") == "payload")
        session = sum(1 for n in numbers if access_labels.get(n, {}).get("kind") == "session")
        print(f"| {name} | {r['wall']:.1f} | {r['cpu']:.1f} | {len(numbers)} | {payload} | {session} | {len(numbers) - payload - session} |")
    payload_total = sum(1 for v in access_labels.values() if v["kind"] == "payload")
    print(f"\nAll stock filters together: {sum(1 for n in union if access_labels.get(n, {}).get('kind') == 'payload')}"
          f"/{payload_total} planted payload lines; benign lines matched: {sum(1 for n in union if n not in access_labels)}")
    f2b_wall = sum(r["wall"] for r in results.values())
    print(f"fail2ban total {f2b_wall:.1f} s wall for {len(results)} filters = {size / 1e6 / f2b_wall:.1f} MB/s; "
          f"Bastion (all signals in one pass) {size / 1e6 / wall:.1f} MB/s: {f2b_wall / wall:.1f}x faster")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    main()
