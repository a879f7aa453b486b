"""Payment files: what was paid, by whom, for whom, checked row by row like a roster.

A payments file is what the tax system and the banks export after collection (五（三）): one row
per payment with ``person_id`` (or ``id_number``), ``scheme``, ``year`` (the coverage year paid
for), ``amount``, ``date``, ``channel`` and ``kind``. It is read by the roster's readers (CSV in
UTF-8 or GB18030, ``.xlsx``, Parquet; ``--columns`` maps a bank's own headers), so a payments
file is read exactly as a roster is. Every row comes out once: a ``Payment``, or the row's line
and the field that is wrong. Nothing is guessed: a blank channel is an error, not "self".

Channels (五（三）): ``agent`` 委托代收 (village agents), ``self`` 自行缴费 (e-tax, WeChat, bank),
``government`` 代缴 (the special channel for what the government pays for a person),
``sponsor`` 资助. Kinds: ``regular`` (the coverage year) and ``back_payment`` 补缴 (an earlier
year, which shortens a medical waiting period, 国办发〔2024〕38号).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import attrs

from contribpolicy.engine.idnumber import IdNumberProblem, normalize_id_number
from contribpolicy.engine.records import FORMULA_START
from contribpolicy.engine.values import ascii_form
from contribpolicy.errors import InputError
from contribpolicy.model.payment import Payment
from contribpolicy.model.policy import Policy
from contribpolicy.rosters._columns import ColumnMap
from contribpolicy.rosters._formats import open_roster
from contribpolicy.rosters.reader import RosterRow

__all__ = [
    "CHANNELS",
    "KINDS",
    "PAYMENT_COLUMNS",
    "Payment",
    "PaymentRow",
    "PaymentSource",
    "PaymentsFile",
    "open_payments",
    "parse_payment",
    "read_payments",
]

PAYMENT_COLUMNS = ("person_id", "id_number", "scheme", "year", "amount", "date", "channel", "kind")
#: Payment channels (五（三）1-3) in the order reports list them.
CHANNELS = ("agent", "self", "government", "sponsor")
KINDS = ("regular", "back_payment")
#: The words a Chinese export uses for them, read as the codes.
_CHANNEL_WORDS = {
    "委托代收": "agent",
    "代收": "agent",
    "自行缴费": "self",
    "自缴": "self",
    "代缴": "government",
    "政府代缴": "government",
    "资助": "sponsor",
}
_KIND_WORDS = {"正常": "regular", "当年": "regular", "补缴": "back_payment"}
#: No one payment is larger: the top pension tier is 8000 (五（一）); a larger one is a typing
#: error (40000 for 400.00), found here rather than as a puzzling overpayment.
MAX_PAYMENT = Decimal(100_000)


#: (line, the payment or None, the row's problem or None).
PaymentRow = tuple[int, Payment | None, InputError | None]


def _text(record: Mapping[str, str], field: str) -> str:
    return ascii_form(record.get(field, "") or "")


def _person(record: Mapping[str, str]) -> tuple[str | None, str | None]:
    person_id = (record.get("person_id") or "").strip() or None
    raw = _text(record, "id_number")
    if person_id is not None and person_id[0] in FORMULA_START - {"-"}:
        raise InputError("person_id", f"starts with {person_id[0]!r}", value=person_id)
    id_number = None
    if raw:
        try:
            id_number = normalize_id_number(raw)
        except IdNumberProblem as err:
            raise InputError("id_number", str(err), value=raw) from None
    if person_id is None and id_number is None:
        raise InputError("person_id", "is required (or id_number): whom is the payment for?")
    return person_id, id_number


def _year(record: Mapping[str, str], policy: Policy, kind: str) -> int:
    text = _text(record, "year")
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise InputError("year", f"expected a year such as 2025, found {text!r}", value=text)
    year = int(text)
    current = policy.coverage_year
    if kind == "regular" and year != current:
        hint = " (a payment for an earlier year is kind back_payment)" if year < current else ""
        raise InputError(
            "year", f"a regular payment is for {current}, the policy's year; found {year}{hint}"
        )
    if kind == "back_payment" and year >= current:
        raise InputError("year", f"a back payment is for a year before {current}, found {year}")
    return year


def _amount(record: Mapping[str, str], places: int) -> Decimal:
    text = _text(record, "amount")
    try:
        amount = Decimal(text) if text and text.replace(".", "", 1).isdigit() else None
    except ArithmeticError:
        amount = None
    if amount is None:
        raise InputError("amount", f"expected an amount such as 400.00, found {text!r}")
    if amount <= 0:
        raise InputError("amount", f"must be more than 0, found {text}")
    if amount > MAX_PAYMENT:
        raise InputError("amount", f"{amount} is over {MAX_PAYMENT} for one payment")
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise InputError("amount", f"has more than {places} decimal places: {text}")
    return amount


def _date(record: Mapping[str, str]) -> date:
    text = _text(record, "date")
    try:
        if len(text) == 10 and text[4] == "-" == text[7]:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError("date", f"expected a date YYYY-MM-DD, found {text!r}", value=text)


def _word(record: Mapping[str, str], field: str, words: Mapping[str, str], codes: Collection[str],
          default: str | None = None) -> str:  # fmt: skip
    text = _text(record, field)
    if not text and default is not None:
        return default
    code = words.get(text, text.lower())
    if code not in codes:
        raise InputError(field, f"expected one of {', '.join(codes)}, found {text!r}", value=text)
    return code


def parse_payment(record: Mapping[str, str], policy: Policy, line: int = 0) -> Payment:
    """The payment a row's cells describe; ``InputError`` naming the first wrong field.

    A blank ``kind`` is ``regular`` (most exports have no such column); a blank channel is
    an error: who paid decides who gets a refund (六（六）)."""
    person_id, id_number = _person(record)
    scheme = _text(record, "scheme")
    if scheme not in policy.schemes:
        raise InputError(
            "scheme", f"expected one of {', '.join(policy.schemes)}, found {scheme!r}", value=scheme
        )
    kind = _word(record, "kind", _KIND_WORDS, KINDS, default="regular")
    return Payment(
        scheme=scheme,
        year=_year(record, policy, kind),
        amount=_amount(record, policy.money.places),
        date=_date(record),
        channel=_word(record, "channel", _CHANNEL_WORDS, CHANNELS),
        kind=kind,
        person_id=person_id,
        id_number=id_number,
        line=line,
    )


@attrs.frozen
class PaymentSource:
    """An open payments file: its format and encoding, and its rows, each read once."""

    format: str
    encoding: str | None
    rows: Iterator[PaymentRow]


@contextmanager
def open_payments(
    path: str,
    policy: Policy,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    column_map: ColumnMap | None = None,
) -> Iterator[PaymentSource]:
    """The payments file at ``path``, its rows read one at a time (for files of millions).

    The header is checked at once (``InputError`` at its line): only payment columns, and a
    ``person_id`` or ``id_number`` column. Rows are ``(line, payment, None)`` or
    ``(line, None, problem)``, each row of the file once, in order."""
    with open_roster(
        path, PAYMENT_COLUMNS, encoding=encoding, sheet=sheet, column_map=column_map, required=()
    ) as source:
        header = set(source.reader.header)
        line = source.reader.header_line
        if not header & {"person_id", "id_number"}:
            raise InputError("person_id", "missing column: name person_id or id_number", row=line)
        for column in ("scheme", "year", "amount", "date", "channel"):
            if column not in header:
                raise InputError(column, "missing column", row=line)
        yield PaymentSource(source.format, source.encoding, _rows(source.reader, policy))


def _rows(reader: Iterable[RosterRow], policy: Policy) -> Iterator[PaymentRow]:
    for line, record, problem in reader:
        if problem is not None:
            yield line, None, problem
            continue
        try:
            yield line, parse_payment(record, policy, line), None
        except InputError as err:
            yield line, None, err.at_row(line)


@attrs.frozen
class PaymentsFile:
    """A payments file read whole: its payments and its bad rows (line, field, reason)."""

    path: str
    format: str
    payments: tuple[Payment, ...]
    problems: tuple[InputError, ...]

    @property
    def rows(self) -> int:
        """Data rows read: every one is a payment or a problem."""
        return len(self.payments) + len(self.problems)


def read_payments(
    path: str,
    policy: Policy,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    column_map: ColumnMap | None = None,
) -> PaymentsFile:
    """Every row of the payments file at ``path``: the payments, and the rows that are not.

    Raises ``InputError`` for a file that cannot be read as a whole (no header, an unknown
    column, not CSV text); a bad row is a problem of its own, never dropped."""
    payments: list[Payment] = []
    problems: list[InputError] = []
    with open_payments(
        path, policy, encoding=encoding, sheet=sheet, column_map=column_map
    ) as source:
        for _line, payment, problem in source.rows:
            if payment is not None:
                payments.append(payment)
            elif problem is not None:
                problems.append(problem)
        kind = source.format
    return PaymentsFile(path, kind, tuple(payments), tuple(problems))
