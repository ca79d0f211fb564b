"""The public API. The CLI, the MCP server and the tests all scan through :func:`scan`."""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Iterable

import pathspec

from bastion import __version__

from bastion.core import redaction

from bastion.host import state
from bastion.pipeline.cache import ResultCache
from bastion.core.config import Config, ConfigError, find_config_file, load_config
from bastion.core.engine_api import CannotCheck
from bastion.core.engines import all_engine_names, load_engine
from bastion.pipeline.filters import apply_suppressions, changed_lines, in_diff, load_baseline, passes_thresholds
from bastion.core.model import Confidence, Finding, Location, Note, Rule, Severity
from bastion.pipeline.noise import apply_noise_policy, merge_nested_sinks, vendored_note
from bastion.core.result import Report, ScanStats
from bastion.core.rules import CORE_RULES, ruleset_digest
from bastion.pipeline.runner import RunLimits, run_scan
from bastion.pipeline.workspace import Discovery, discover, walk


class ScanError(ValueError):
    """The scan could not start: a missing path, a bad option. The message says which."""


def resolve_config(root: Path, config: Config | None = None, config_file: str | Path | None = None) -> Config:
    """The config given, else the file given, else the nearest bastion.toml / [tool.bastion]."""
    if config is not None:
        return config
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        return load_config(path)
    return load_config(find_config_file(root))


