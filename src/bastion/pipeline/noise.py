"""The noise policy: what a reviewer of a real repository would dismiss at a glance, handled on purpose.

Applied by the API after the engines and the cache (so changing it never needs a re-analysis):

- Test code is analysed, but its findings are at most ``test-max-severity`` (low by default), unless the
  rule is about secrets or dependencies: a leaked key or a vulnerable package is as real in a test as
  anywhere, while a random password in an end-to-end test or a `subprocess` call in a fixture is not an
  attack surface.
- A finding the taint engines report without a traced source (SQL or a command assembled from
  non-constant parts, a regex that could backtrack on text nobody showed to be input) is at most medium
  severity and low confidence: the parts may come from anywhere, and on mature library code they nearly
  always come from the program itself. A regex that can only backtrack polynomially, on text nobody showed
  to be input, is at most low: it needs a long attacker-sized input to hurt, and nothing says it gets one.
- A finding whose only source is a parameter of a function nothing in the scanned code calls ("caller
  unknown": input of unknown origin) is at most medium severity: no input was traced to it. Its confidence
  stays the engines' (medium) so that ``--min-confidence`` keeps its meaning. In applications such functions
  are mostly helpers called through objects the analysis does not resolve, handed values of the program's
  own (database rows, settings, temp files); in a pasted snippet they are the only way in, so they stay.
- A finding whose only source is the program's own environment or files (``process.env.SUDO_USER``,
  ``os.environ``, a file it reads: the low-trust source kinds of ``models/common/trust.toml``) is at most low
  severity: whoever sets them already runs the program. It stays visible (an installer that builds a shell
  command from ``$HOME`` is worth a look), but it is not the request data a critical finding means.
- An exception's message sent to the client (``{"error": str(e)}``) is at most low severity: APIs report
  their errors that way on purpose. A stack trace (``traceback.format_exc()``, ``err.stack``) keeps the
  rule's severity: it tells an attacker the code's paths, versions and internals.
- Vendored third-party code is skipped during discovery (``workspace``); :func:`vendored_note` tells the
  user how much was skipped and how to scan it anyway.

- One weakness at one sink is one finding. Flows are reported at their sink (callers of a helper, in this
  file or another, are one finding there: the taint engines and the project pass see to that); here, nested
  sinks of one rule on one line reached from the same source (``conn.execute(text(sql))``) become one
  finding too.

Grouping repeated configuration findings is a matter of presentation and lives in ``report/grouping.py``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pathspec

from bastion.core.model import Confidence, Finding, Note, Severity

#: Where tests live, in gitignore syntax: folders of tests and end-to-end suites, and test file names of
#: pytest, Jest, Vitest, Mocha, Go. The `test-paths` config key replaces this list.
DEFAULT_TEST_PATHS = (
    "test/", "tests/", "__tests__/", "testing/", "spec/", "e2e/", "cypress/", "playwright/", "fixtures/",
    "test_*.py", "*_test.py", "conftest.py", "*.test.js", "*.test.jsx", "*.test.ts", "*.test.tsx", "*.test.mjs",
    "*.spec.js", "*.spec.jsx", "*.spec.ts", "*.spec.tsx", "*.spec.mjs", "*.cy.js", "*.cy.ts", "*_test.go",
)
#: Engines whose findings are as real in test code as in production code.
UNCAPPED_ENGINES = frozenset({"secrets", "deps"})
#: Engines whose findings carry a taint trace.
TAINT_ENGINES = frozenset({"python", "javascript"})
#: Rules that, without a traced source, only say "this is assembled at run time" or "this could backtrack".
SOURCELESS_CAPPED_RULES = frozenset({
    "sql-injection", "command-injection", "code-injection", "nosql-injection", "ldap-injection", "xpath-injection",
    "template-injection", "redos", "regex-injection", "path-traversal", "ssrf", "xss", "open-redirect",
})
#: Rules about a pattern's shape: without a traced source they say "this could backtrack", not "this is attacked".
BACKTRACKING_RULES = frozenset({"redos"})
SOURCELESS_CEILING = Severity.MEDIUM
#: A sourceless regex that can only backtrack polynomially (quadratic, cubic): a hygiene note.
POLYNOMIAL_CEILING = Severity.LOW
#: Words of a sink line or a trace step that mean a stack trace, not only a message, reaches the client.
_STACK_WORDS = ("stack", "traceback", "format_exc", "print_exc", "exc_info", "format_exception", "format_tb")
MESSAGE_CEILING = Severity.LOW
#: Source kinds the program's operator controls (the engines' ``source-trust`` property).
OPERATOR_SOURCES = frozenset({"environment", "file"})
OPERATOR_CEILING = Severity.LOW


@lru_cache(maxsize=16)
def _test_spec(patterns: tuple[str, ...]) -> pathspec.PathSpec:
    return pathspec.PathSpec.from_lines("gitignore", patterns)


def is_test_path(path: str, patterns: tuple[str, ...] = DEFAULT_TEST_PATHS) -> bool:
    """True for a file of the test suite (matched anywhere in the tree, as .gitignore patterns are)."""
    return _test_spec(patterns).match_file(path)


def _capped(finding: Finding, ceiling: Severity, why: str, confidence: Confidence | None = None) -> Finding:
    if finding.severity.rank <= ceiling.rank and (confidence is None or finding.confidence.rank <= confidence.rank):
        return finding
    original = finding.severity.value
    properties = {**finding.properties, "noise_policy": why, "severity_before_policy": original}
    return replace(finding, severity=min(finding.severity, ceiling, key=lambda s: s.rank),
                   confidence=finding.confidence if confidence is None else
                   min(finding.confidence, confidence, key=lambda c: c.rank),
                   properties=properties)


def has_traced_source(finding: Finding) -> bool:
    return any(step.kind == "source" for step in finding.trace)


def is_sourceless(finding: Finding) -> bool:
    """A taint rule's finding reported for how a value is built (``dynamic``) or what a regex could do (ReDoS),
    with no input traced to it."""
    if finding.engine not in TAINT_ENGINES or finding.rule_id not in SOURCELESS_CAPPED_RULES:
        return False
    if has_traced_source(finding) or finding.endpoint is not None:
        return False
    return bool(finding.properties.get("dynamic")) or finding.rule_id in BACKTRACKING_RULES


def is_polynomial_backtracking(finding: Finding) -> bool:
    """A ReDoS finding about a regex that backtracks in polynomial (not exponential) time."""
    return finding.rule_id in BACKTRACKING_RULES and finding.properties.get("backtracking") == "polynomial"


def has_unknown_origin(finding: Finding) -> bool:
    """A taint finding whose source is a parameter of a function nothing in the scanned code calls."""
    return finding.engine in TAINT_ENGINES and "caller-unknown" in finding.properties and finding.endpoint is None


def has_operator_source(finding: Finding) -> bool:
    """A taint finding whose reported source is the program's own environment or files, not request data."""
    return finding.engine in TAINT_ENGINES and finding.properties.get("source-trust") in OPERATOR_SOURCES


