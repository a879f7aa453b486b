"""Faults while writing: an interrupted batch leaves the previous output as it was.

`batch -o OUT` writes to a temporary file beside OUT and renames it only when complete. Killed
outright (SIGKILL), interrupted (Ctrl-C, SIGINT) or out of disk space, a run never leaves a
truncated OUT that looks finished; and the same policy and roster always give the same bytes.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

from contribpolicy.cli import _batch, run
from contribpolicy.support.atomic import atomic_writer

ROOT = Path(__file__).resolve().parent.parent
POLICY = str(ROOT / "policies" / "2025.yaml")
EXAMPLE = ROOT / "examples" / "roster-2025.csv"
PREVIOUS = "person_id,message\nfrom the previous run,complete\n"


def big_roster(path: Path, copies: int) -> Path:
    """The bundled roster's rows ``copies`` times, each copy's person_ids made unique."""
    header, *rows = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(header)
        for copy in range(copies):
            out.writelines(f"{copy}-{row}" for row in rows)
    return path


def batch_process(roster: Path, output: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "contribpolicy", "batch", POLICY, str(roster), "-o"]
    return subprocess.Popen(
        [*command, str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def temporary_files(output: Path) -> list[Path]:
    return sorted(output.parent.glob(f".{output.name}.*.tmp"))


def _writing(output: Path) -> bool:
    """Whether a temporary file beside ``output`` holds something. One may vanish between
    listing and looking: a run that gives up a temporary file (the columnar path starting
    again row by row) removes it, and that is no fault of the run."""
    for path in temporary_files(output):
        try:
            if path.stat().st_size > 0:
                return True
        except FileNotFoundError:
            continue
    return False


def wait_until_writing(process: subprocess.Popen[bytes], output: Path) -> None:
    """Until the run has written into its temporary file; fails if it finishes first (and
    then stops the process, so no other test meets it still running)."""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            assert process.poll() is None, "the batch finished before it could be interrupted"
            if _writing(output):
                return
            time.sleep(0.005)
        raise AssertionError("the batch did not start writing within a minute")
    except BaseException:
        process.kill()
        process.communicate(timeout=60)
        raise


@pytest.fixture(scope="module")
def roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_roster(tmp_path_factory.mktemp("roster") / "roster.csv", copies=400)


def test_killed_run_leaves_the_previous_output(roster: Path, tmp_path: Path) -> None:
    """SIGKILL half-way: OUT still holds the previous run's file; only the temporary file,
    which no one mistakes for output, is left beside it."""
    output = tmp_path / "out.csv"
    output.write_text(PREVIOUS, encoding="utf-8")
    process = batch_process(roster, output)
    wait_until_writing(process, output)
    process.kill()
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert [path.name for path in tmp_path.iterdir() if path != output] == [
        path.name for path in temporary_files(output)
    ]


@pytest.mark.parametrize(
    ("sent", "said"),
    [(signal.SIGINT, "interrupted"), (signal.SIGTERM, "terminated (SIGTERM)")],
    ids=["sigint", "sigterm"],
)
def test_ctrl_c_leaves_the_previous_output_and_no_temporary_file(
    roster: Path, tmp_path: Path, sent: signal.Signals, said: str
) -> None:
    """SIGINT (Ctrl-C) or SIGTERM (a service stopped) half-way: exit 2, OUT unchanged, the
    temporary file removed (SIGTERM used to leave it and say nothing)."""
    output = tmp_path / "out.csv"
    output.write_text(PREVIOUS, encoding="utf-8")
    process = batch_process(roster, output)
    wait_until_writing(process, output)
    process.send_signal(sent)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.decode().endswith(f"{said}; {output} is unchanged\n")
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(tmp_path.iterdir()) == [output]


class _Failing:
    """A text file that raises ``error`` once more than ``after`` characters were written."""

    def __init__(self, handle: IO[str], after: int, error: BaseException) -> None:
        self.handle = handle
        self.left = after
        self.error = error

    def write(self, text: str) -> int:
        self.left -= len(text)
        if self.left < 0:
            raise self.error
        return self.handle.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def failing_writer(after: int, error: BaseException) -> Callable[..., Any]:
    @contextmanager
    def writer(path: str | Path, **kwargs: Any) -> Iterator[Any]:
        with atomic_writer(path, **kwargs) as handle:
            yield _Failing(handle, after, error)

    return writer


def run_batch_command(*args: str) -> tuple[int, str]:
    out, err = _Streams(), _Streams()
    code = run(["batch", POLICY, str(EXAMPLE), *args], out, err)  # type: ignore[arg-type]
    return code, err.text


class _Streams:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("error", "message"),
    [
        pytest.param(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "No space", id="disk-full"),
        pytest.param(KeyboardInterrupt(), "interrupted", id="keyboard-interrupt"),
    ],
)
def test_failure_while_writing_keeps_the_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException, message: str
) -> None:
    """A full disk or Ctrl-C after 5000 characters: exit 2, OUT unchanged, no temporary file."""
    output = tmp_path / "out.csv"
    output.write_text(PREVIOUS, encoding="utf-8")
    monkeypatch.setattr(_batch, "atomic_writer", failing_writer(5000, error))
    code, err = run_batch_command("-o", str(output))
    assert code == 2
    assert message in err
    assert str(output) in err
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(tmp_path.iterdir()) == [output]


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    """Two runs, in processes with different hash seeds, give byte-identical CSV and summary
    JSON (the bundled roster has malformed and repeated rows, so messages are compared too)."""
    results = []
    for seed in ("1", "2"):
        output, summary = tmp_path / f"out-{seed}.csv", tmp_path / f"summary-{seed}.json"
        command = [sys.executable, "-m", "contribpolicy", "batch", POLICY, str(EXAMPLE)]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [*command, "-o", str(output), "--summary-json", str(summary)],
            check=True,
            capture_output=True,
            env=env,
        )
        results.append((output.read_bytes(), summary.read_bytes()))
    assert results[0] == results[1]
    assert results[0][0].count(b"\n") == 301
