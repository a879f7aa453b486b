"""The static checks on a contribution range, and on the same plan listed as 8001 tiers.

Issue 11: a 1000-9000 range written as 8001 tiers made ``check`` take 5 min 37 s and 12.5 GB.
The checks now reason over intervals (a run of evenly spaced tiers, a range, the band edges),
so both forms, and the range to the fen (800,001 amounts), are a few hundred classes. Run by
hand; measure memory with ``/usr/bin/time -v contribpolicy check build/range-plan-8001-tiers.yaml``.
Figures go in the issue note, never in tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import contribpolicy
from contribpolicy.checks import check_policy

ROOT = Path(__file__).resolve().parent.parent
RANGE = ROOT / "examples" / "localities" / "range-plan.yaml"
LISTED = ROOT / "build" / "range-plan-8001-tiers.yaml"
IN_FEN = ROOT / "build" / "range-plan-in-fen.yaml"


def listed_tiers() -> Path:
    """The range plan with its range written out as 8001 listed tiers."""
    text = RANGE.read_text(encoding="utf-8")
    tiers = ", ".join(str(amount) for amount in range(1000, 9001))
    LISTED.parent.mkdir(exist_ok=True)
    LISTED.write_text(
        text.replace("range: {min: 1000, max: 9000}", f"tiers: [{tiers}]"), encoding="utf-8"
    )
    return LISTED


def in_fen() -> Path:
    """The range plan to the fen: any amount from 1000.00 to 9000.00 (800,001 amounts), read
    from an amount input, its bands ending on their last fen."""
    text = RANGE.read_text(encoding="utf-8")
    for whole, fen in (
        ("  choices:\n    pension_amount:", "  amounts:\n    pension_amount:"),
        ("range: {min: 1000, max: 9000}", "range: {min: 1000, max: 9000, step: 0.01}"),
        ("to: 1999,", "to: 1999.99,"),
        ("to: 3999,", "to: 3999.99,"),
        ("to: 5999,", "to: 5999.99,"),
    ):
        assert whole in text, whole
        text = text.replace(whole, fen)
    IN_FEN.parent.mkdir(exist_ok=True)
    IN_FEN.write_text(text, encoding="utf-8")
    return IN_FEN


def main() -> None:
    for path in (RANGE, listed_tiers(), in_fen()):
        start = time.perf_counter()
        policy = contribpolicy.load_policy(path)
        loaded = time.perf_counter()
        findings = check_policy(policy)
        done = time.perf_counter()
        print(
            f"{path.name}: {len(findings)} findings; load {loaded - start:.2f} s, "
            f"check {done - loaded:.2f} s"
        )


if __name__ == "__main__":
    main()
