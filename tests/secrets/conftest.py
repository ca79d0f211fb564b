"""Shared helpers: fresh random secrets from the detector templates (nothing live-looking is committed)."""

from __future__ import annotations

import random

import pytest

from bastion.secrets import catalog, samples


@pytest.fixture
def rng() -> random.Random:
    return random.Random(1234)


def sample_of(detector_id: str, rng: random.Random) -> str:
    det = next(d for d in catalog.detectors() if d.id == detector_id)
    return samples.render(det.sample, rng)
