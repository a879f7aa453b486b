"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

import contribpolicy

ROOT = Path(__file__).resolve().parent.parent
POLICY_2025 = ROOT / "policies" / "2025.yaml"


@pytest.fixture(scope="session")
def policy_2025() -> contribpolicy.Policy:
    """The bundled 2025 Shancheng policy, loaded once."""
    return contribpolicy.load_policy(POLICY_2025)
