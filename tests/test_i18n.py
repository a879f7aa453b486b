"""The message catalog: in step with the code, translated, compiled, and read by the commands."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest

from contribpolicy.cli import run
from contribpolicy.i18n import LANGUAGES, N_, UnknownLanguageError, translator
from contribpolicy.model.results import STATUS_WORDS

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages_tool", ROOT / "tools" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalog_is_in_step_with_the_code() -> None:
    """Every marked message is in the zh catalog, translated with the same {fields}, and the
    shipped .mo is the compiled .po: `make messages` was run after the last change."""
    tool = _tool()
    source = tool.template()
    assert len(source) > 0
    assert tool.problems("zh", source) == []


def test_catalog_check_finds_a_new_untranslated_message(tmp_path: Path) -> None:
    """The check can fail: a message the catalog lacks is named."""
    tool = _tool()
    source = tool.template()
    source.add("a message nobody translated")
    problems = tool.problems("zh", source)
    assert any("a message nobody translated" in problem for problem in problems)


def test_chinese_status_words() -> None:
    """The status words an official reads in Chinese; English keeps the codes' words."""
    zh, en = translator("zh"), translator("en")
    words = list(STATUS_WORDS.values())
    assert [zh.gettext(word) for word in words] == [
        "符合条件",
        "不符合条件",
        "出错",
        "未缴费",
        "待核定",
    ]
    assert [en.gettext(word) for word in words] == [
        "eligible",
        "ineligible",
        "error",
        "not paying",
        "referred",
    ]


def test_fields_are_filled_in_either_language() -> None:
    """A message's {fields} are filled after translation, so a translation may reorder them."""
    assert translator("zh").gettext("{scheme} total", scheme="医保") == "医保合计"
    assert translator("en").gettext("{scheme} total", scheme="medical") == "medical total"


def test_unmarked_text_is_returned_as_is() -> None:
    """N_ only marks; a message the catalog does not know is shown as written (never blank)."""
    assert N_("x") == "x"
    assert translator("zh").gettext("not a catalog message") == "not a catalog message"


def test_unknown_language_lists_the_known_ones() -> None:
    with pytest.raises(UnknownLanguageError, match="zh, en"):
        translator("fr")
    assert LANGUAGES == ("zh", "en")


def test_lang_option_is_shared_and_checked() -> None:
    """--lang takes zh or en; anything else is a usage error naming the choices."""
    err = io.StringIO()
    code = run(["batch", "p.yaml", "r.csv", "--lang", "fr"], io.StringIO(), err)
    assert code == 2
    assert "'zh', 'en'" in err.getvalue()
