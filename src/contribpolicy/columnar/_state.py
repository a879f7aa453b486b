"""The columnar form of ``SchemeState``: one scheme's running amounts for a block of people.

Amounts are int64 arrays of minor units (fen when ``money.places`` is 2), never floats. Each
method mirrors its per-person namesake on the rows of ``where`` only: ``cover`` moves at most
what is still owed, ``add`` puts an amount on top, ``reject`` and ``fail`` stop the scheme.
Shares are rounded by integer arithmetic that gives Decimal's result (``_columnar_money``).
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import numpy as np
import numpy.typing as npt

from contribpolicy.columnar._money import round_share, to_units
from contribpolicy.columnar._texts import Texts
from contribpolicy.model.results import STATUSES, Status

__all__ = [
    "ELIGIBLE",
    "ERROR",
    "INELIGIBLE",
    "NOT_PAYING",
    "REFERRED",
    "ColumnState",
    "SchemeColumns",
]

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

#: Status codes of ``SchemeColumns.status``: ``Status.code``, read back by ``STATUSES[code]``.
ELIGIBLE, INELIGIBLE, ERROR = Status.ELIGIBLE.code, Status.INELIGIBLE.code, Status.ERROR.code
NOT_PAYING, REFERRED = Status.NOT_PAYING.code, Status.REFERRED.code
#: Each code's status word, for Arrow's ``take`` (the values of ``Status``, in code order).
STATUS_NAMES = tuple(status.value for status in STATUSES)


class ColumnState:
    """One scheme's amounts for ``size`` people while its rules run, in rule order.

    ``individual_part``, ``covered``, ``sponsor``, each ``government[component]``, ``tier`` and
    ``tier_units`` are int64 arrays (amounts in minor units; ``tier`` in whole units and
    ``tier_units`` in minor units, meaningful where ``has_tier``);
    ``ineligible`` and ``error`` say where the scheme stopped, ``message`` the code of the
    reason in ``messages``. Rules may assign ``individual_part[where] = ...`` directly.
    """

    __slots__ = (
        "bases",
        "covered",
        "error",
        "government",
        "has_tier",
        "individual_part",
        "ineligible",
        "message",
        "messages",
        "not_paying",
        "places",
        "referred",
        "rounding",
        "size",
        "sponsor",
        "tier",
        "tier_units",
    )

    def __init__(self, size: int, places: int, rounding: str) -> None:
        self.size = size
        self.places = places
        self.rounding = rounding
        self.individual_part = np.zeros(size, dtype=np.int64)
        self.covered = np.zeros(size, dtype=np.int64)
        self.sponsor = np.zeros(size, dtype=np.int64)
        self.government: dict[str, IntArray] = {}
        self.tier = np.zeros(size, dtype=np.int64)
        #: The tier in minor units (a tier in fen has no whole ``tier``: its whole part).
        self.tier_units = np.zeros(size, dtype=np.int64)
        self.has_tier = np.zeros(size, dtype=np.bool_)
        #: As ``SchemeState.bases``, per row (0 where not set), in minor units.
        self.bases: dict[str, IntArray] = {}
        self.ineligible = np.zeros(size, dtype=np.bool_)
        self.error = np.zeros(size, dtype=np.bool_)
        self.not_paying = np.zeros(size, dtype=np.bool_)
        self.referred = np.zeros(size, dtype=np.bool_)
        self.message = np.full(size, -1, dtype=np.int32)
        self.messages: list[str] = []

    @property
    def remaining(self) -> IntArray:
        """What each person still owes."""
        return self.individual_part - self.covered

    @property
    def stopped(self) -> BoolArray:
        return self.ineligible | self.error | self.not_paying | self.referred

    def units(self, amount: Decimal | int) -> int:
        """A policy amount (already rounded to ``money.places``) in minor units."""
        return to_units(amount, self.places)

    def share_of(self, amounts: IntArray, share: Decimal) -> IntArray:
        """``round(amount * share)`` for amounts in minor units, as the rounding function of
        ``BuildContext.rounding()`` computes it per person."""
        return round_share(amounts, share, self.places, self.rounding)

    def base(self, name: str) -> IntArray:
        """The base ``name`` per row (zeros where no rule set it)."""
        found = self.bases.get(name)
        return np.zeros(self.size, dtype=np.int64) if found is None else found

    def set_base(self, name: str, amount: IntArray | int, where: BoolArray) -> None:
        """Set the base ``name`` on the rows of ``where``."""
        target = self.bases.get(name)
        if target is None:
            target = self.bases[name] = np.zeros(self.size, dtype=np.int64)
        target[where] = amount if isinstance(amount, int) else amount[where]

    def component(self, name: str) -> IntArray:
        """The amounts booked to a government component so far (zeros if none)."""
        found = self.government.get(name)
        return np.zeros(self.size, dtype=np.int64) if found is None else found

    def add(self, component: str, amount: IntArray | int, where: BoolArray) -> None:
        """Put a government amount on top of the individual part, on the rows of ``where``."""
        target = self.government.get(component)
        if target is None:
            target = self.government[component] = np.zeros(self.size, dtype=np.int64)
        np.add(target, np.where(where, amount, 0), out=target)

    def cover(self, component: str, amount: IntArray | int, where: BoolArray) -> None:
        """Move up to ``amount`` of what each person still owes to ``component`` (the sponsor
        when it is ``"sponsor"``), never more than is left, on the rows of ``where``."""
        paid = np.minimum(amount, self.remaining)
        paid = np.where(where & (paid > 0), paid, 0)
        self.covered += paid
        if component == "sponsor":
            self.sponsor += paid
        else:
            target = self.government.get(component)
            if target is None:
                target = self.government[component] = np.zeros(self.size, dtype=np.int64)
            target += paid

    def reject(self, where: BoolArray, message: str | Texts) -> None:
        """The people of ``where`` are not covered by this scheme (status ``ineligible``);
        ``message`` is one text for all, or a ``Texts`` with one per row of ``where``."""
        self._stop(self.ineligible, where, message)

    def fail(self, where: BoolArray, message: str | Texts) -> None:
        """The records of ``where`` ask for something the plan does not allow (``error``)."""
        self._stop(self.error, where, message)

    def skip(self, where: BoolArray, message: str | Texts) -> None:
        """The people of ``where`` are eligible but not paying this year (``not_paying``)."""
        self._stop(self.not_paying, where, message)

    def refer(self, where: BoolArray, message: str | Texts) -> None:
        """The people of ``where`` are referred for determination (核定, ``referred``)."""
        self._stop(self.referred, where, message)

    def _stop(self, stopped: BoolArray, where: BoolArray, message: str | Texts) -> None:
        rows = np.flatnonzero(where)
        if not rows.size:
            return
        texts = Texts.constant(rows.size, message) if isinstance(message, str) else message
        if len(texts) != rows.size:
            raise ValueError(f"{len(texts)} messages for {rows.size} rows")
        self.message[rows] = texts.codes + len(self.messages)
        self.messages.extend(texts.table)
        stopped[rows] = True

    def result(self) -> SchemeColumns:
        """The scheme's outcome per person: as ``SchemeAssessment``, amounts 0 when stopped."""
        stopped = self.stopped
        government = np.zeros(self.size, dtype=np.int64)
        for amounts in self.government.values():
            government += amounts
        individual = np.where(stopped, 0, self.remaining)
        government = np.where(stopped, 0, government)
        sponsor = np.where(stopped, 0, self.sponsor)
        status = np.select(
            [self.ineligible, self.error, self.referred, self.not_paying],
            [INELIGIBLE, ERROR, REFERRED, NOT_PAYING],
            ELIGIBLE,
        )
        return SchemeColumns(
            status.astype(np.int8),
            individual,
            government,
            sponsor,
            Texts(np.where(stopped, self.message, -1).astype(np.int32), tuple(self.messages)),
        )


@attrs.frozen(eq=False)
class SchemeColumns:
    """One scheme's outcome per person: status code, amounts in minor units, message (code -1
    where there is none)."""

    status: npt.NDArray[np.int8]
    individual: IntArray
    government: IntArray
    sponsor: IntArray
    message: Texts

    @property
    def total(self) -> IntArray:
        return self.individual + self.government + self.sponsor
