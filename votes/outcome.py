"""Article 27 of the Charter: the one place where an outcome is decided.

Everything in the product that says "adopted", "vetoed" or "not adopted", and
everything that counts them, goes through :func:`decide`. It is a pure
function: no database, no settings, so it can be tested exhaustively.

The rules (see ../shared/docs/domain.md):

* 7 affirmative votes of 11 members up to 31 December 1965; 9 of 15 from
  1 January 1966 (GA resolution 1991 A (XVIII) enlarged the Council).
* On a non-procedural draft that has the required majority, a negative vote of
  a permanent member is a veto. An abstention, absence or non-participation of
  a permanent member is never a veto (ICJ, Namibia opinion, 1971).
* A draft that lacks the majority is "not adopted", whatever the permanent
  members did: that is not a veto.
* A procedural draft cannot be vetoed.
* A draft adopted without a vote (or by acclamation) is adopted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from votes.choices import Basis, Modality, Outcome, Position
from votes.seats import SEAT_ORDER, seat_sort_key

ENLARGEMENT = date(1966, 1, 1)
"""First day of the 15-member Council."""


def council_size(on: date) -> int:
    """How many members sit on the Council on a date under the Charter."""
    return 11 if on < ENLARGEMENT else 15


def required_majority(on: date) -> int:
    """Affirmative votes needed for any decision on a date."""
    return 7 if on < ENLARGEMENT else 9


@dataclass(frozen=True)
class Tally:
    """A yes–no–abstain tally, with the members who cast no vote."""

    yes: int
    no: int
    abstain: int
    non_voting: int = 0

    def __post_init__(self):
        if min(self.yes, self.no, self.abstain, self.non_voting) < 0:
            raise ValueError(f"negative count in tally {self}")

    @classmethod
    def count(cls, positions: Iterable[str]) -> Tally:
        counts = dict.fromkeys(Position.values, 0)
        for position in positions:
            counts[Position(position).value] += 1
        return cls(
            yes=counts[Position.YES],
            no=counts[Position.NO],
            abstain=counts[Position.ABSTAIN],
            non_voting=counts[Position.NON_VOTING],
        )

    @property
    def members(self) -> int:
        return self.yes + self.no + self.abstain + self.non_voting

    def __str__(self) -> str:
        return f"{self.yes}–{self.no}–{self.abstain}"


@dataclass(frozen=True)
class Ballot:
    """One member's vote. ``seat`` is the permanent seat it holds that day, if any."""

    position: str
    seat: str | None = None


@dataclass(frozen=True)
class Decision:
    """Everything known about one vote of the Council."""

    on: date
    procedural: bool = False
    modality: str = Modality.RECORDED_VOTE
    ballots: Sequence[Ballot] = ()
    # Members sitting that day, when known; otherwise the Charter's number.
    members: int | None = None
    # Totals as a source or an editor recorded them.
    recorded: Tally | None = None
    # Permanent seats known (e.g. from a veto list) to have voted no, for when
    # the member-by-member breakdown is incomplete.
    permanent_no: frozenset[str] = field(default_factory=frozenset)
    # What a source said happened: only used when there is nothing to count.
    stated: str | None = None


@dataclass(frozen=True)
class Result:
    outcome: str
    vetoed_by: tuple[str, ...]
    tally: Tally | None
    required: int
    basis: str

    @property
    def is_veto(self) -> bool:
        return self.outcome == Outcome.VETOED


def decide(decision: Decision) -> Result:
    """Apply Article 27 to one vote."""
    required = required_majority(decision.on)

    if decision.modality in (Modality.WITHOUT_VOTE, Modality.ACCLAMATION):
        return Result(Outcome.ADOPTED, (), None, required, Basis.WITHOUT_VOTE)

    members = _sitting(decision)

    known_no = {b.seat for b in decision.ballots if b.seat and b.position == Position.NO}
    if len(decision.ballots) == members:
        tally = Tally.count(b.position for b in decision.ballots)
        basis = Basis.MEMBER_VOTES
    elif decision.recorded is not None:
        tally = decision.recorded
        known_no |= decision.permanent_no
        basis = Basis.RECORDED_TOTALS
    else:
        settled = _from_partial_ballots(decision, required, members, known_no)
        if settled is not None:
            return settled
        return _from_statement(decision, required, known_no | decision.permanent_no)

    return _from_tally(decision, tally, required, known_no, basis)


