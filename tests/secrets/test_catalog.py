"""The detector data: coverage of the issue's provider list, and every format found by its own detector."""

from __future__ import annotations

import base64
import random

import pytest

from bastion.secrets import catalog, samples, scan_text
from bastion.secrets.checksums import verify_github_crc32
from bastion.secrets.scanner import scan_bytes

DETECTORS = catalog.detectors()
REQUIRED_PROVIDERS = """AWS;Google Cloud;Azure;Alibaba Cloud;IBM Cloud;GitHub;GitLab;Bitbucket;OpenAI;Anthropic;Hugging Face;
Cohere;Mistral AI;Groq;Replicate;Perplexity;Stripe;Square;PayPal / Braintree;Adyen;Slack;Discord;Telegram;Twilio;SendGrid;
Mailgun;Mailchimp;Postmark;npm;PyPI;RubyGems;NuGet;Docker Hub;JFrog;Datadog;New Relic;Sentry;Shopify;Atlassian;Notion;
Linear;Airtable;Okta;Auth0;Firebase;Supabase;Vercel;Netlify;Heroku;DigitalOcean;Cloudflare;Databricks;Snowflake;
HashiCorp Vault;HashiCorp Terraform Cloud;Doppler;1Password;Grafana;PagerDuty;Cryptographic key;JSON Web Token;
PostgreSQL;MySQL;MongoDB;Redis;RabbitMQ / AMQP;HTTP;Generic""".replace("\n", "").split(";")


def test_at_least_150_formats_from_the_required_providers() -> None:
    assert len(DETECTORS) >= 150
    providers = {d.provider for d in DETECTORS}
    assert not [p for p in REQUIRED_PROVIDERS if p not in providers]
    keys = {d.id for d in DETECTORS}
    for kind in ("rsa", "ec", "dsa", "openssh", "pgp", "pkcs8", "putty"):
        assert f"{kind}-private-key" in keys


def test_every_detector_is_documented() -> None:
    for det in DETECTORS:
        assert det.revoke.startswith("https://"), det.id
        assert det.name and det.provider and det.keywords, det.id


@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.id)
def test_fresh_sample_is_found_by_its_detector_in_every_file_kind(det) -> None:
    rng = random.Random(det.id)
    for _ in range(3):
        secret = samples.render(det.sample, rng)
        assert any(k in secret.lower() for k in det.keywords), "a keyword must occur in every match"
        for path, text in (
            ("app/config.py", f'value = """{secret}"""\n'),
            ("deploy/.env", f"{secret}\n"),
            ("k8s/values.yaml", f"data:\n  item: {secret}\n"),
            ("src/settings.json", '{"item": ' + _json(secret) + "}\n"),
        ):
            found = {c.detector.id for c in scan_bytes(text.encode(), path)}
            assert det.id in found, f"{det.id} missed in {path}: {secret[:50]} (found {found})"


def _json(value: str) -> str:
    import json

    return json.dumps(value)


def test_github_checksum_raises_or_lowers_confidence(rng) -> None:
    good = samples.render("ghp_{A:30}{crc}", rng)
    assert verify_github_crc32(good)
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    [f_good] = scan_text(f'T = "{good}"\n', "a.py")
    [f_bad] = scan_text(f'T = "{bad}"\n', "a.py")
    assert f_good.confidence.value == "high" and f_good.properties["checksum"] == "valid"
    assert f_bad.confidence.value == "low" and f_bad.properties["checksum"] == "invalid"


def test_jwt_must_decode(rng) -> None:
    token = samples.render("{jwt}", rng)
    [finding] = scan_text(f"auth = '{token}'\n", "a.py")
    assert finding.properties["detector"] == "jwt" and finding.confidence.value == "high"
    header, payload, signature = (base64.urlsafe_b64encode(part).rstrip(b"=").decode() for part in (b'{"alg":"HS256"}', b'{"sub":"1234567890"}', rng.randbytes(24)))
    garbage = f"{header}xx.{payload}.{signature}"  # the header no longer decodes
    assert [f.confidence.value for f in scan_text(f"auth = '{garbage}'\n", "a.py") if f.properties["detector"] == "jwt"] == ["low"]


def test_prefilter_skips_detectors_without_keywords() -> None:
    from bastion.secrets.scanner import triggered

    assert triggered(b"nothing to see here") == []
    names = {catalog.detectors()[i].id for i in triggered(b"x = 'ghp_'")}
    assert "github-pat" in names and "stripe-secret-key" not in names


def test_word_boundary_checked_outside_the_pattern(rng) -> None:
    token = samples.render("ghp_{A:30}{crc}", rng)
    assert scan_text(f"x{token}\n", "a.txt") == []
    assert [f.properties["detector"] for f in scan_text(f"-{token}\n", "a.txt")] == ["github-pat"]
    # a rejected near-miss does not hide a real match that starts inside it
    assert [f.properties["detector"] for f in scan_text(f"xghp_ {token}\n", "a.txt")] == ["github-pat"]


def test_generic_value_length_limit(rng) -> None:
    for length, found in ((300, True), (301, False)):
        value = samples.render(f"{{A:{length - 4}}}", rng) + "-9x!"
        assert bool(scan_text(f'api_secret = "{value}"\n', "conf.py")) is found
