"""Sex as a fact: from the 18-digit ID number (GB 11643: an odd 17th digit is male) or a ``sex``
field, for a policy that declares ``inputs.sex``. Both given must agree; neither is refused,
never guessed (a missing "female" flag once silently meant male)."""

from __future__ import annotations

from collections.abc import Mapping

from contribpolicy.engine.idnumber import sex_of
from contribpolicy.errors import InputError
from contribpolicy.i18n import N_, Message

__all__ = ["sex_of_record", "sex_words"]

_REQUIRED = N_("is required when there is no id_number: the policy reads it")
_DISAGREES = N_("{given} disagrees with the ID number, whose 17th digit says {from_id}")
_NOT_TEXT = N_("expected text, found {found}")
_NOT_ONE_OF = N_("expected one of {expected}, found {found!r}")
#: The sexes in a message, in the reader's language (the codes in English).
_SEX_WORDS = {"male": N_("male"), "female": N_("female")}


def sex_words(labels: Mapping[str, str]) -> dict[str, str]:
    """What a ``sex`` cell may hold, lower-cased: the codes, their labels, and common forms."""
    words = {"male": "male", "female": "female", "m": "male", "f": "female"}
    words |= {"男": "male", "女": "female", "男性": "male", "女性": "female"}
    words |= {label.lower(): code for code, label in labels.items()}
    return words


def sex_of_record(words: Mapping[str, str] | None, value: object, id_number: str | None) -> str:
    """``male`` or ``female`` for a record: its checked ID number's, else its ``sex`` field's."""
    given = _given(words or {}, value)
    if id_number is None:
        if given is None:
            raise InputError.of("sex", _REQUIRED)
        return given
    from_id = sex_of(id_number)
    if given is not None and given != from_id:
        raise InputError.of(
            "sex",
            _DISAGREES,
            value=value,
            given=Message(_SEX_WORDS[given]),
            from_id=Message(_SEX_WORDS[from_id]),
        )
    return from_id


def _given(words: Mapping[str, str], value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError.of("sex", _NOT_TEXT, value=value, found=type(value).__name__)
    text = value.strip()
    if not text:
        return None
    found = words.get(text.lower())
    if found is None:
        expected = ", ".join(sorted(words))
        raise InputError.of("sex", _NOT_ONE_OF, value=value, expected=expected, found=text)
    return found
