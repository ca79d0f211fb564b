"""Every Python example of the seed articles: the vulnerable one is found, its fixed twin is clean."""

from __future__ import annotations

import pytest

PAIRS = {
    "pickle-cookie-session": (
        "unsafe-deserialization",
        """
        # Loads user session from a cookie (dangerous)
        import pickle, base64
        def load_session(request):
            raw = request.cookies.get('session_data')
            # DANGEROUS: pickle.loads can execute arbitrary code
            return pickle.loads(base64.b64decode(raw))
        """,
        """
        import json, base64
        def load_session(request):
            raw = request.cookies.get('session_data')
            # SAFE: json.loads parses data only
            return json.loads(base64.b64decode(raw))
        """,
    ),
    "md5-password": (
        "weak-password-hash",
        """
        import hashlib
        def hash_password(pw):
            return hashlib.md5(pw.encode()).hexdigest() # DANGEROUS
        """,
        """
        import bcrypt
        def hash_password(pw):
            salt = bcrypt.gensalt()
            return bcrypt.hashpw(pw.encode(), salt)
        """,
    ),
    "subprocess-shell-true": (
        "command-injection",
        """
        # Example AI-generated code (simple example)
        import subprocess
        def run_command_ai(command):
            # CAUTION: shell=True can pose a security risk!
            return subprocess.run(command, shell=True, capture_output=True, text=True)
        """,
        """
        import shlex, subprocess
        def run_command_ai(command):
            return subprocess.run(shlex.split(command), capture_output=True, text=True)
        """,
    ),
    "os-system-fstring": (
        "command-injection",
        """
        import os
        def notify(user):
            os.system(f"cmd {user}")
        """,
        """
        import subprocess
        def notify(user):
            subprocess.run(["cmd", user], check=True)
        """,
    ),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_seed_vulnerable_is_found_and_fixed_is_clean(name, scan):
    rule, vulnerable, fixed = PAIRS[name]
    assert rule in {f.rule_id for f in scan(vulnerable)}
    assert [f for f in scan(fixed) if f.severity.rank >= 2] == []
