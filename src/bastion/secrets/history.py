"""Secrets in git history: every blob reachable from any ref, scanned once.

Git runs as a plain reader of objects: only plumbing-level output (``log
--raw``, ``cat-file``), through :mod:`bastion.host.git`, so nothing the scanned
repository configures gets executed and lazy fetching of a partial clone is
off. A folder that is no repository, or a history git cannot read, is a
:class:`HistoryError`; objects missing from the repository (a partial or
damaged clone) are skipped and counted. Works on bare and
shallow clones (a shallow boundary commit counts as the first appearance).

On four CPUs or more, large histories are scanned by this process and
forked worker processes: the one ``cat-file --batch`` streams the blobs
(oldest first appearance first, so that git's delta cache serves
neighbours), this process groups them into batches of about a megabyte and
keeps only a few batches per worker in flight, scanning the others itself,
so memory stays bounded whatever the history's size. Results are merged in
stream order: the first appearance of every secret is the same as in a scan
in one process. (One ``cat-file`` per worker would cost git twice the CPU:
each must rebuild the delta chains the others already had.)
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing import get_context
from typing import Any, Callable, Iterator

from bastion.host import git
from bastion.core.engine_api import usable_cpus
from bastion.core.model import Finding, Note
from bastion.core.redaction import fingerprint_key
from bastion.secrets import options as secret_options
from bastion.secrets.engine import is_binary, scan_file

_NULL_SHA = "0" * 40
_SKIPPED_MODES = ("160000", "120000")  # submodule commits, symlinks
_BATCH_BYTES = 1 << 20  # a worker's task: worth a round trip, small enough to keep memory bounded
_BATCH_BLOBS = 256
_IN_FLIGHT_PER_WORKER = 3
_PARALLEL_MIN_BYTES = 16 << 20  # below this, forking workers costs more than it saves
_MIN_CPUS = 4


class HistoryError(RuntimeError):
    """The history could not be read (no repository, git refused or failed); the message is for the user."""


@dataclass(frozen=True)
class Origin:
    """Where a blob first appeared: the commit, its author and date, and the path."""

    commit: str
    author: str
    email: str
    date: str
    path: str


def _run(repo: str, *args: str) -> bytes:
    try:
        return git.run(repo, *args)
    except git.GitError as exc:
        raise HistoryError(str(exc)) from None


def _parse_log_chunk(chunk: bytes, origins: dict[str, Origin], order: list[str]) -> int:
    """One commit of ``log --raw -z``: header, then (':meta', path) pairs. Malformed parts are skipped.

    Returns 1 for a commit read, 0 for a chunk that was not one."""
    header, _, rest = chunk.partition(b"\0")
    fields = header.decode("utf-8", "replace").split("\x1f")
    if len(fields) != 4:
        return 0
    commit, author, email, date = fields
    tokens = rest.split(b"\0")
    i = 0
    while i + 1 < len(tokens):
        meta = tokens[i].strip()
        if not meta.startswith(b":"):
            i += 1
            continue
        path = tokens[i + 1].decode("utf-8", "surrogateescape")
        i += 2
        parts = meta[1:].decode("ascii", "replace").split()
        if len(parts) < 5:
            continue
        new_mode, new_sha = parts[1], parts[3]
        if new_sha == _NULL_SHA or new_mode in _SKIPPED_MODES or new_sha in origins:
            continue
        origins[new_sha] = Origin(commit, author, email, date, path)
        order.append(new_sha)
    return 1


def blob_origins(repo: str) -> tuple[dict[str, Origin], list[str], int]:
    """Every blob reachable from any ref, with where it first appeared (oldest commit first), in that order,
    and how many commits were read."""
    try:
        proc = git.popen(repo, "log", "--all", "--reverse", "--topo-order", "--no-renames", "--raw", "--no-abbrev",
                         "--diff-merges=first-parent", "-z", "--format=%x01%H%x1f%an%x1f%ae%x1f%aI")
    except git.GitError as exc:
        raise HistoryError(str(exc)) from None
    origins: dict[str, Origin] = {}
    order: list[str] = []
    commits = 0
    buffer = b""
    assert proc.stdout is not None and proc.stderr is not None
    err_chunks: list[bytes] = []
    err_thread = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    err_thread.start()
    for block in iter(lambda: proc.stdout.read(1 << 20), b""):
        buffer += block
        *complete, buffer = buffer.split(b"\x01")
        for chunk in complete:
            if chunk:
                commits += _parse_log_chunk(chunk, origins, order)
    if buffer:
        commits += _parse_log_chunk(buffer, origins, order)
    code = proc.wait()
    err_thread.join()
    if code != 0:
        stderr = b"".join(err_chunks)
        if b"does not have any commits" in stderr or b"bad default revision" in stderr:
            return {}, [], 0
        raise HistoryError(f"git cannot read the history: {git.describe_failure(stderr, ['log'])}")
    return origins, order, commits


def _cat_file(repo: str, mode: str, shas: list[str]) -> subprocess.Popen:
    try:
        proc = git.popen(repo, "cat-file", mode, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except git.GitError as exc:
        raise HistoryError(str(exc)) from None

    def feed() -> None:
        try:
            assert proc.stdin is not None
            for sha in shas:
                proc.stdin.write(sha.encode() + b"\n")
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    threading.Thread(target=feed, daemon=True).start()
    return proc


def blob_sizes(repo: str, shas: list[str]) -> dict[str, int]:
    proc = _cat_file(repo, "--batch-check=%(objectname) %(objecttype) %(objectsize)", shas)
    sizes = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if len(parts) == 3 and parts[1] == b"blob":
            sizes[parts[0].decode()] = int(parts[2])
    proc.wait()
    return sizes


def blob_contents(repo: str, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """(sha, content) for each requested blob, streamed through one ``cat-file --batch``."""
    proc = _cat_file(repo, "--batch", shas)
    out = proc.stdout
    assert out is not None
    try:
        for _ in shas:
            header = out.readline().split()
            if len(header) != 3:
                continue  # "<sha> missing": an object absent from a partial clone
            size = int(header[2])
            data = out.read(size)
            out.read(1)
            yield header[0].decode(), data
    finally:
        out.close()
        proc.wait()


def head_blobs(repo: str) -> set[str]:
    try:
        listing = _run(repo, "ls-tree", "-r", "-z", "HEAD")
    except HistoryError:
        return set()
    blobs = set()
    for entry in listing.split(b"\0"):
        meta, _, _ = entry.partition(b"\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == b"blob":
            blobs.add(parts[2].decode())
    return blobs


def _attribute(finding: Finding, origin: Origin, in_head: bool, occurrences: int) -> Finding:
    where = f"first committed in {origin.commit[:12]} by {origin.author} on {origin.date[:10]}"
    state = "still in HEAD" if in_head else "no longer in HEAD but still in history"
    props = dict(finding.properties)
    props.update(commit=origin.commit, author=origin.author, email=origin.email, date=origin.date,
                 in_head=in_head, blobs=occurrences, history=True)
    return replace(finding, message=f"{finding.message} In git history: {where}; {state}.", properties=props)


_Step = tuple[int, list[tuple[str, list[Finding]]]]  # (blobs scanned, the blobs among them with findings)
# A batch in flight: its shas, its (path, content) pairs while a worker has it, and its future or its findings.
_Pending = tuple[list[str], list[tuple[str, bytes]], "Future | list[list[Finding]]"]


def _scan_stream(repo: str, blobs: list[tuple[str, str]], opts: secret_options.SecretsOptions) -> Iterator[_Step]:
    """One step per blob of ``blobs`` ((sha, path) pairs), in order, read through one ``cat-file``."""
    paths = dict(blobs)
    for sha, data in blob_contents(repo, list(paths)):
        yield 1, [(sha, [] if is_binary(data) else scan_file(data, paths[sha], opts))]


def _scan_batch(items: list[tuple[str, bytes]], opts: secret_options.SecretsOptions) -> list[list[Finding]]:
    """A worker's task: the findings of each (path, content) of a batch, in order; binary content has none."""
    return [[] if is_binary(data) else scan_file(data, path, opts) for path, data in items]


