"""Keep every draft's computed outcome in step with its votes.

This is the only code that writes the computed fields of a draft (tally,
outcome, basis, disagreements, margin, near-miss), the ``Veto`` rows, the
``Standing`` rows (decisive members, a member alone), the flag for member
votes that do not add up to the recorded totals, the search vectors
(``resolutions.search``) and, through ``votes.yearly.recount``, the per-year
counts the P5 and country pages read. It asks the one outcome
engine, ``votes.outcome.decide``, for each draft; importers, the admin and the
starter data all call :func:`refresh_outcomes` after they change votes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import transaction

from resolutions.bulk import bulk_update
from resolutions.models import Disagreement, Draft, Standing
from resolutions.search import refresh_search
from votes import yearly
from votes.calendar import CouncilCalendar
from votes.choices import SECONDARY, Outcome, Source
from votes.models import MemberVote, PermanentSeat, Veto
from votes.outcome import (
    ENLARGEMENT,
    Ballot,
    Decision,
    Result,
    Tally,
    decide,
    seat_sort_key,
)
from votes.standing import Standing as VoteStanding
from votes.standing import standing

COMPUTED_FIELDS = [
    "tally_yes",
    "tally_no",
    "tally_abstain",
    "tally_non_voting",
    "outcome",
    "outcome_basis",
    "required_votes",
    "outcome_disagreements",
    "outcome_disputed",
    "margin",
    "near_miss",
]
CHUNK = 2000


def decision_for(draft: Draft, ballots: Iterable[Ballot]) -> Decision:
    """What the engine needs to know about a draft, from its recorded fields."""
    return Decision(
        on=draft.date,
        procedural=draft.procedural,
        modality=draft.modality,
        ballots=tuple(ballots),
        # The Charter's number of members, not a source's count: a source that
        # lists 14 members (one row missing) must not make 14 votes look complete.
        members=None,
        recorded=draft.recorded_tally,
        permanent_no=frozenset(draft.recorded_vetoed_by or ()),
        stated=draft.recorded_outcome or None,
    )


def stated_outcomes(draft: Draft) -> dict[str, dict]:
    """What each source (and the editor) said happened, keyed by who said it."""
    said = {}
    for key, info in (draft.sources or {}).items():
        values = info.get("values", {})
        # A compilation's statement is checked by its own load, which records any
        # disagreement (resolutions.pipeline.secondary); it never disputes an outcome.
        if values.get("outcome") and key not in SECONDARY:
            said[key] = {
                "outcome": values["outcome"],
                "vetoed_by": sorted(values.get("vetoed_by", []), key=seat_sort_key),
            }
    if draft.field_sources.get("recorded_outcome") == "editor" and draft.recorded_outcome:
        said["editor"] = {
            "outcome": draft.recorded_outcome,
            "vetoed_by": sorted(draft.recorded_vetoed_by or [], key=seat_sort_key),
        }
    return said


def disagreements(draft: Draft, result: Result) -> list[dict]:
    """Every statement that differs from the computed outcome, naming both."""
    found = []
    for who, said in stated_outcomes(draft).items():
        outcome_differs = said["outcome"] != result.outcome
        seats_differ = said["outcome"] == Outcome.VETOED and tuple(said["vetoed_by"]) != tuple(
            result.vetoed_by
        )
        if outcome_differs or seats_differ:
            found.append(
                {
                    "source": who,
                    "stated": said["outcome"],
                    "stated_vetoed_by": said["vetoed_by"],
                    "computed": result.outcome,
                    "computed_vetoed_by": list(result.vetoed_by),
                }
            )
    return found


# Shown on the vote's page as "<key> gives <value>".
COUNTED = "counting the member votes"


def totals_flag(draft: Draft, positions: list[str]) -> Disagreement | None:
    """A tally flag when a draft's member votes do not add up to its recorded totals.

    The Library's S/RES/1966 (2010) lists 14 members (no row for Mexico) beside
    totals of 14-0-1: the page must show both, not one silently. The flag names
    the source of the totals, and is kept whoever entered the votes.
    """
    recorded = draft.recorded_tally
    if not positions or recorded is None:
        return None
    counted = Tally.count(positions)
    if (counted.yes, counted.no, counted.abstain) == (recorded.yes, recorded.no, recorded.abstain):
        return None
    origin = draft.field_sources.get("recorded_yes") or draft.source
    if origin not in Source.values:
        origin = draft.source
    return Disagreement(
        draft_id=draft.pk,
        kind=Disagreement.Kind.TALLY,
        field=Disagreement.TOTALS_VS_VOTES,
        values={origin: str(recorded), COUNTED: f"{counted} ({len(positions)} listed)"},
        detected_by=origin,
    )


def apply_result(draft: Draft, result: Result, stood: VoteStanding | None = None) -> bool:
    """Copy an engine result (and where the vote stood) onto a draft's computed fields;
    True if anything changed."""
    tally = result.tally
    new = {
        "tally_yes": tally.yes if tally else None,
        "tally_no": tally.no if tally else None,
        "tally_abstain": tally.abstain if tally else None,
        "tally_non_voting": tally.non_voting if tally else None,
        "outcome": result.outcome,
        "outcome_basis": result.basis,
        "required_votes": result.required,
    }
    found = disagreements(draft, result)
    new["outcome_disagreements"] = found
    new["outcome_disputed"] = bool(found)
    if stood is not None:
        new["margin"] = stood.margin
        new["near_miss"] = stood.near_miss
    changed = False
    for name, value in new.items():
        if getattr(draft, name) != value:
            setattr(draft, name, value)
            changed = True
    return changed


@transaction.atomic
def refresh_outcomes(drafts=None, *, calendar: CouncilCalendar | None = None) -> int:
    """Recompute drafts' outcomes and vetoes (all drafts when none are given).

    Returns how many drafts changed. Work is done in chunks with a fixed number
    of queries per chunk, never a query per draft.
    """
    ids = _ids(drafts)
    calendar = calendar or CouncilCalendar()
    seats = {s.code: s for s in PermanentSeat.objects.all()}
    changed = sum(
        _refresh_chunk(ids[start : start + CHUNK], calendar, seats)
        for start in range(0, len(ids), CHUNK)
    )
    # The per-year counts the P5 and country pages read, in the same transaction:
    # the years of these drafts (and those they were counted in), or every year.
    pending = _PENDING.get()
    if pending is None:
        yearly.recount(None if drafts is None else ids)
    else:
        pending.add(None if drafts is None else ids)
    return changed


def recount_years(ids: list[int]) -> None:
    """The per-year counts of these drafts' years (a deleted draft's too: its last
    year is kept), now, or at the end of :func:`counted_once` within one: a sync's
    deletions then take the recounts' lock (votes.yearly) only at its end, not for
    the rest of its transaction, where an editor's save would wait on it."""
    pending = _PENDING.get()
    if pending is None:
        yearly.recount(ids)
    else:
        pending.add(ids)


