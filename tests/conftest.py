"""Suite-wide: Bastion's own state (result cache, keys) goes to a folder of this test session, never the
user's home; subprocesses the tests start inherit the same place. The advisory database is read from its
default location (where `make advisories` builds it)."""

from __future__ import annotations

import os
import tempfile

from bastion.deps.db import default_dir

# The advisory database stays where `make advisories` put it (the default location, computed before the
# cache folder moves); tests that need a particular one set BASTION_DB_DIR themselves.
os.environ.setdefault("BASTION_DB_DIR", str(default_dir()))
_SESSION_STATE = tempfile.mkdtemp(prefix="bastion-test-state-")
os.environ.setdefault("BASTION_CACHE_DIR", os.path.join(_SESSION_STATE, "cache"))
os.environ.setdefault("BASTION_STATE_DIR", os.path.join(_SESSION_STATE, "state"))