def _batches(blobs: Iterator[tuple[str, bytes]], paths: dict[str, str]) -> Iterator[tuple[list[str], list[tuple[str, bytes]]]]:
    """Consecutive blobs of the stream, grouped: (their shas, their (path, content) pairs)."""
    shas: list[str] = []
    items: list[tuple[str, bytes]] = []
    size = 0
    for sha, data in blobs:
        shas.append(sha)
        items.append((paths[sha], data))
        size += len(data)
        if size >= _BATCH_BYTES or len(items) >= _BATCH_BLOBS:
            yield shas, items
            shas, items, size = [], [], 0
    if items:
        yield shas, items


def _scan_in_pool(repo: str, blobs: list[tuple[str, str]], opts: secret_options.SecretsOptions, jobs: int) -> Iterator[_Step]:
    """One step per batch, in stream order, the batches scanned by this process and ``jobs - 1`` forked workers.

    A batch goes to the workers while fewer than a few per worker wait to be
    merged with their contents, else this process scans it: the work balances itself whatever
    else the machine runs, and only the workers' share of the bytes pays for
    the trip. The workers are forked before ``cat-file`` starts, so that none
    of them holds an end of its pipes (it would wait for input forever). A
    batch whose worker died (the pool is then broken) is scanned here.
    """
    scan_file(b"", "warm-up.txt", opts)  # compiled once here, inherited by every worker
    paths = dict(blobs)
    limit = (jobs - 1) * _IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=get_context("fork")) as pool:
        pool.submit(os.getpid).result()  # a fork pool starts all its workers with its first task
        pending: deque[_Pending] = deque()
        for shas, items in _batches(blob_contents(repo, list(paths)), paths):
            with_workers = sum(1 for _, _, result in pending if isinstance(result, Future))  # contents held
            future = _submit(pool, items, opts) if with_workers < limit else None
            pending.append((shas, items, future) if future is not None else (shas, [], _scan_batch(items, opts)))
            while pending and not (isinstance(pending[0][2], Future) and not pending[0][2].done()):
                yield _collect(*pending.popleft(), opts)
        while pending:
            yield _collect(*pending.popleft(), opts)


