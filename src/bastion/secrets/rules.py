"""The four rules the secrets engine reports; detectors say which one a format belongs to.

The documentation examples use values the engine itself takes for stand-ins (an elided
``...``, an example.com host, an ``EXAMPLE`` suffix as in AWS's own documentation): the
shape still teaches, and Bastion scanning its own source stays quiet.
"""

from __future__ import annotations

from bastion.model import Confidence, Rule, Severity

ENGINE = "secrets"
OWASP = "A07:2021-Identification and Authentication Failures"
_REFS = (
    "https://cwe.mitre.org/data/definitions/798.html",
    "https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html",
    "https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/",
)
_ROTATE = (
    "Revoke the credential at the provider first (the finding links the page): once committed or "
    "pasted it must be treated as public, and deleting the line does not remove it from history. "
    "Then load the new one at run time from the environment or a secret manager."
)

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            id="hardcoded-secret",
            title="Hardcoded credential of a known provider",
            engine=ENGINE,
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            cwe=(798, 259),
            owasp=OWASP,
            what="A token, API key or webhook URL in a provider's own format (AWS, GitHub, OpenAI, Stripe, Slack, ...) written into a file.",
            why=(
                "Anyone who can read the repository, a build log, a package or an AI assistant's context can use the "
                "credential with its owner's rights. Assistants copy tokens they see into new code, so one leaked key spreads."
            ),
            vulnerable='client = OpenAI(api_key="sk-proj-...T3BlbkFJ...")\n',
            fixed='import os\n\nclient = OpenAI(api_key=os.environ["OPENAI_API_KEY"])\n',
            references=_REFS,
            fix_guidance=_ROTATE,
            tags=("secrets",),
        ),
        Rule(
            id="hardcoded-private-key",
            title="Private key committed to the repository",
            engine=ENGINE,
            severity=Severity.CRITICAL,
            confidence=Confidence.HIGH,
            cwe=(321, 798),
            owasp="A02:2021-Cryptographic Failures",
            what="A PEM, OpenSSH, PGP, PuTTY or age private key in a file.",
            why="A private key lets its holder impersonate the server, user or signer it belongs to and decrypt what was sent to it.",
            vulnerable="-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA...\n-----END OPENSSH PRIVATE KEY-----\n",
            fixed="# deploy key is mounted at run time from the secret store\nkey_path = os.environ[\"DEPLOY_KEY_PATH\"]\n",
            references=("https://cwe.mitre.org/data/definitions/321.html",) + _REFS[1:],
            fix_guidance="Generate a new key pair, replace the public half wherever it is trusted, and keep the private half out of the tree.",
            tags=("secrets",),
        ),
        Rule(
            id="credentials-in-url",
            title="Password embedded in a connection or service URL",
            engine=ENGINE,
            severity=Severity.HIGH,
            confidence=Confidence.MEDIUM,
            cwe=(798, 522),
            owasp=OWASP,
            what="A database, broker or HTTP URL of the form scheme://user:password@host with a literal password.",
            why="Connection strings end up in logs, error pages and process listings; the password in them grants direct access to the data store.",
            vulnerable='DATABASE_URL = "postgresql://app:S3cr3t-Pa55@db.example.com:5432/app"\n',
            fixed='DATABASE_URL = os.environ["DATABASE_URL"]\n',
            references=_REFS,
            fix_guidance=_ROTATE,
            tags=("secrets",),
        ),
        Rule(
            id="hardcoded-password",
            title="Password, secret or token assigned a literal value",
            engine=ENGINE,
            severity=Severity.HIGH,
            confidence=Confidence.MEDIUM,
            cwe=(259, 798),
            owasp=OWASP,
            what=(
                "An assignment such as password = \"...\", api_key: ..., SECRET=... whose value looks random enough "
                "(entropy, mixed characters) to be a real credential rather than a placeholder, environment reference or hash."
            ),
            why="Hardcoded passwords are shared by every copy of the code and cannot be rotated without a release.",
            vulnerable='SMTP_PASSWORD = "q7F#v2Lp9!xR-EXAMPLE"\n',
            fixed='SMTP_PASSWORD = os.environ["SMTP_PASSWORD"]\n',
            references=("https://cwe.mitre.org/data/definitions/259.html",) + _REFS[1:],
            fix_guidance=_ROTATE,
            tags=("secrets",),
        ),
    )
}
