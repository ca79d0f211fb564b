"""False alarms once raised on the large clean corpus of installed packages (benchmarks/secrets, --large).

Each case is a few lines cut from a real package file (values that could pass for credentials are replaced
by made-up ones of the same shape) and comes with its twin that must still be reported, so that a fix
cannot pass by dropping everything.
"""

from __future__ import annotations

import pytest

from bastion.secrets import samples, scan_text
from tests.secrets.conftest import sample_of


def _detectors(text: str, path: str) -> list[str]:
    return [f.properties["detector"] for f in scan_text(text, path)]


# botocore data/*/examples-1.json and aws-sdk apis/*.examples.json: documented sample requests and responses.
API_EXAMPLES = (
    '{{\n  "input": {{\n    "NewPassword": "]35d/{{pB9Fo9wJ",\n    "OldPassword": "3s0K_;xh4~8XXI"\n  }},\n'
    '  "output": {{\n    "UserPoolClient": {{\n      "ClientId": "6b5c3a7d9e",\n'
    '      "ClientSecret": "{client_secret}"\n    }}\n  }}\n}}\n'
)


@pytest.mark.parametrize("path", ["botocore/data/iam/2010-05-08/examples-1.json", "aws-sdk/apis/cognito-idp-2016-04-18.examples.json"])
def test_api_example_collections_get_no_generic_matching(path: str, rng) -> None:
    text = API_EXAMPLES.format(client_secret=samples.render("{a:52}", rng))
    assert _detectors(text, path) == []
    assert _detectors(text, "service/settings.json").count("generic-secret-assignment") == 3
    token = sample_of("github-pat", rng)
    assert _detectors(f'{{"Token": "{token}"}}\n', path) == ["github-pat"]


# Paging cursors and idempotency tokens of AWS API models and examples.
CURSORS = [
    '"ClientRequestToken": "a8ca07e4-61ec-4399-99f4-19853801bcd5",\n',
    '"ChangeToken": "abcd12f2-46da-4fdb-b8d5-fbd4c466928f",\n',
    '"LifecycleActionToken": "bcd2f1b8-9a78-44d3-8a7a-4dd07d7cf635",\n',
    '"NextContinuationToken": "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg==",\n',
    '"nextToken": "gPFEGk7CF4wS901w7ppYclt7gPFEGk7CF4wS901w7ppYclt7",\n',
    '"output_token": "StreamDescription.Shards[-1].ShardId",\n',
]


@pytest.mark.parametrize("line", CURSORS)
def test_paging_and_request_tokens_are_not_credentials(line: str) -> None:
    assert _detectors(line, "api/models.json") == []


def test_a_token_named_for_access_is_still_reported() -> None:
    value = "1w41l63U0xa8q7smH50vCxyTQqdxo69O3EmK28Bi5PcROI4wI/EyIJg=="
    assert _detectors(f'"AccessToken": "{value}",\n', "api/models.json") == ["generic-secret-assignment"]
    assert _detectors(f'"SessionToken": "{value}",\n', "api/models.json") == ["generic-secret-assignment"]


def test_when_a_password_was_last_used_is_a_timestamp() -> None:
    assert _detectors('"PasswordLastUsed": "2016-09-08T21:47:36Z",\n', "iam/users.json") == []


# typescript/lib/ja/diagnosticMessages.generated.json
TRANSLATED = '{\n  "Unexpected_token_1012": "予期しないトークンです。",\n  "Unexpected_token_expected_1179": "意外标记。应为 \\"{\\"。"\n}\n'


def test_translated_messages_are_not_secrets(rng) -> None:
    assert _detectors(TRANSLATED, "lib/ja/diagnosticMessages.generated.json") == []
    token = samples.render("{A:16}-9x", rng)
    assert _detectors(f'{{\n  "Session_token": "{token}"\n}}\n', "lib/ja/messages.json") == ["generic-secret-assignment"]