def scan(
    paths: str | Path | Iterable[str | Path] = ".",
    *,
    config: Config | None = None,
    config_file: str | Path | None = None,
    engines: list[str] | None = None,
    rules: list[str] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    baseline: str | Path | None = None,
    diff: str | None = None,
    min_severity: str | Severity | None = None,
    min_confidence: str | Confidence | None = None,
    fail_on: str | Severity | None = "config",
    stdin_filename: str | None = None,
    stdin_text: str | bytes | None = None,
    engine_options: dict[str, dict[str, Any]] | None = None,
    history: bool = False,
    progress: Callable[[int, int], None] | None = None,
    strict: bool | None = None,
) -> Report:
    """Scan files or a folder and return the filtered, sorted :class:`Report`.

    ``paths`` is a folder, a file, or several files (as pre-commit passes
    them). With ``stdin_text`` the buffer is scanned as if it were the file
    ``stdin_filename`` (for editors and assistants). Options left as None come
    from the configuration file found at or above the scanned path.
    """
    started = time.monotonic()
    root, explicit = _resolve_paths(paths, stdin_filename, stdin_text)
    cfg = _effective_config(resolve_config(root, config, config_file), engines, rules, jobs, min_severity,
                            min_confidence, fail_on, engine_options)
    names = _engine_names(cfg)
    loaded = [load_engine(n) for n in names]

    stdin = None
    skipped: dict[str, int] = {}
    found: Discovery | None = None
    relpaths: Iterable[str]
    if stdin_text is not None:
        data = stdin_text.encode("utf-8", "surrogateescape") if isinstance(stdin_text, str) else stdin_text
        stdin = (Path(stdin_filename or "stdin").as_posix().lstrip("/"), data)
        relpaths = []
    elif explicit is not None:
        relpaths = [p for p in explicit if not _excluded(cfg, [p])]
        skipped["excluded"] = len(explicit) - len(relpaths)
    else:
        found = Discovery(root)
        relpaths = walk(found, excludes=cfg.exclude, include_vendored=cfg.scan_vendored,
                        vendored=cfg.vendored)  # files reach workers while the walk goes on

    cache = None
    cache_notes: list[Note] = []
    if use_cache and stdin is None:
        cache = _open_cache(cfg, root, cache_notes)
    limits = RunLimits(jobs=cfg.jobs, file_timeout=cfg.file_timeout, file_memory_mb=cfg.file_memory_mb,
                       max_file_size=cfg.max_file_size, skip_vendored=not cfg.scan_vendored)
    options, models_digest = _with_taint_models(cfg, root)
    try:
        fingerprints = redaction.key_id()  # read once here: workers inherit it, and a cache made under another key is not reused
    except redaction.FingerprintKeyError as exc:
        raise ScanError(str(exc)) from None
    try:
        out = run_scan(root, relpaths, names, loaded, options, limits, cache,
                       f"{cfg.digest()}:{ruleset_digest(loaded)}:{models_digest}:{fingerprints}", progress=progress, stdin=stdin,
                       workspace_settings={"history": history})
    except CannotCheck as exc:
        raise ScanError(str(exc)) from None
    finally:
        if cache:
            cache.close()
    out.notes.extend(cache_notes)
    if reason := redaction.ephemeral_key_reason():
        out.notes.append(Note("warning", reason, reason="fingerprints"))
    out.notes.extend(Note("warning", message, cfg.source, "config") for message in cfg.warnings)
    if found is not None:
        skipped.update(found.skipped)
    for reason, count in out.skipped.items():
        skipped[reason] = skipped.get(reason, 0) + count
    if history:
        _scan_history(root, cfg, out.findings, out.notes, progress)

    findings = _apply_rule_config(deduplicate(out.findings), cfg)
    findings = apply_noise_policy(findings, tuple(cfg.test_paths) if cfg.test_paths is not None else None,
                                  cfg.test_max_severity)
    vendored = vendored_note(skipped.get("vendored", 0),
                             (found.skipped_examples.get("vendored", []) if found is not None else [])
                             + out.skipped_examples.get("vendored", []))
    if vendored is not None:
        out.notes.append(vendored)
    findings = assign_fingerprints(findings)
    outcome = apply_suppressions(findings, out.suppressions, cfg.require_suppression_reason)
    findings = outcome.kept
    if cfg.report_unused_suppressions:
        findings.extend(_suppression_findings("unused-suppression", outcome.unused, "silences no finding"))
    findings.extend(_suppression_findings("suppression-without-reason", outcome.missing_reason, "has no reason"))

    report = Report(root=str(root), findings=[], rules={}, notes=sorted(out.notes, key=_note_key),
                    suppressed=len(outcome.suppressed), fail_on=cfg.fail_on, tool_version=__version__,
                    strict=cfg.strict if strict is None else strict)
    shown = []
    for finding in findings:
        if not passes_thresholds(finding, cfg.min_severity, cfg.min_confidence):
            report.below_threshold += 1
        else:
            shown.append(finding)
    if baseline is not None:
        try:
            known = load_baseline(Path(baseline))
        except ValueError as exc:
            raise ScanError(str(exc)) from None
        before = len(shown)
        shown = [f for f in shown if f.fingerprint not in known]
        report.baselined = before - len(shown)
    if diff is not None:
        from bastion.pipeline.filters import DiffError

        try:
            changes = changed_lines(root, diff)
        except DiffError as exc:
            raise ScanError(f"--diff {diff}: {exc}") from None
        before = len(shown)
        shown = [f for f in shown if in_diff(f, changes)]
        report.outside_diff = before - len(shown)
    report.findings = sorted(merge_nested_sinks(shown), key=Finding.sort_key)
    report.rules, report.rule_variants = _rules_for(report.findings, loaded)
    report.stats = ScanStats(files_scanned=out.files_scanned, lines_scanned=out.lines_scanned,
                             files_from_cache=out.files_from_cache, engines=names,
                             duration_seconds=time.monotonic() - started)
    report.stats.skipped.update({k: v for k, v in skipped.items() if v})
    return report


def _open_cache(cfg: Config, root: Path, notes: list[Note]) -> ResultCache | None:
    """The result cache for ``root`` in the user's cache folder (or the API caller's ``cache_dir``), its
    entries keyed by the user's HMAC key; None, with a note saying why, if that place is unsafe."""
    try:
        if cfg.cache_dir:
            if state.inside(Path(cfg.cache_dir), root):
                raise state.StateError(f"{cfg.cache_dir} is inside the scanned tree")
            directory = state.private_dir(Path(cfg.cache_dir))
        else:
            directory = state.result_cache_dir(root)
        return ResultCache(directory, state.secret_key("cache-hmac"))
    except state.StateError as exc:
        notes.append(Note("warning", f"result cache off: {exc}", reason="cache"))
        return None


