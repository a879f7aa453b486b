"""What a policy's `extends:` may name (issue 15, items 2 and 10).

`extends:` naming a FIFO hung forever; `extends: /etc/shadow` showed the file's first line in an
"unknown key" message; a chain of about 495 files ended in a RecursionError. A base is now a
regular file below the policy's own folder (or a folder the caller allows), links resolved; a
file that is not a policy is never quoted; the chain length is a declared limit.
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

import contribpolicy
from _policy_edit import POLICY_TEXT, write
from contribpolicy import Limits, PolicyError, PolicyIssue
from contribpolicy.cli import run

SECRET = "root:$6$s3cr3t-hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def issues(path: Path, **options: object) -> tuple[PolicyIssue, ...]:
    with pytest.raises(PolicyError) as caught:
        contribpolicy.load_policy(path, **options)  # type: ignore[arg-type]
    return caught.value.issues


def child(folder: Path, base: str, name: str = "child.yaml") -> Path:
    return write(folder, f"extends: {base}\nid: child\n", name)


def test_base_outside_the_policy_folder_is_refused(tmp_path: Path) -> None:
    """An absolute path elsewhere: semantic.extends-outside at the extends line, nothing read."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write(elsewhere, SECRET, "shadow")
    folder = tmp_path / "policies"
    folder.mkdir()
    path = child(folder, str(elsewhere / "shadow"))
    (issue,) = issues(path)
    assert (issue.code, issue.location.line, issue.location.column) == (
        "semantic.extends-outside",
        1,
        10,
    )
    assert "s3cr3t" not in str(issue)
    assert "daemon" not in str(issue)


def test_dot_dot_and_symlinks_out_of_the_folder_are_refused(tmp_path: Path) -> None:
    """`../x` and a link inside the folder pointing out of it are outside, links resolved."""
    write(tmp_path, POLICY_TEXT, "outside.yaml")
    folder = tmp_path / "policies"
    folder.mkdir()
    (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    for base in ("../outside.yaml", "link.yaml"):
        (issue,) = issues(child(folder, base))
        assert issue.code == "semantic.extends-outside", base


def test_caller_may_allow_another_folder(tmp_path: Path) -> None:
    """base_folders= (and contribpolicy --base-folder DIR) let a base outside be read."""
    write(tmp_path, POLICY_TEXT, "base.yaml")
    folder = tmp_path / "district"
    folder.mkdir()
    path = child(folder, "../base.yaml")
    policy = contribpolicy.load_policy(path, base_folders=[tmp_path])
    assert policy.id == "child"
    out, err = io.StringIO(), io.StringIO()
    assert run(["--base-folder", str(tmp_path), "validate", str(path)], out, err) == 0, err
    assert run(["validate", str(path)], io.StringIO(), err) == 1


def test_non_policy_base_is_never_quoted(tmp_path: Path) -> None:
    """A passwd-like file in the folder: "not a policy file", not its keys in unknown-key errors."""
    write(tmp_path, SECRET, "shadow")
    (issue,) = issues(child(tmp_path, "shadow"))
    assert issue.code == "semantic.extends-base"
    assert str(issue).endswith("is not a policy file: it has no format: or extends: at its top")
    assert "s3cr3t" not in str(issue)


def test_unparsable_non_policy_base_is_never_quoted(tmp_path: Path) -> None:
    """A file that is not even YAML (a private key, say) is not a policy either."""
    write(tmp_path, "-----BEGIN KEY-----\n\tk3y: [\n", "id_key")
    (issue,) = issues(child(tmp_path, "id_key"))
    assert issue.code == "semantic.extends-base"
    assert "k3y" not in str(issue)


def test_broken_base_policy_still_reports_its_own_errors(tmp_path: Path) -> None:
    """A real policy with a mistake in it is a policy: its errors are shown, in its file."""
    base = write(
        tmp_path, POLICY_TEXT.replace("coverage_year: 2025", "coverage_year: [2025"), "b.yaml"
    )
    (issue,) = issues(child(tmp_path, "b.yaml"))
    assert issue.location.file == str(base)
    assert issue.code == "yaml.syntax"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_fifo_base_is_refused_without_blocking(tmp_path: Path) -> None:
    """extends naming a FIFO with no writer hung forever; now io.read saying what it is."""
    os.mkfifo(tmp_path / "base.yaml")
    found: list[tuple[PolicyIssue, ...]] = []
    worker = threading.Thread(
        target=lambda: found.append(issues(child(tmp_path, "base.yaml"))), daemon=True
    )
    worker.start()
    worker.join(10)
    assert found, "loading a policy whose base is a FIFO blocked"
    (issue,) = found[0]
    assert issue.code == "io.read"
    assert "FIFO" in issue.message


def test_device_base_is_refused(tmp_path: Path) -> None:
    """A link to /dev/zero inside the folder resolves outside it; allowed, it is not a file."""
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (issue,) = issues(child(tmp_path, "zero.yaml"), base_folders=["/dev"])
    assert issue.code == "io.read"
    assert "character device" in issue.message


def test_long_extends_chain_is_a_declared_limit(tmp_path: Path) -> None:
    """600 layers (495 raised RecursionError): semantic.extends-depth at the 16th extends."""
    write(tmp_path, POLICY_TEXT, "l0.yaml")
    for level in range(1, 600):
        write(tmp_path, f"extends: l{level - 1}.yaml\n", f"l{level}.yaml")
    (issue,) = issues(tmp_path / "l599.yaml")
    assert issue.code == "semantic.extends-depth"
    assert issue.location.file == str(tmp_path / "l584.yaml")
    assert "max_extends_depth (16)" in issue.message


def test_extends_depth_can_be_raised(tmp_path: Path) -> None:
    write(tmp_path, POLICY_TEXT, "l0.yaml")
    for level in range(1, 40):
        write(tmp_path, f"extends: l{level - 1}.yaml\n", f"l{level}.yaml")
    policy = contribpolicy.load_policy(tmp_path / "l39.yaml", limits=Limits(max_extends_depth=40))
    assert len(policy.layers) == 40
