"""Output rows in the reader's language: status words, row errors and scheme messages.

English output keeps the codes programs read (``eligible``, field names) and the messages as
the engine words them. Another language (``--lang zh``) is for the officials who read the file:
status words and messages come from the catalog, a field is named by the policy's label for it,
and a message that quotes the plan quotes it once, in the plan's words (``Message`` keeps what
the catalog needs to say it).
"""

from __future__ import annotations

from collections.abc import Mapping

from contribpolicy.errors import InputError
from contribpolicy.i18n import N_, Message, translator
from contribpolicy.model.policy import Policy
from contribpolicy.model.results import STATUS_WORDS

__all__ = ["Wording", "field_words"]

#: The roster's own fields, as an official calls them (a policy's inputs have labels).
_FIELDS = {
    "person_id": N_("person ID"),
    "id_number": N_("ID number"),
    "name": N_("name"),
    "village": N_("village"),
    "birth_date": N_("birth date"),
    "sex": N_("sex"),
    "residence": N_("residence"),
    "statuses": N_("statuses"),
    "cells": N_("cells"),
    "csv": N_("CSV row"),
}
_ROW_ERROR = N_("row {row}: {field}: {reason}")
_SCHEME_MESSAGE = N_("{scheme}: {message}")
#: Between the messages of a row's schemes.
_SEPARATOR = N_("; ")
#: The errors file's own columns, before the row's cells as read.
_ERRORS_HEADER = (N_("line"), N_("field"), N_("reason"))


def field_words(policy: Policy, lang: str) -> dict[str, str]:
    """Each roster field's name for a reader of ``lang``: the catalog's word for the roster's
    own fields, the policy's label for its inputs."""
    t = translator(lang)
    words = {field: t.gettext(word) for field, word in _FIELDS.items()}
    vocabulary = policy.vocabulary
    for labels in (vocabulary.flags, vocabulary.choices, vocabulary.numbers, vocabulary.amounts):
        words.update(labels)
    return words


class Wording:
    """Status words and messages of output rows for one policy and language."""

    def __init__(self, policy: Policy, lang: str) -> None:
        self._t = translator(lang)
        self._fields: Mapping[str, str] = field_words(policy, lang)
        self._schemes = {name: scheme.label for name, scheme in policy.schemes.items()}
        self.separator = self._t.gettext(_SEPARATOR)
        self.statuses: dict[str, str] = {
            str(code): self._t.gettext(word) for code, word in STATUS_WORDS.items()
        }

    def status(self, code: str) -> str:
        return self.statuses.get(code, code)

    def row_error(self, error: InputError) -> str:
        """A malformed row's message: the row, the field as the official calls it, the reason."""
        reason, field = self.reason(error), self.field(error.field)
        if error.row is None:
            return f"{field}: {reason}"
        return self._t.gettext(_ROW_ERROR, row=error.row, field=field, reason=reason)

    def field(self, name: str) -> str:
        """A roster field as the official calls it (the policy's label for its inputs)."""
        return self._fields.get(name, name)

    def errors_header(self) -> list[str]:
        """The first columns of the errors file (``--errors``): line, field, reason."""
        return [self._t.gettext(word) for word in _ERRORS_HEADER]

    def reason(self, error: InputError) -> str:
        """The error's reason from the catalog, a message inside it translated in turn (the
        sexes of "女 disagrees with the ID number, whose 17th digit says 男")."""
        if error.template is None:
            return error.translated(self._t.gettext)
        return self._t.message(Message(error.template, **error.values))

    def scheme_message(self, scheme: str, message: str) -> str:
        text = self._t.message(message, **self._fields)
        return self._t.gettext(_SCHEME_MESSAGE, scheme=self._schemes[scheme], message=text)
