"""Rosters on Dask: the policy travels to the workers, and the result is the single-process one."""

# pyarrow, pandas and cloudpickle ship no type information.
# mypy: disable-error-code="import-untyped"

from __future__ import annotations

import doctest
import pickle
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import cloudpickle
import dask
import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pytest

import contribpolicy
from contribpolicy import Policy
from contribpolicy.columnar import ArrowMapper, PandasMapper, evaluate_table, pandas_meta

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTED = ROOT / "docs" / "distributed.md"
RECORD: dict[str, Any] = {
    "person_id": "p1",
    "birth_date": "1962-09-09",
    "residence": "local",
    "statuses": "dibao_edge",
    "medical_sponsor": "300",
}


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
def test_a_policy_pickles_before_and_after_use(policy_2025: Policy, dumps: Any) -> None:
    """A Policy survives pickling (as Spark and Dask ship it), even after it has evaluated:
    same content hash, same assessment."""
    fresh = contribpolicy.load_policy(ROOT / "policies" / "2025.yaml")
    before = pickle.loads(dumps(fresh))
    expected = fresh.evaluate(RECORD)
    after = pickle.loads(dumps(fresh))
    for copy in (before, after):
        assert copy.content_hash == policy_2025.content_hash
        assert copy.evaluate(RECORD).schemes == expected.schemes


def test_mappers_pickle_with_their_policy(policy_2025: Policy) -> None:
    """The Spark and Dask functions pickle, policy inside, and work once unpickled."""
    batch = pa.RecordBatch.from_pylist([RECORD])
    arrow = pickle.loads(cloudpickle.dumps(ArrowMapper(policy_2025)))
    (out,) = list(arrow(iter([batch])))
    assert out.to_pylist() == evaluate_table(policy_2025, batch).to_pylist()
    frame = pd.DataFrame([RECORD])
    pandas = pickle.loads(cloudpickle.dumps(PandasMapper(policy_2025)))
    assert pandas(frame)["medical_sponsor"].tolist() == [Decimal("0.00")]


def _roster(tmp_path: Path, rows: int) -> Path:
    """A generated roster with malformed rows planted in it."""
    path = tmp_path / "roster.csv"
    generator = [sys.executable, str(ROOT / "examples" / "generate_roster.py")]
    options = ["--rows", str(rows), "--seed", "11", "--with-bad-rows", "-o", str(path)]
    subprocess.run([*generator, *options], check=True)
    return path


def test_dask_partitions_give_the_single_process_table(policy_2025: Policy, tmp_path: Path) -> None:
    """A roster read by Dask in several partitions and assessed by worker processes equals
    evaluate_table on the whole roster in this process, row for row."""
    path = _roster(tmp_path, 3000)
    options: dict[str, Any] = {"dtype": str, "keep_default_na": False}
    roster = dd.read_csv(path, blocksize=40_000, **options)
    assert roster.npartitions >= 4
    assessed = roster.map_partitions(PandasMapper(policy_2025), meta=pandas_meta(policy_2025))
    with dask.config.set(scheduler="processes", num_workers=2):
        result = assessed.compute()
    whole = pa.Table.from_pandas(pd.read_csv(path, **options), preserve_index=False)
    single = evaluate_table(policy_2025, whole).to_pandas(types_mapper=pd.ArrowDtype)
    pd.testing.assert_frame_equal(result.reset_index(drop=True), single)
    assert (single["pension_status"] == "error").any()


def _examples(page: Path) -> list[str]:
    """The ``pycon`` blocks of a page, in order."""
    return re.findall(r"```pycon\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)


def test_distributed_page_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python sessions in docs/distributed.md give the output shown."""
    monkeypatch.chdir(ROOT)
    examples = _examples(DISTRIBUTED)
    assert examples
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    names: dict[str, Any] = {}
    report: list[str] = []
    for number, text in enumerate(examples):
        test = parser.get_doctest(text, names, f"distributed.md#{number}", str(DISTRIBUTED), 0)
        runner.run(test, out=report.append, clear_globs=False)
        names = test.globs
    assert runner.failures == 0, "".join(report)


def test_mappers_give_the_hand_worked_amounts(policy_2025: Policy) -> None:
    """The mappers against amounts worked out from the plan, not against what they wrap.

    p1, born 1962-09-09, 62 on 2025-01-01, 低保边缘: no pension (16 to 59 only, 四); medical
    1070 = 670 fiscal + 400 relief in full for 低保边缘 (五（一）), nothing left for the sponsor's
    300 to cover. p2, born 1980-05-01, 44, tier 500 with a 100 sponsor: pension 500 + 60 subsidy
    (四) = 560; medical 400 - 100 sponsored = 300 personally + 670 fiscal = 1070.
    """
    people = [  # every key in both: an Arrow batch takes its columns from the first record
        {**RECORD, "pension_tier": ""},
        {"person_id": "p2", "birth_date": "1980-05-01", "residence": "local", "statuses": "",
         "pension_tier": "500", "medical_sponsor": "100"},
    ]  # fmt: skip
    expected = {
        "pension_status": ["ineligible", "eligible"],
        "pension_individual": [Decimal("0.00"), Decimal("500.00")],
        "pension_government": [Decimal("0.00"), Decimal("60.00")],
        "pension_total": [Decimal("0.00"), Decimal("560.00")],
        "medical_status": ["eligible", "eligible"],
        "medical_individual": [Decimal("0.00"), Decimal("300.00")],
        "medical_government": [Decimal("1070.00"), Decimal("670.00")],
        "medical_sponsor": [Decimal("0.00"), Decimal("100.00")],
        "medical_total": [Decimal("1070.00"), Decimal("1070.00")],
    }
    (arrow_out,) = list(ArrowMapper(policy_2025)(iter([pa.RecordBatch.from_pylist(people)])))
    pandas_out = PandasMapper(policy_2025)(pd.DataFrame(people))
    for column, values in expected.items():
        assert arrow_out.column(column).to_pylist() == values, column
        assert pandas_out[column].tolist() == values, column