@dataclass
class _Pending:
    """The drafts refreshed within :func:`counted_once`, whose words and per-year
    counts wait for its end."""

    ids: set[int] = field(default_factory=set)
    every: bool = False

    def add(self, ids: Iterable[int] | None) -> None:
        if ids is None:
            self.every = True
        else:
            self.ids.update(ids)

    def written(self) -> None:
        ids = None if self.every else sorted(self.ids)
        if ids == []:
            return
        refresh_search(ids)
        yearly.recount(ids)


# Set within counted_once (per thread and task, so an editor's save served meanwhile
# by another thread is refreshed whole, at once).
_PENDING: ContextVar[_Pending | None] = ContextVar("refresh_outcomes_pending", default=None)


@contextmanager
def counted_once() -> Iterator[None]:
    """Within the block, ``refresh_outcomes`` leaves the search vectors and the per-year
    counts of the drafts it refreshes to one pass when the block ends without error.

    For a sync, inside its transaction: each source refreshes the drafts it changed
    (outcomes, vetoes and standings, which later sources read), but nothing in a sync
    reads the words or the yearly counts, and rewriting them after every source cost
    an eighth of an empty database's sync (under cProfile). Both are computed from what
    is stored, so one pass at the end leaves what a pass after every source would have.
    """
    if _PENDING.get() is not None:  # already within one: its end writes them
        yield
        return
    pending = _Pending()
    _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.set(None)
    with transaction.atomic():
        pending.written()


def _ids(drafts) -> list[int]:
    """Draft ids in order, from drafts, ids or a queryset (every draft for None)."""
    if drafts is None:
        drafts = Draft.objects.all()
    if hasattr(drafts, "values_list"):
        return list(drafts.order_by("pk").values_list("pk", flat=True))
    return sorted({d.pk if isinstance(d, Draft) else d for d in drafts})


