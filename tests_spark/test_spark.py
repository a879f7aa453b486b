"""Rosters on Spark: mapInArrow with the policy shipped to the executors gives the local table.

Run by ``make test-spark`` (PySpark in its own virtualenv, the machine's Java 17), not by
``make test``: this folder is outside the default test paths, so it is never silently skipped.
"""

# pyspark is not installed where mypy runs, and pyarrow ships no type information.
# mypy: disable-error-code="import-not-found,import-untyped"

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pytest
from pyspark.sql import SparkSession

import contribpolicy
from contribpolicy import Policy
from contribpolicy.columnar import ArrowMapper, evaluate_table, spark_schema

ROOT = Path(__file__).resolve().parent.parent
# PySpark checks the pandas version it finds, and warns about pandas 3; mapInArrow uses no pandas.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@pytest.fixture(scope="module")
def policy_2025() -> Policy:
    """The bundled 2025 Shancheng policy (tests/conftest.py is not on this suite's path)."""
    return contribpolicy.load_policy(ROOT / "policies" / "2025.yaml")


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    # The workers must run the Python contribpolicy is installed in.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("contribpolicy-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def _roster(tmp_path: Path) -> Path:
    """A generated roster with malformed rows planted in it (none a cell short: Spark's CSV
    reader and Arrow's would disagree on those, which is not what this test is about)."""
    path = tmp_path / "roster.csv"
    generator = [sys.executable, str(ROOT / "examples" / "generate_roster.py")]
    options = ["--rows", "2000", "--seed", "17", "--with-bad-rows", "-o", str(path)]
    subprocess.run([*generator, *options], check=True)
    lines = path.read_text(encoding="utf-8").splitlines()
    width = lines[0].count(",")
    path.write_text("\n".join(line for line in lines if line.count(",") == width) + "\n", "utf-8")
    return path


def _local(policy: Policy, path: Path) -> list[dict[str, Any]]:
    """The same roster read as Spark reads it (text, empty cells null), assessed locally."""
    names = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    options = pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    table = pcsv.read_csv(path, convert_options=options)
    return list(evaluate_table(policy, table).to_pylist())


def test_spark_map_in_arrow_gives_the_single_process_table(
    spark: SparkSession, policy_2025: Policy, tmp_path: Path
) -> None:
    """A roster read by Spark in several partitions and assessed by mapInArrow on executors
    equals evaluate_table on the whole roster in this process, row for row."""
    path = _roster(tmp_path)
    roster = spark.read.csv(str(path), header=True).repartition(4)
    assessed = roster.mapInArrow(ArrowMapper(policy_2025), spark_schema(policy_2025))
    rows = [row.asDict() for row in assessed.collect()]
    local = _local(policy_2025, path)
    assert len(rows) == len(local) > 1900
    assert sorted(rows, key=repr) == sorted(local, key=repr)
    assert any(row["message"].startswith("birth_date:") for row in rows)