# @firebase/auth error codes, as the bundle and its typings write them; prettier's tokenizer state.
ERROR_CODES = [
    ("dist/esm2017/index.js", "    INVALID_API_KEY: 'auth/invalid-api-key',\n    REJECTED_CREDENTIAL: 'auth/rejected-credential',\n"),
    ("dist/auth-public.d.ts", '    readonly CREDENTIAL_TOO_OLD_LOGIN_AGAIN: "auth/requires-recent-login";\n'),
    ("prettier/index.mjs", '      lastSignificantToken = "?InterpolationInTemplate";\n'),
]


@pytest.mark.parametrize(("path", "text"), ERROR_CODES)
def test_error_codes_and_tokenizer_states_are_not_secrets(path: str, text: str) -> None:
    assert _detectors(text, path) == []


def test_a_slash_in_a_random_value_keeps_it_reported(rng) -> None:
    value = samples.render("{A:4}/{A:11}7", rng)
    assert _detectors(f"    API_KEY: '{value}',\n", "dist/index.js") == ["generic-secret-assignment"]


# Codecov badge tokens (public, read-only) in package READMEs.
BADGE = "[![codecov](https://codecov.io/gh/acme/cache/branch/main/graph/badge.svg?token=Qx7Lm2TzR4)](https://codecov.io/gh/acme/cache)\n"


def test_short_values_in_prose_are_not_reported(rng) -> None:
    assert _detectors(BADGE, "README.md") == []
    assert _detectors(BADGE, "ci/badges.yaml") == ["generic-secret-assignment"]
    strong = samples.render("{A:24}", rng) + "-9x"
    assert _detectors(f"export API_TOKEN={strong}\n", "docs/setup.md") == ["generic-secret-assignment"]


# ecdsa's test_ecdh.py: an ECDH shared secret from a test vector.
VECTOR = 'gshared_secret = "8f457e34982478d1c34b9cd2d0c15911b72dd60d869e2cea"\n'


def test_hex_test_vectors_in_tests_are_not_reported() -> None:
    assert _detectors(VECTOR, "ecdsa/test_ecdh.py") == []
    found = scan_text(VECTOR, "ecdsa/ecdh.py")
    assert [(f.properties["detector"], f.confidence) for f in found] == [("generic-secret-assignment", "low")]


# @octokit/auth-token's README: token stand-ins padded with zeros.
PADDED = (
    'const auth = createTokenAuth("ghp_PersonalAccessToken01245678900000000");\n'
    'createTokenAuth("ghs_InstallallationOrActionToken00000000");\n'
    'createTokenAuth("ghu_InstallationUserToServer000000000000");\n'
)


@pytest.mark.parametrize("path", ["README.md", "src/auth.js"])
def test_zero_padded_token_stand_ins_are_placeholders(path: str, rng) -> None:
    assert _detectors(PADDED, path) == []
    token = sample_of("github-pat", rng)
    assert _detectors(f'createTokenAuth("{token}");\n', path) == ["github-pat"]


# python-ecdsa's test_keys.py writes its test keys one string literal per line; its keys.py only names the markers.
@pytest.mark.parametrize(("path", "join"), [("ecdsa/test_keys.py", "\n    "), ("test/keys.js", " +\n    ")])
def test_a_private_key_written_one_literal_per_line_is_found(path: str, join: str, rng) -> None:
    pem = sample_of("ec-private-key", rng)
    literal = join.join(f'"{line}\\n"' for line in pem.splitlines())
    found = scan_text(f"key = (\n    {literal}\n)\n", path)
    assert [(f.properties["detector"], f.location.line) for f in found] == [("ec-private-key", 2)]


def test_code_that_only_names_the_markers_is_clean() -> None:
    code = (
        '        private_key_index = string.find(b"-----BEGIN EC PRIVATE KEY-----")\n'
        "        if private_key_index == -1:\n"
        '            private_key_index = string.index(b"-----BEGIN PRIVATE KEY-----")\n'
        '        end = string.index(b"-----END EC PRIVATE KEY-----")\n'
    )
    assert scan_text(code, "ecdsa/keys.py") == []