def exposes_only_a_message(finding: Finding) -> bool:
    """An error-details finding whose sink line and trace show no stack trace: the client gets a message."""
    if finding.rule_id != "error-details-exposed":
        return False
    texts = [finding.snippet, finding.message, *(step.note for step in finding.trace)]
    return not any(word in text.lower() for text in texts for word in _STACK_WORDS)


def apply_noise_policy(findings: list[Finding], test_paths: tuple[str, ...] | None,
                       test_ceiling: Severity | None) -> list[Finding]:
    """Each finding with its severity (and confidence) capped where the policy says so, in the same order."""
    patterns = DEFAULT_TEST_PATHS if test_paths is None else test_paths
    result = []
    for finding in findings:
        if is_sourceless(finding):
            ceiling = POLYNOMIAL_CEILING if is_polynomial_backtracking(finding) else SOURCELESS_CEILING
            finding = _capped(finding, ceiling, "no traced source", Confidence.LOW)
        elif has_unknown_origin(finding):
            finding = _capped(finding, SOURCELESS_CEILING, "input of unknown origin (caller unknown)")
        elif has_operator_source(finding):
            finding = _capped(finding, OPERATOR_CEILING, "the program's own environment or files, not request data")
        if exposes_only_a_message(finding):
            finding = _capped(finding, MESSAGE_CEILING, "exception message, not a stack trace")
        if (test_ceiling is not None and finding.engine not in UNCAPPED_ENGINES and finding.location.path
                and is_test_path(finding.location.path, patterns)):
            finding = _capped(finding, test_ceiling, "test code")
        result.append(finding)
    return result


def vendored_note(count: int, examples: list[str]) -> Note | None:
    """What the user should know about third-party code that was not scanned."""
    if not count:
        return None
    shown = ", ".join(examples[:5])
    return Note("info", f"skipped {count} vendored third-party folder(s) or file(s) ({shown}); "
                        "set scan-vendored = true to scan them, or add paths with vendored = [...]",
                reason="vendored")


def merge_nested_sinks(findings: list[Finding]) -> list[Finding]:
    """Nested sinks of one rule on one line (``conn.execute(text(sql))``: text() and execute() are both SQL
    sinks) reached from the same source are one flow: the most severe and confident finding is kept."""
    best: dict[tuple, Finding] = {}
    for finding in findings:
        if finding.engine in TAINT_ENGINES and finding.trace and finding.trace[0].kind == "source":
            source = finding.trace[0].location
            key = (finding.rule_id, finding.location.path, finding.location.line, source.path, source.line, source.column)
            kept = best.get(key)
            if kept is None or (finding.severity.rank, finding.confidence.rank) > (kept.severity.rank, kept.confidence.rank):
                best[key] = finding
    keep = {id(f) for f in best.values()}
    return [f for f in findings if id(f) in keep or not (f.engine in TAINT_ENGINES and f.trace and f.trace[0].kind == "source")]
