"""Keep the message catalog in step with the code: extract, merge, compile, check (Babel).

``python tools/messages.py`` (``make messages``) extracts every marked message from
src/contribpolicy, merges them into ``locale/zh/LC_MESSAGES/contribpolicy.po`` (new ones with
an empty translation, gone ones dropped) and compiles the ``.mo`` that ships in the package.
``python tools/messages.py --check`` changes nothing and says what is out of step; the test suite
runs the same check (tests/test_i18n.py), so a message without a Chinese translation, or a
translation that lost a ``{field}``, fails ``make test``.

English is the language the messages are written in, so it needs no catalog. The files are
written without line numbers or dates, so helpers working in parallel rarely conflict on them.
"""

from __future__ import annotations

import argparse
import datetime
import gettext
import io
import string
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "contribpolicy"
LOCALE = SOURCE / "i18n" / "locale"
DOMAIN = "contribpolicy"
#: Languages with a catalog; English is the source language.
TRANSLATED = ("zh",)
#: A fixed date in the headers, so running the tool twice changes nothing.
_EPOCH = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)

Key = str | tuple[str, str]


def template() -> Catalog:
    """Every message marked in the source, as an empty catalog."""
    catalog = Catalog(project=DOMAIN, domain=DOMAIN, creation_date=_EPOCH, fuzzy=False)
    found = extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python")],
        keywords=DEFAULT_KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def merged(lang: str, source: Catalog) -> Catalog:
    """The language's catalog with the source's messages: translations kept, new ones empty."""
    path = po_path(lang)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project=DOMAIN, fuzzy=False)
    catalog.update(source, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.revision_date = _EPOCH
    catalog.creation_date = _EPOCH
    catalog.fuzzy = False
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, no_location=True, sort_output=True, ignore_obsolete=True)
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def problems(lang: str, source: Catalog) -> list[str]:
    """What is out of step for one language: messages, translations, the compiled file."""
    path = po_path(lang)
    if not path.exists():
        return [f"{path}: missing; run `make messages`"]
    with path.open("rb") as handle:
        on_disk = read_po(handle, locale=lang, domain=DOMAIN)
    found = [*_new_or_gone(path, source, on_disk), *_untranslated(path, on_disk)]
    return found + _stale_mo(path, on_disk)


def _keys(catalog: Catalog) -> set[Key]:
    return {_key(message) for message in catalog if message.id}


def _key(message: Message) -> Key:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context, ident) if message.context else ident


def _new_or_gone(path: Path, source: Catalog, on_disk: Catalog) -> list[str]:
    wanted, have = _keys(source), _keys(on_disk)
    run = "run `make messages`"
    found = [f"{path}: not in the catalog: {key!r}; {run}" for key in wanted - have]
    found += [f"{path}: no longer in the code: {key!r}; {run}" for key in have - wanted]
    return sorted(found)


def _untranslated(path: Path, catalog: Catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id:
            continue
        texts = [message.string] if isinstance(message.string, str) else list(message.string or [])
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        if message.fuzzy or not all(texts):
            found.append(f"{path}: no translation for {_key(message)!r}")
        elif any(not _fields(text) <= _fields(ids[0]) for text in texts):
            # A translation may leave a field out (the plan's words alone, not also a gloss),
            # never name one the message does not fill.
            found.append(f"{path}: the translation of {_key(message)!r} adds a {{field}}")
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _stale_mo(path: Path, catalog: Catalog) -> list[str]:
    mo_path = path.with_suffix(".mo")
    if not mo_path.exists():
        return [f"{mo_path}: missing; run `make messages`"]
    with mo_path.open("rb") as handle:
        shipped = gettext.GNUTranslations(handle)
    compiled = gettext.GNUTranslations(io.BytesIO(mo_bytes(catalog)))
    if _entries(shipped) != _entries(compiled):
        return [f"{mo_path}: older than its .po; run `make messages`"]
    return []


def _entries(translations: gettext.GNUTranslations) -> dict[object, object]:
    entries: dict[object, object] = getattr(translations, "_catalog", {})
    return {key: value for key, value in entries.items() if key != ""}


def update(languages: Iterable[str] = TRANSLATED) -> None:
    """Extract, merge and compile: the files ``make messages`` writes."""
    source = template()
    for lang in languages:
        catalog = merged(lang, source)
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(po_bytes(catalog))
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        missing = sum(1 for message in catalog if message.id and not message.string)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, {missing} to translate")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="change nothing; say what is stale")
    args = parser.parse_args(argv)
    if not args.check:
        update()
    source = template()
    found = [problem for lang in TRANSLATED for problem in problems(lang, source)]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
