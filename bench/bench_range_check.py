"""The static checks on a contribution range, and on the same plan listed as 8001 tiers.

Issue 11: a 1000-9000 range written as 8001 tiers made ``check`` take 5 min 37 s and 12.5 GB.
The checks now reason over intervals (a run of evenly spaced tiers, a range, the band edges), so
both forms are a few hundred classes. Run by hand; measure memory with
``/usr/bin/time -v contribpolicy check build/range-plan-8001-tiers.yaml``. Figures go in the
issue note, never in tests.
"""

from __future__ import annotations

import time
from pathlib import Path

import contribpolicy
from contribpolicy.checks import check_policy

ROOT = Path(__file__).resolve().parent.parent
RANGE = ROOT / "examples" / "localities" / "range-plan.yaml"
LISTED = ROOT / "build" / "range-plan-8001-tiers.yaml"


def listed_tiers() -> Path:
    """The range plan with its range written out as 8001 listed tiers."""
    text = RANGE.read_text(encoding="utf-8")
    tiers = ", ".join(str(amount) for amount in range(1000, 9001))
    LISTED.parent.mkdir(exist_ok=True)
    LISTED.write_text(
        text.replace("range: {min: 1000, max: 9000}", f"tiers: [{tiers}]"), encoding="utf-8"
    )
    return LISTED


def main() -> None:
    for path in (RANGE, listed_tiers()):
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
