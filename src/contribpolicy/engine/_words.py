"""The words a roster may use for a coded value: the code, or the policy's own label for it.

Village agents type what the plan and the tax system's exports say (山城街道户籍, 一级残疾), not
the policy's codes (local, disability_1); the policy already holds those words as labels, so a
label is read as its code. Statuses may be separated the way Chinese text separates a list
(、，；) as well as by ``;``. A word that is neither a code nor a label is refused with the
closest one as a hint, never guessed (issue 12).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

from contribpolicy.errors import InputError
from contribpolicy.i18n import N_

__all__ = ["Words", "split_statuses"]

#: Between statuses in one cell: ``;`` and the Chinese list separators (顿号, full-width comma
#: and semicolon), and an ASCII comma (a quoted CSV cell may hold one).
_SEPARATORS = re.compile("[;；、，,]")
_NOT_ONE_OF = N_("{found!r} is not one of: {expected}")
_NOT_ONE_OF_CLOSE = N_("{found!r} is not one of: {expected}; did you mean {close!r}?")
_CUTOFF = 0.4


def split_statuses(text: str) -> list[str]:
    """The statuses in one cell, in order, without blanks."""
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip()]


class Words:
    """One vocabulary (code -> label): reading a code or a label as the code."""

    def __init__(self, field: str, vocabulary: Mapping[str, str]) -> None:
        self.field = field
        self.codes = tuple(vocabulary)
        self._by_word: dict[str, str] = {code: code for code in vocabulary}
        for code, label in vocabulary.items():
            self._by_word.setdefault(_plain(label), code)
        self._expected = ", ".join(f"{code} ({label})" for code, label in vocabulary.items())

    def code(self, word: str) -> str:
        """The code ``word`` stands for, or an ``InputError`` naming the closest word."""
        found = self._by_word.get(word)
        if found is None:
            found = self._by_word.get(_plain(word))
        if found is None:
            raise self.unknown(word)
        return found

    def unknown(self, word: str) -> InputError:
        """The error for a word that is no code or label, with the one closest to it when one
        is clearly closest ('disabled' is as close to each disability grade: no hint)."""
        close = _closest(word, self._by_word)
        expected = self._expected
        if close is not None:
            return InputError.of(
                self.field,
                _NOT_ONE_OF_CLOSE,
                value=word,
                found=word,
                expected=expected,
                close=close,
            )
        return InputError.of(self.field, _NOT_ONE_OF, value=word, found=word, expected=expected)


def _closest(word: str, choices: Mapping[str, str]) -> str | None:
    """The choice most like ``word``, if it is like enough and no other is as like it (two
    choices naming one code, its code and label, are one choice)."""
    matcher = difflib.SequenceMatcher(b=word)
    scores: dict[str, tuple[float, str]] = {}
    for choice, code in choices.items():
        matcher.set_seq1(choice)
        score = matcher.ratio()
        if score >= _CUTOFF and score > scores.get(code, (0.0, ""))[0]:
            scores[code] = (score, choice)
    ranked = sorted(scores.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[1][0] == ranked[0][0]):
        return None
    return ranked[0][1]


def _plain(word: str) -> str:
    """A word without surrounding or inner white space (an official's stray spaces)."""
    return "".join(word.split())