def _sitting(decision: Decision) -> int:
    """The members sitting; ValueError when more voted than sat."""
    members = decision.members or council_size(decision.on)
    if len(decision.ballots) > members:
        raise ValueError(
            f"{len(decision.ballots)} member votes on {decision.on}, "
            f"but only {members} members sit on the Council"
        )
    return members


def _from_tally(
    decision: Decision, tally: Tally, required: int, known_no: set[str], basis: Basis
) -> Result:
    """Article 27 on a full tally: the majority needed, then a permanent member's no."""
    if tally.yes < required:
        return Result(Outcome.NOT_ADOPTED, (), tally, required, basis)
    if known_no and not decision.procedural:
        vetoed_by = tuple(sorted(known_no, key=seat_sort_key))
        return Result(Outcome.VETOED, vetoed_by, tally, required, basis)
    return Result(Outcome.ADOPTED, (), tally, required, basis)


def _from_partial_ballots(
    decision: Decision, required: int, members: int, known_no: set[str]
) -> Result | None:
    """Some members' votes are missing and no totals were recorded: decide only what
    the known votes settle whatever the missing members did, else return None.

    The result carries no tally: the known votes are not the vote's tally, and
    showing 13-1-0 for a vote whose fifteenth ballot is lost would be a wrong number.
    """
    if not decision.ballots:
        return None
    tally = Tally.count(b.position for b in decision.ballots)
    missing = members - len(decision.ballots)
    if tally.yes + missing < required:
        return Result(Outcome.NOT_ADOPTED, (), None, required, Basis.PARTIAL_VOTES)
    if tally.yes < required:
        return None  # the missing votes could still carry it
    if decision.procedural:
        return Result(Outcome.ADOPTED, (), None, required, Basis.PARTIAL_VOTES)
    return _partial_veto(decision, required, known_no)


def _partial_veto(decision: Decision, required: int, known_no: set[str]) -> Result | None:
    """The majority is there whatever the missing members did: vetoed, adopted, or
    None when a missing permanent member might have vetoed it."""
    present = {b.seat for b in decision.ballots if b.seat}
    # Vetoed whatever the others did. A permanent member whose vote is missing
    # counts when a source says it voted no (the Veto List), as it does beside
    # recorded totals; otherwise it is left out: every veto counted is certain,
    # and the page lists the member under "No vote recorded".
    vetoers = known_no | (set(decision.permanent_no) - present)
    if vetoers:
        vetoed_by = tuple(sorted(vetoers, key=seat_sort_key))
        return Result(Outcome.VETOED, vetoed_by, None, required, Basis.PARTIAL_VOTES)
    if present != set(SEAT_ORDER):
        return None  # a missing permanent member might have vetoed it
    return Result(Outcome.ADOPTED, (), None, required, Basis.PARTIAL_VOTES)


def _from_statement(decision: Decision, required: int, known_no: set[str]) -> Result:
    """No tally at all: fall back on what the source said, checked where possible."""
    stated = decision.stated
    if stated == Outcome.VETOED and known_no and not decision.procedural:
        vetoed_by = tuple(sorted(known_no, key=seat_sort_key))
        return Result(Outcome.VETOED, vetoed_by, None, required, Basis.SOURCE_STATEMENT)
    if stated in (Outcome.ADOPTED, Outcome.NOT_ADOPTED):
        return Result(stated, (), None, required, Basis.SOURCE_STATEMENT)
    return Result(Outcome.UNKNOWN, (), None, required, Basis.NONE)
