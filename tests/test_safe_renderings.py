"""Renderings for people and tools that cannot be broken by what a policy or roster holds
(issue 12): markdown code spans nothing can close, SARIF results once each with fingerprints."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from _policy_edit import POLICY_TEXT, edit
from contribpolicy.cli import run

ROOT = Path(__file__).resolve().parent.parent
#: A title that closes a code span and opens a link and a script if pasted into one.
HOSTILE = "山城`](https://evil.example/x) <script>alert(1)</script> ``[y](javascript:z)`"


def cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO())
    return code, out.getvalue() + err.getvalue()


def test_markdown_diff_keeps_a_hostile_title_in_a_code_span(tmp_path: Path) -> None:
    """The changed title, backticks and all, is shown as text: the rendered summary has no
    link and no script, and the title is whole inside one <code> element."""
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    title = "title: 山城街道2025年度城乡居民基本养老、基本医疗保险缴费政策\n"
    old.write_text(POLICY_TEXT, encoding="utf-8")
    new.write_text(edit((title, f"title: {json.dumps(HOSTILE)}\n")), encoding="utf-8")
    code, text = cli("diff", str(old), str(new), "--format", "markdown")
    assert code in (0, 1), text
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert "<a " not in html
    assert "<script" not in html
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in html


@pytest.mark.parametrize("value", ["`", "``x``", "` x `", "a|b", "line\nbreak", ""])
def test_code_span_holds_any_text(value: str) -> None:
    """Whatever the text, the code span renders exactly it (white space runs as one space)."""
    from contribpolicy.diff._markdown import _code

    span = _code(value)
    if not value:
        assert span == ""
        return
    html = MarkdownIt("commonmark").render(span)
    expected = " ".join(value.split()).replace("<", "&lt;")
    assert html == f"<p><code>{expected}</code></p>\n"


def test_sarif_reports_a_base_policy_finding_once_with_a_fingerprint(tmp_path: Path) -> None:
    """Checking a base policy and a policy that extends it finds the base's problem through
    both: the SARIF log holds it once, with a stable partial fingerprint."""
    unread = ("    disability_4: 四级残疾\n", "    disability_4: 四级残疾\n    veteran: 退役军人\n")
    base = tmp_path / "2025.yaml"
    base.write_text(edit(unread), encoding="utf-8")
    child = tmp_path / "2026.yaml"
    child.write_text((ROOT / "policies" / "2026.yaml").read_text(encoding="utf-8"), "utf-8")
    _, text_report = cli("check", str(base), str(child))
    assert text_report.count("status 'veteran' is declared but no rule reads it") == 2
    code, text = cli("check", str(base), str(child), "--format", "sarif")
    assert code == 1
    results = json.loads(text)["runs"][0]["results"]
    prints = [result["partialFingerprints"]["contribpolicy/v1"] for result in results]
    assert len(prints) == len(set(prints))
    veteran = [r for r in results if "'veteran'" in r["message"]["text"]]
    assert len(veteran) == 1
    keys = [(r["ruleId"], json.dumps(r["locations"]), r["message"]["text"]) for r in results]
    assert len(keys) == len(set(keys))
    _, again = cli("check", str(base), str(child), "--format", "sarif")
    assert [r["partialFingerprints"] for r in json.loads(again)["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in results
    ]
