"""Text people read, in Chinese or English, from one gettext message catalog.

Village agents and the subdistrict's staff read Chinese; developers and CI logs read English. The
code holds each message once, in English, marked for extraction; the translations live in
``locale/<lang>/LC_MESSAGES/contribpolicy.po`` (Babel extracts and compiles them: ``make
messages``, docs/messages.md). English is the source language and needs no catalog. The
compiled ``.mo`` files ship in the package, so a fresh
install needs nothing but the standard library's ``gettext`` to read them.

Use::

    from contribpolicy.i18n import N_, translator

    _SUMMARY = N_("rows: {rows}, malformed: {malformed}")   # marked, translated later
    t = translator("zh")
    t.gettext(_SUMMARY, rows=3, malformed=0)                 # '行数：3，格式错误：0'
    t.gettext("eligible")                                    # a literal is extracted too

Messages use ``str.format`` fields (``{rows}``) so a translation may reorder them.
"""

from __future__ import annotations

import functools
import gettext as _gettext
from importlib.resources import files
from typing import Final

__all__ = [
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "Message",
    "Translator",
    "UnknownLanguageError",
    "translator",
]

#: The languages a catalog ships for; the first is what a person reading a collection gets.
LANGUAGES: Final = ("zh", "en")
#: What commands speak unless told ``--lang``: the language the code's messages are written in.
DEFAULT_LANGUAGE: Final = "en"
#: The language the messages are written in, in the code: it needs no catalog.
SOURCE_LANGUAGE: Final = "en"
#: The gettext domain: the catalog files' name.
DOMAIN: Final = "contribpolicy"


class UnknownLanguageError(ValueError):
    """A language no catalog ships for; the message lists those that do."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        super().__init__(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; translate it where it is shown."""
    return message


class Message(str):
    """Text in English that remembers its catalog message and values, so a reader in another
    language gets it translated: ``Message(N_("{choice} {tier} is not offered"), choice=...,
    tier=...)``. It is a ``str`` everywhere else (a rule kind's ``state.fail`` takes one)."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, /, **values: object) -> Message:
        """The English text of ``template`` with ``values``, remembering both."""
        made = super().__new__(cls, template.format_map(values))
        made.template = template
        made.values = values
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (self.template, self.values))


def _message(template: str, values: dict[str, object]) -> Message:
    return Message(template, **values)


class Translator:
    """One language's messages: ``gettext``, ``ngettext`` and ``pgettext`` with format fields."""

    def __init__(self, lang: str, catalog: _gettext.NullTranslations) -> None:
        self.lang = lang
        self._catalog = catalog

    def gettext(self, message: str, /, **values: object) -> str:
        """The message in this language, with ``{name}`` fields filled from ``values``."""
        return _fill(self._catalog.gettext(message), values)

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        """The singular or plural form for ``count`` (passed to the fields as ``count``)."""
        text = self._catalog.ngettext(singular, plural, count)
        return _fill(text, {"count": count, **values})

    def message(self, text: str, **words: str) -> str:
        """``text`` in this language: a ``Message`` translated with its values (each value that
        is a key of ``words`` said as that word), any other text as the catalog has it."""
        if isinstance(text, Message):
            values = {name: self._value(value, words) for name, value in text.values.items()}
            return _fill(self._catalog.gettext(text.template), values)
        return self._catalog.gettext(text)

    def _value(self, value: object, words: dict[str, str]) -> object:
        """A message's value in this language: a message within it translated in turn (the
        range in "offered tiers: {offered}"), a word of ``words`` said as that word."""
        if isinstance(value, Message):
            return self.message(value, **words)
        return words.get(value, value) if isinstance(value, str) else value

    def pgettext(self, context: str, message: str, /, **values: object) -> str:
        """A short word whose translation depends on where it is shown (``context``)."""
        return _fill(self._catalog.pgettext(context, message), values)

    def __repr__(self) -> str:
        return f"Translator({self.lang!r})"


@functools.cache
def translator(lang: str = DEFAULT_LANGUAGE) -> Translator:
    """The translator for ``lang`` (``zh`` or ``en``); a missing catalog is an error, not English.

    A Chinese reader silently given English would be a wrong output, so a ``zh`` catalog that
    did not ship raises ``FileNotFoundError`` instead of falling back.
    """
    if lang not in LANGUAGES:
        raise UnknownLanguageError(lang)
    if lang == SOURCE_LANGUAGE:
        return Translator(lang, _gettext.NullTranslations())
    directory = files("contribpolicy.i18n").joinpath("locale")
    catalog = _gettext.translation(DOMAIN, str(directory), languages=[lang])
    return Translator(lang, catalog)


def _fill(text: str, values: dict[str, object]) -> str:
    return text.format_map(values) if values else text