def _resolve_paths(paths: Any, stdin_filename: str | None, stdin_text: Any) -> tuple[Path, list[str] | None]:
    """The scan root and, when files were named one by one, their paths relative to it."""
    if stdin_text is not None:
        return Path.cwd().resolve(), None
    items = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    if not items:
        raise ScanError("no paths to scan")
    for item in items:
        if not item.exists() and not item.is_symlink():
            raise ScanError(f"path does not exist: {item}")
    if len(items) == 1 and items[0].is_dir():
        return items[0].resolve(), None
    cwd = Path.cwd().resolve()
    absolute = [Path(os.path.abspath(p)) for p in items]
    root = cwd if all(p.is_relative_to(cwd) for p in absolute) else Path(os.path.commonpath(absolute))
    if root.is_file():
        root = root.parent
    relpaths = []
    for path in absolute:
        if path.is_dir():
            prefix = path.relative_to(root).as_posix()
            relpaths.extend(f if prefix == "." else f"{prefix}/{f}" for f in discover(path).files)
        else:
            relpaths.append(path.relative_to(root).as_posix())
    return root, relpaths


def _effective_config(cfg: Config, engines: list[str] | None, rules: list[str] | None, jobs: int | None,
                      min_severity: Any, min_confidence: Any, fail_on: Any,
                      engine_options: dict[str, dict[str, Any]] | None) -> Config:
    updates: dict[str, Any] = {}
    if engines is not None:
        unknown = [e for e in engines if e not in all_engine_names()]
        if unknown:
            raise ConfigError(f"unknown engine(s): {', '.join(unknown)} (known: {', '.join(all_engine_names())})")
        updates["engines"] = engines
    if rules is not None:
        updates["enable_rules"] = rules
    if jobs is not None:
        updates["jobs"] = jobs
    try:
        if min_severity is not None:
            updates["min_severity"] = Severity.parse(str(getattr(min_severity, "value", min_severity)))
        if min_confidence is not None:
            updates["min_confidence"] = Confidence.parse(str(getattr(min_confidence, "value", min_confidence)))
        if fail_on != "config":
            value = getattr(fail_on, "value", fail_on)
            updates["fail_on"] = None if value in (None, "never") else Severity.parse(str(value))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if engine_options:
        merged = {k: dict(v) for k, v in cfg.engine_options.items()}
        for name, options in engine_options.items():
            merged.setdefault(name, {}).update(options)
        updates["engine_options"] = merged
    return replace(cfg, **updates) if updates else cfg


#: Engines whose ``models`` option takes folders of taint models (sources, sinks, sanitizers as data).
TAINT_ENGINES = ("python", "javascript")


def _with_taint_models(cfg: Config, root: Path) -> tuple[dict[str, dict[str, Any]], str]:
    """Engine options with the ``[tool.bastion] taint-models`` folders added to each taint engine's ``models``.

    A taint-models folder holds one subfolder per language (``python/``, ``javascript/``) of TOML
    models in the schema of ``sast/models``. The digest of the files keys the cache, so editing a
    model invalidates the results it shaped.
    """
    options = {name: dict(values) for name, values in cfg.engine_options.items()}
    if not cfg.taint_models:
        return options, ""
    base = Path(cfg.source).parent if cfg.source else root
    folders = [(base / folder).resolve() for folder in cfg.taint_models]
    digest = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            raise ConfigError(f"'taint-models': {folder} is not a folder")
        for engine in TAINT_ENGINES:
            if (folder / engine).is_dir():
                options.setdefault(engine, {})
                options[engine]["models"] = [*options[engine].get("models", []), str(folder / engine)]
        for path in sorted(folder.rglob("*.toml")):
            digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return options, digest.hexdigest()[:16]


