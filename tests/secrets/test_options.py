"""Option validation: a typo in [tool.bastion.secrets] is an error naming the key."""

from __future__ import annotations

import pytest

from bastion.core.config import ConfigError
from bastion.secrets import options


@pytest.mark.parametrize(
    ("raw", "needle"),
    [
        ({"show_secret": True}, "show_secret"),
        ({"show_secrets": "yes"}, "show_secrets"),
        ({"disable_detectors": ["no-such-detector"]}, "no-such-detector"),
        ({"disable_detectors": "github-pat"}, "disable_detectors"),
        ({"test_paths": [1]}, "test_paths"),
        ({"entropy_threshold": 9}, "entropy_threshold"),
        ({"fingerprint_salt": "org-salt"}, "BASTION_FINGERPRINT_KEY"),
        ({"history_max_blob_size": 0}, "history_max_blob_size"),
    ],
)
def test_bad_option_names_the_key(raw, needle) -> None:
    with pytest.raises(ConfigError, match=needle):
        options.parse(raw)


def test_defaults_and_overrides() -> None:
    assert options.parse(None).show_secrets is False
    parsed = options.parse({"show_secrets": True, "test_paths": ["qa/"], "entropy_threshold": 3.5})
    assert parsed.show_secrets and parsed.test_paths == ("qa/",) and parsed.entropy_threshold == 3.5
