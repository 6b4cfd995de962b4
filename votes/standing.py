"""Where one vote stood: its margin, a near-miss, the decisive members, a member alone.

Pure, like the outcome engine it asks: no database. Every "would have"
is answered by :func:`votes.outcome.decide` itself, re-deciding the vote with one
ballot changed, so these figures can never follow rules of their own.

* **Margin**: votes in favour minus those required (9, or 7 before 1966; the
  engine's ``required``). Known whenever the vote has a tally.
* **Near-miss**: not adopted, one vote in favour short (margin -1), and no
  permanent member voted against, so one more vote in favour would have carried
  it. A draft one vote short with a permanent member's "no" was a veto in waiting.
* **Decisive members**: those whose vote was needed for the outcome. Each
  member who voted yes or no is re-decided as abstaining instead, every other
  ballot unchanged; it is decisive if that changes the outcome, or if (on a
  veto) its seat drops out of the vetoing seats. So on a veto each vetoing seat
  is decisive, even when another seat vetoed too; on an adoption with exactly
  the votes required, each yes is; a draft that fell well short has none.
  Members who abstained or did not vote cast no vote that decided anything.
* **Isolation**: every member but one took the same position, and that one cast
  a different vote (14-1 since 1966, 10-1 before): it stood alone.

Decisive members and isolation need the whole member-by-member record; the
margin and the near-miss need only the tally. One exception: a veto known from
the recorded totals and the vetoing seats (most failed drafts before 2023 have
no member-by-member record) is re-decided on those totals with one vetoing
seat's "no" turned into an abstention, which names the decisive seats.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from votes.choices import Basis, Outcome, Position
from votes.outcome import Ballot, Decision, Result, decide

CAST = (Position.YES, Position.NO, Position.ABSTAIN)


@dataclass(frozen=True)
class Standing:
    margin: int | None
    near_miss: bool
    # Indexes into the decision's ballots.
    decisive: tuple[int, ...]
    isolated: int | None
    # Decisive permanent seats known from the totals alone (no ballots to point to).
    decisive_seats: tuple[str, ...] = ()


def standing(decision: Decision, result: Result | None = None) -> Standing:
    """Where a vote stood, from the same decision the outcome was computed from."""
    result = result if result is not None else decide(decision)
    tally = result.tally
    margin = tally.yes - result.required if tally is not None else None
    complete = result.basis == Basis.MEMBER_VOTES
    return Standing(
        margin=margin,
        near_miss=_near_miss(decision, result, margin),
        decisive=_decisive(decision, result) if complete else (),
        isolated=_isolated(decision.ballots) if complete else None,
        decisive_seats=_decisive_from_totals(decision, result) if not complete else (),
    )


def _decisive_from_totals(decision: Decision, result: Result) -> tuple[str, ...]:
    tally = result.tally
    if result.basis != Basis.RECORDED_TOTALS or tally is None or not result.vetoed_by:
        return ()
    return tuple(s for s in result.vetoed_by if _veto_decides(decision, result, tally, s))


def _veto_decides(decision: Decision, result: Result, tally, seat: str) -> bool:
    """Whether the outcome changes with the seat's "no" as an abstention (its ballot,
    if listed, likewise)."""
    ballots = tuple(
        Ballot(Position.ABSTAIN, b.seat) if b.seat == seat else b for b in decision.ballots
    )
    other = decide(
        replace(
            decision,
            ballots=ballots,
            recorded=replace(tally, no=tally.no - 1, abstain=tally.abstain + 1),
            permanent_no=frozenset(decision.permanent_no) - {seat},
        )
    )
    return other.outcome != result.outcome or seat not in other.vetoed_by


def _near_miss(decision: Decision, result: Result, margin: int | None) -> bool:
    if result.outcome != Outcome.NOT_ADOPTED or margin != -1:
        return False
    permanent_no = {b.seat for b in decision.ballots if b.seat and b.position == Position.NO}
    return not (permanent_no | set(decision.permanent_no))


def _decisive(decision: Decision, result: Result) -> tuple[int, ...]:
    return tuple(
        index
        for index, ballot in enumerate(decision.ballots)
        if ballot.position in (Position.YES, Position.NO)
        and _ballot_decides(decision, result, index)
    )


def _ballot_decides(decision: Decision, result: Result, index: int) -> bool:
    """Whether the outcome (or a veto) changes with this yes or no as an abstention."""
    ballot = decision.ballots[index]
    changed = list(decision.ballots)
    changed[index] = Ballot(Position.ABSTAIN, ballot.seat)
    other = decide(replace(decision, ballots=tuple(changed)))
    withdrawn = ballot.seat in result.vetoed_by and ballot.seat not in other.vetoed_by
    return other.outcome != result.outcome or withdrawn


def _isolated(ballots) -> int | None:
    positions = [b.position for b in ballots]
    for index, position in enumerate(positions):
        others = set(positions[:index] + positions[index + 1 :])
        if position in CAST and len(others) == 1 and position not in others:
            (common,) = others
            return index if common in CAST else None
    return None