@dataclass
class _Stored:
    """What the database holds for a chunk of drafts besides the drafts themselves."""

    votes: dict[int, list[tuple]]  # draft id -> (position, seat, state id, name, source)
    vetoes: dict[int, dict[str, Veto]]  # draft id -> seat code -> veto
    flags: dict[int, Disagreement]  # draft id -> totals-vs-votes flag
    standings: dict[int, dict[tuple[int, str], Standing]]  # draft id -> (state, kind) -> row

    @classmethod
    def read(cls, ids: list[int]) -> _Stored:
        votes: dict[int, list[tuple]] = defaultdict(list)
        for draft_id, *vote in MemberVote.objects.filter(draft_id__in=ids).values_list(
            "draft_id", "position", "seat__code", "state_id", "name_at_vote", "source"
        ):
            votes[draft_id].append(tuple(vote))
        vetoes: dict[int, dict[str, Veto]] = defaultdict(dict)
        for veto in Veto.objects.filter(draft_id__in=ids).select_related("seat"):
            vetoes[veto.draft_id][veto.seat.code] = veto
        flags = Disagreement.objects.filter(draft_id__in=ids, field=Disagreement.TOTALS_VS_VOTES)
        standings: dict[int, dict[tuple[int, str], Standing]] = defaultdict(dict)
        for row in Standing.objects.filter(draft_id__in=ids).select_related("seat"):
            standings[row.draft_id][(row.state_id, row.kind)] = row
        return cls(votes, vetoes, {d.draft_id: d for d in flags}, standings)


@dataclass
class _OutcomeChanges:
    drafts: list[Draft] = field(default_factory=list)
    new_vetoes: list[Veto] = field(default_factory=list)
    stale_vetoes: list[int] = field(default_factory=list)
    new_flags: list[Disagreement] = field(default_factory=list)
    stale_flags: list[int] = field(default_factory=list)
    new_standings: list[Standing] = field(default_factory=list)
    stale_standings: list[int] = field(default_factory=list)

    def write(self) -> int:
        """Write the changes in bulk; returns how many drafts they touched."""
        bulk_update(self.drafts, COMPUTED_FIELDS)
        _replace(Veto, self.stale_vetoes, self.new_vetoes)
        _replace(Disagreement, self.stale_flags, self.new_flags)
        _replace(Standing, self.stale_standings, self.new_standings)
        touched = {d.pk for d in self.drafts} | {v.draft_id for v in self.new_vetoes}
        touched |= {s.draft_id for s in self.new_standings}
        return len(touched | {f.draft_id for f in self.new_flags})


def _replace(model, stale: list[int], new: list) -> None:
    if stale:
        model.objects.filter(pk__in=stale).delete()
    if new:
        model.objects.bulk_create(new, batch_size=500)


# decide() and standing() of the decisions met so far. Both are pure and read the
# date only for the Council of its era (its size and majority, votes.outcome), so
# votes alike in all else (most drafts: a unanimous 15-0-0 and the like, every
# load of a sync again) share one answer. Bounded; cleared when full.
_DECIDED: dict[Decision, tuple[Result, VoteStanding]] = {}
_DECIDED_MAX = 50_000
_BEFORE_ENLARGEMENT = date(1965, 12, 31)


def decided(decision: Decision) -> tuple[Result, VoteStanding]:
    """``decide(decision)`` and ``standing(decision, result)``, remembered by era."""
    era = _BEFORE_ENLARGEMENT if decision.on < ENLARGEMENT else ENLARGEMENT
    key = replace(decision, on=era)
    found = _DECIDED.get(key)
    if found is None:
        if len(_DECIDED) >= _DECIDED_MAX:
            _DECIDED.clear()
        result = decide(decision)  # the real date: an error names it
        found = _DECIDED[key] = (result, standing(decision, result))
    return found