def _submit(pool: ProcessPoolExecutor, items: list[tuple[str, bytes]], opts: secret_options.SecretsOptions) -> Future | None:
    try:
        return pool.submit(_scan_batch, items, opts)
    except BrokenProcessPool:
        return None


def _collect(shas: list[str], items: list[tuple[str, bytes]], result: Future | list[list[Finding]],
             opts: secret_options.SecretsOptions) -> _Step:
    """A batch's step: its result, waited for if a worker has it, scanned here if that worker died."""
    if isinstance(result, Future):
        try:
            result = result.result()
        except BrokenProcessPool:
            result = _scan_batch(items, opts)
    return len(shas), [(sha, found) for sha, found in zip(shas, result) if found]


def _jobs(requested: int | None, total_bytes: int) -> int:
    """Processes for a history: ``requested``, else every CPU for a large history on a machine of four or more.

    On two CPUs one process already keeps about one and a half busy (git
    decompresses while Python matches): workers would gain at most a fifth
    there when the machine is idle, and lose a tenth when it is shared.
    """
    if requested is not None:
        return max(1, requested)
    cpus = usable_cpus()
    return cpus if cpus >= _MIN_CPUS and total_bytes >= _PARALLEL_MIN_BYTES else 1


def scan_history(repo_path: str, options: dict[str, Any] | None, progress: Callable[[int, int], None] | None = None,
                 jobs: int | None = None) -> list[Finding | Note]:
    """Scan every reachable blob once; one finding per distinct secret, at its first appearance.

    Raises :class:`HistoryError` if ``repo_path`` is no git repository or git cannot read its history.
    The last note says how many commits and blobs were read.

    ``jobs`` is how many processes scan (this one and ``jobs - 1`` workers);
    by default a history of more than a few megabytes uses every CPU of a
    machine of four or more, and any other is scanned in this process.
    """
    opts = secret_options.parse(options)
    fingerprint_key()  # read before any worker forks, so that all share it
    repo = os.fspath(repo_path)
    try:
        _run(repo, "rev-parse", "--git-dir")
    except HistoryError as exc:
        raise HistoryError(f"{repo} is not a git repository ({exc})") from None
    notes: list[Finding | Note] = []
    if _run(repo, "rev-parse", "--is-shallow-repository").strip() == b"true":
        notes.append(Note("warning", "shallow clone: commits before the shallow boundary were not scanned", repo, "shallow"))
    origins, order, commits = blob_origins(repo)
    sizes = blob_sizes(repo, order)
    small = []
    missing = 0
    for sha in order:
        size = sizes.get(sha)
        if size is None:
            missing += 1
        elif size > opts.history_max_blob_size:
            notes.append(Note("skipped", f"blob {sha[:12]} ({size} bytes) is larger than history_max_blob_size", origins[sha].path, "too-large"))
        else:
            small.append(sha)
    if missing:
        notes.append(Note("warning", f"{missing} blob(s) of the history are missing from the repository (a partial "
                                     "or damaged clone) and were not scanned", repo, "missing-objects"))
    in_head_blobs = head_blobs(repo)
    first: dict[tuple[str, str], tuple[Finding, Origin]] = {}
    seen_in: dict[tuple[str, str], int] = {}
    head_keys: set[tuple[str, str]] = set()
    total = len(small)
    blobs = [(sha, origins[sha].path) for sha in small]
    workers = _jobs(jobs, sum(sizes[sha] for sha in small))
    steps = _scan_in_pool(repo, blobs, opts, workers) if workers > 1 else _scan_stream(repo, blobs, opts)
    done = 0
    for count, scanned in steps:
        for sha, found in scanned:
            for finding in found:
                key = (finding.rule_id, finding.fingerprint_key or "")
                seen_in[key] = seen_in.get(key, 0) + 1
                first.setdefault(key, (finding, origins[sha]))
                if sha in in_head_blobs:
                    head_keys.add(key)
        done += count
        if progress is not None:
            progress(done, total)
    results: list[Finding | Note] = [
        _attribute(finding, origin, key in head_keys, seen_in[key]) for key, (finding, origin) in first.items()
    ]
    notes.append(Note("info", f"git history: read {commits} commit(s) and {done} blob(s)", repo, "history"))
    return results + notes
