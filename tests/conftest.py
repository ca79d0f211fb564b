"""Suite-wide: Bastion's own state (result cache, keys) goes to a folder of this test session, never the
user's home; subprocesses the tests start inherit the same place."""

from __future__ import annotations

import os
import tempfile

_SESSION_STATE = tempfile.mkdtemp(prefix="bastion-test-state-")
os.environ.setdefault("BASTION_CACHE_DIR", os.path.join(_SESSION_STATE, "cache"))
os.environ.setdefault("BASTION_STATE_DIR", os.path.join(_SESSION_STATE, "state"))