def _refresh_chunk(ids: list[int], calendar: CouncilCalendar, seats: dict) -> int:
    stored = _Stored.read(ids)
    changes = _OutcomeChanges()
    # In id order, so that new vetoes and flags get the same ids on every database.
    for draft in Draft.objects.filter(pk__in=ids).order_by("pk"):
        votes = stored.votes.get(draft.pk, [])
        _refresh_flag(draft, votes, stored.flags.get(draft.pk), changes)
        result, stood = decided(decision_for(draft, (Ballot(p, s) for p, s, *_ in votes)))
        if apply_result(draft, result, stood):
            changes.drafts.append(draft)
        wanted = _vetoing(draft, result, votes, calendar)
        _refresh_vetoes(draft, wanted, stored.vetoes.get(draft.pk, {}), seats, changes)
        have = stored.standings.get(draft.pk, {})
        rows = _standing_rows(stood, votes) | _seat_standings(stood, wanted)
        _refresh_standings(draft, rows, have, seats, changes)
    # The words too: a draft is recomputed after every change to it.
    pending = _PENDING.get()
    if pending is None:
        refresh_search(ids)
    else:
        pending.add(ids)
    return changes.write()


def _standing_rows(stood: VoteStanding, votes: list[tuple]) -> dict[tuple[int, str], tuple]:
    """``{(state id, kind): (seat code, name)}``: the members the standing names.

    ``stood`` names ballots by their place in the decision, which lists them in
    the order of ``votes``.
    """
    wanted = {}
    for index in stood.decisive:
        _, seat, state_id, name, _ = votes[index]
        wanted[(state_id, Standing.Kind.DECISIVE.value)] = (seat, name)
    if stood.isolated is not None:
        _, seat, state_id, name, _ = votes[stood.isolated]
        wanted[(state_id, Standing.Kind.ISOLATED.value)] = (seat, name)
    return wanted


def _seat_standings(stood: VoteStanding, vetoing: dict[str, tuple]) -> dict:
    """Decisive seats known from the totals: named after the state that vetoed from them."""
    return {
        (vetoing[seat][0], Standing.Kind.DECISIVE.value): (seat, vetoing[seat][1])
        for seat in stood.decisive_seats
        if seat in vetoing
    }


def _refresh_standings(draft: Draft, wanted: dict, have: dict, seats: dict, changes) -> None:
    for (state_id, kind), (seat, name) in wanted.items():
        row = have.get((state_id, kind))
        if row is not None and (row.seat.code if row.seat else None, row.name_at_vote) == (
            seat,
            name,
        ):
            continue
        if row is not None:
            changes.stale_standings.append(row.pk)
        changes.new_standings.append(
            Standing(
                draft=draft,
                state_id=state_id,
                seat=seats.get(seat) if seat else None,
                name_at_vote=name,
                kind=kind,
            )
        )
    changes.stale_standings += [r.pk for key, r in have.items() if key not in wanted]


def _refresh_flag(draft: Draft, votes: list[tuple], old, changes: _OutcomeChanges) -> None:
    """Replace the totals-vs-votes flag when it is not the one the votes give."""
    # Deduced votes follow from the recorded totals, so they cannot contradict them:
    # the flag says whether the votes the sources give add up.
    flag = totals_flag(draft, [p for p, *_, source in votes if p and source != Source.DEDUCED])
    if flag is not None and old is not None and _same_flag(old, flag):
        return
    if old is not None:
        changes.stale_flags.append(old.pk)
    if flag is not None:
        changes.new_flags.append(flag)


def _same_flag(old: Disagreement, new: Disagreement) -> bool:
    return (old.detected_by, old.values) == (new.detected_by, new.values)


def _vetoing(draft: Draft, result: Result, votes: list[tuple], calendar) -> dict[str, tuple]:
    """Per vetoing seat, the state that cast the veto and its name that day.

    The member that voted from the seat, else (a veto known from the totals or a
    source's statement alone) the seat's holder that day.
    """
    voters = {seat: (state_id, name) for _, seat, state_id, name, _ in votes if seat}
    wanted = {}
    for seat in result.vetoed_by:
        if seat not in voters:
            holder = calendar.holder(seat, draft.date)
            if holder is None:
                raise ValueError(f"No holder of the {seat} seat on {draft.date} ({draft})")
            voters[seat] = (holder.state_id, holder.name)
        wanted[seat] = voters[seat]
    return wanted


def _refresh_vetoes(draft: Draft, wanted: dict, have: dict, seats: dict, changes) -> None:
    for seat, (state_id, name) in wanted.items():
        veto = have.get(seat)
        if veto is not None and (veto.state_id, veto.name_at_vote) == (state_id, name):
            continue
        if veto is not None:
            changes.stale_vetoes.append(veto.pk)
        changes.new_vetoes.append(
            Veto(draft=draft, seat=seats[seat], state_id=state_id, name_at_vote=name)
        )
    changes.stale_vetoes += [v.pk for seat, v in have.items() if seat not in wanted]
