"""The dependency audit's rules and their documentation."""

from __future__ import annotations

from bastion.model import Confidence, Rule, Severity

ENGINE = "deps"
_A06 = "A06:2021-Vulnerable and Outdated Components"
_A08 = "A08:2021-Software and Data Integrity Failures"
_OSV = "https://ossf.github.io/osv-schema/"
_SLOPSQUAT = "https://arxiv.org/abs/2406.10279"

VULNERABLE = Rule(
    id="vulnerable-dependency",
    title="Dependency with a known vulnerability",
    engine=ENGINE,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=(1395, 1104, 937),
    owasp=_A06,
    what="A lockfile, requirements file or manifest pins a package version that a public advisory (OSV: PYSEC, GHSA, CVE) lists as affected. The finding's severity is the advisory's own (CVSS when present).",
    why="AI assistants suggest the versions of their training data, often years old. A known vulnerability has a public write-up and frequently a public exploit; it is the cheapest way into an application.",
    vulnerable="urllib3==1.25.7\n",
    fixed="urllib3==1.26.18\n",
    languages=(),
    references=(_OSV, "https://osv.dev/vulnerability/PYSEC-2020-148", "https://owasp.org/Top10/A06_2021-Vulnerable_and_Outdated_Components/"),
    fix_guidance="Upgrade to the version the finding names: the smallest one that fixes every known advisory of the package (`bastion deps --fix` proposes the edit). For a transitive package, upgrade the direct dependency that pulls it in, or pin it through your package manager's override mechanism.",
    tags=("supply-chain",),
)

UNPINNED = Rule(
    id="unpinned-dependency",
    title="Dependency without a pinned version",
    engine=ENGINE,
    severity=Severity.LOW,
    confidence=Confidence.HIGH,
    cwe=(1357, 829),
    owasp=_A08,
    what="A requirements file lists a package with a range or no version at all, and no lockfile beside it pins one, so what gets installed changes from one install to the next and cannot be audited.",
    why="An unpinned install takes whatever the index serves on the day: a compromised or vulnerable release arrives without review, and the audit cannot say which version runs.",
    vulnerable="requests>=2.0\n",
    fixed="requests==2.32.3\n",
    references=("https://pip.pypa.io/en/stable/topics/repeatable-installs/", "https://docs.npmjs.com/cli/configuring-npm/package-lock-json"),
    fix_guidance="Pin exact versions (`pip-compile --generate-hashes`, `uv lock`, `poetry lock`) or commit the lockfile your package manager writes.",
    tags=("supply-chain",),
)

LOOKALIKE = Rule(
    id="lookalike-package",
    title="Package name imitates a popular package",
    engine=ENGINE,
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=(1357, 829),
    owasp=_A08,
    what="A dependency's name is one typo, a separator, a scope or a suffix such as -python/-js away from a popular package, while not being popular itself.",
    why="Typosquatters register near-miss names of popular packages, and attackers register names AI assistants invent ('slopsquatting'). Installing one runs the attacker's install hooks on the developer's machine and in CI.",
    vulnerable="reqeusts==2.31.0\n",
    fixed="requests==2.32.3\n",
    references=(_SLOPSQUAT, "https://capec.mitre.org/data/definitions/630.html"),
    fix_guidance="Check the name against the project's documentation and the registry page; use the popular package's exact name. If the name is right, suppress the finding with a reason.",
    tags=("supply-chain",),
)

NONEXISTENT = Rule(
    id="nonexistent-package",
    title="Package or version does not exist on the registry",
    engine=ENGINE,
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=(1357, 829),
    owasp=_A08,
    what="(Online check) The registry knows no package of this name, or no such version of it.",
    why="An assistant invented the name. Anyone can register it tomorrow and every install of this file will run their code.",
    vulnerable="fastapi-security-utils==1.0.0\n",
    fixed="fastapi==0.115.0\n",
    references=(_SLOPSQUAT,),
    fix_guidance="Remove the dependency or replace it with a real, maintained package that does the job; never register a placeholder.",
    tags=("supply-chain", "online"),
)

YANKED = Rule(
    id="yanked-dependency",
    title="Yanked or deprecated version",
    engine=ENGINE,
    severity=Severity.MEDIUM,
    confidence=Confidence.HIGH,
    cwe=(1104,),
    owasp=_A06,
    what="(Online check) The pinned version was yanked from PyPI or deprecated on npm by its maintainers.",
    why="Maintainers yank or deprecate a release when it is broken or unsafe; pinning it keeps the problem.",
    vulnerable="somepackage==1.0.1  # yanked\n",
    fixed="somepackage==1.0.2\n",
    references=("https://peps.python.org/pep-0592/", "https://docs.npmjs.com/cli/commands/npm-deprecate"),
    fix_guidance="Move to the release the maintainers recommend (the yank reason or deprecation message usually names it).",
    tags=("supply-chain", "online"),
)

NEW_PACKAGE = Rule(
    id="recently-published-package",
    title="Package first published very recently",
    engine=ENGINE,
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=(1357,),
    owasp=_A08,
    what="(Online check) The package's first release is younger than the configured number of days (30 by default).",
    why="Squatted names of invented packages are young: an attacker registers them after seeing assistants suggest them. Young packages have no track record.",
    vulnerable="brand-new-helper==0.0.1\n",
    fixed="# a well-established package that does the same job\n",
    references=(_SLOPSQUAT,),
    fix_guidance="Check who publishes the package and what it does before depending on it.",
    tags=("supply-chain", "online"),
)

ALL_RULES = (VULNERABLE, UNPINNED, LOOKALIKE, NONEXISTENT, YANKED, NEW_PACKAGE)