def _engine_names(cfg: Config) -> list[str]:
    names = cfg.engines if cfg.engines is not None else all_engine_names()
    return [n for n in names if n not in cfg.disable_engines]


def _excluded(cfg: Config, relpaths: list[str]) -> bool:
    if not cfg.exclude:
        return False
    spec = pathspec.PathSpec.from_lines("gitignore", cfg.exclude)
    return any(spec.match_file(p) for p in relpaths)


def _scan_history(root: Path, cfg: Config, findings: list[Finding], notes: list[Note],
                  progress: Callable[[int, int], None] | None) -> None:
    try:
        from bastion.secrets import scan_history
    except ImportError:
        notes.append(Note("warning", "history scanning needs the secrets engine, which is not installed"))
        return
    from bastion.secrets.history import HistoryError

    try:
        items = scan_history(str(root), cfg.engine_options.get("secrets", {}), progress, cfg.jobs or None)
    except HistoryError as exc:
        raise ScanError(f"--history: {exc}") from None
    for item in items:
        (notes if isinstance(item, Note) else findings).append(item)


def _apply_rule_config(findings: list[Finding], cfg: Config) -> list[Finding]:
    kept = []
    for finding in findings:
        if cfg.enable_rules is not None and finding.rule_id not in cfg.enable_rules:
            continue
        if finding.rule_id in cfg.disable_rules:
            continue
        override = cfg.severity_overrides.get(finding.rule_id)
        kept.append(replace(finding, severity=override) if override else finding)
    return kept


def deduplicate(findings: list[Finding]) -> list[Finding]:
    """One engine's word per rule and place: when two engines report the same rule on the same line
    (a settings module is both Python code and configuration), keep the findings of the engine whose
    most severe, most confident finding there ranks first. Findings of one engine are all kept: one
    package can have several advisories on its lockfile line."""
    groups: dict[tuple[str, str, int], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule_id, finding.location.path, finding.location.line), []).append(finding)
    kept: list[Finding] = []
    for group in groups.values():
        engines = {f.engine for f in group}
        if len(engines) > 1:
            best = max(group, key=lambda f: (f.severity.rank, f.confidence.rank, f.engine))
            group = [f for f in group if f.engine == best.engine]
        kept.extend(group)
    return kept


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Give every finding its fingerprint; repeats of the same rule, file and code are numbered in file order."""
    seen: dict[tuple[str, str, str], int] = {}
    result = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = (finding.rule_id, finding.location.path, finding.fingerprint_key or " ".join(finding.snippet.split()))
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        result.append(finding.with_fingerprint(occurrence))
    return result


def _suppression_findings(rule_id: str, items: list, problem: str) -> list[Finding]:
    rule = next(r for r in CORE_RULES if r.id == rule_id)
    made = []
    for path, suppression in items:
        names = ", ".join(suppression.rules) if suppression.rules else "all rules"
        made.append(rule.finding(f"suppression of {names} {problem}", Location(path, suppression.line),
                                 snippet=f"bastion: ignore[{names}]", language=None))
    return assign_fingerprints(made)


def _rules_for(findings: list[Finding], engines: list[Any]) -> tuple[dict[str, Rule], dict[tuple[str, str], Rule]]:
    """The documentation of every rule that has a finding, from the scan's own engines (and the core): by rule
    id (the first engine's), and by rule id and engine, so each finding gets its own language's examples."""
    known: dict[str, Rule] = {}
    variants: dict[tuple[str, str], Rule] = {}
    for rule in [*CORE_RULES, *(r for engine in engines for r in engine.rules())]:
        known.setdefault(rule.id, rule)
        variants.setdefault((rule.id, rule.engine), rule)
    wanted = {f.rule_id for f in findings}
    used = {(f.rule_id, f.engine) for f in findings}
    return ({rule_id: known[rule_id] for rule_id in sorted(wanted) if rule_id in known},
            {key: variants[key] for key in sorted(used) if key in variants})


def _note_key(note: Note) -> tuple:
    return (note.kind, note.path or "", note.message)
