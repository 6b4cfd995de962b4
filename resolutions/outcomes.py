"""Keep every draft's computed outcome in step with its votes.

This is the only code that writes the computed fields of a draft (tally,
outcome, basis, disagreements), the ``Veto`` rows and the flag for member votes
that do not add up to the recorded totals. It asks the one outcome
engine, ``votes.outcome.decide``, for each draft; importers, the admin and the
starter data all call :func:`refresh_outcomes` after they change votes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from resolutions.bulk import bulk_update
from resolutions.models import Disagreement, Draft
from votes.calendar import CouncilCalendar
from votes.choices import Outcome, Source
from votes.models import MemberVote, PermanentSeat, Veto
from votes.outcome import Ballot, Decision, Result, Tally, decide, seat_sort_key

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
        if values.get("outcome"):
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


def apply_result(draft: Draft, result: Result) -> bool:
    """Copy an engine result onto a draft's computed fields; True if anything changed."""
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
    changed = False
    for field, value in new.items():
        if getattr(draft, field) != value:
            setattr(draft, field, value)
            changed = True
    return changed


@transaction.atomic
def refresh_outcomes(drafts=None, *, calendar: CouncilCalendar | None = None) -> int:
    """Recompute drafts' outcomes and vetoes (all drafts when none are given).

    Returns how many drafts changed. Work is done in chunks with a fixed number
    of queries per chunk, never a query per draft.
    """
    if drafts is None:
        ids = list(Draft.objects.order_by("pk").values_list("pk", flat=True))
    elif hasattr(drafts, "values_list"):
        ids = list(drafts.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({d.pk if isinstance(d, Draft) else d for d in drafts})
    calendar = calendar or CouncilCalendar()
    seats = {s.code: s for s in PermanentSeat.objects.all()}
    changed = 0
    for start in range(0, len(ids), CHUNK):
        changed += _refresh_chunk(ids[start : start + CHUNK], calendar, seats)
    return changed


def _refresh_chunk(ids: list[int], calendar: CouncilCalendar, seats: dict) -> int:
    # In id order, so that new vetoes and flags get the same ids on every database.
    drafts = list(Draft.objects.filter(pk__in=ids).order_by("pk"))
    ballots: dict[int, list[tuple]] = defaultdict(list)
    for draft_id, position, seat, state_id, name in MemberVote.objects.filter(
        draft_id__in=ids
    ).values_list("draft_id", "position", "seat__code", "state_id", "name_at_vote"):
        ballots[draft_id].append((position, seat, state_id, name))
    existing: dict[int, dict[str, Veto]] = defaultdict(dict)
    for veto in Veto.objects.filter(draft_id__in=ids).select_related("seat"):
        existing[veto.draft_id][veto.seat.code] = veto

    flags = {
        d.draft_id: d
        for d in Disagreement.objects.filter(draft_id__in=ids, field=Disagreement.TOTALS_VS_VOTES)
    }

    changed_drafts, new_vetoes, stale_vetoes = [], [], []
    new_flags, stale_flags = [], []
    for draft in drafts:
        own = ballots.get(draft.pk, [])
        flag, old = totals_flag(draft, [p for p, *_ in own if p]), flags.get(draft.pk)
        same = (
            flag is not None
            and old is not None
            and (old.detected_by, old.values) == (flag.detected_by, flag.values)
        )
        if not same:
            stale_flags += [old.pk] if old is not None else []
            new_flags += [flag] if flag is not None else []
        result = decide(decision_for(draft, (Ballot(p, s) for p, s, _, _ in own)))
        if apply_result(draft, result):
            changed_drafts.append(draft)
        voters = {seat: (state_id, name) for _, seat, state_id, name in own if seat}
        wanted = {}
        for seat in result.vetoed_by:
            if seat in voters:
                state_id, name = voters[seat]
            else:
                holder = calendar.holder(seat, draft.date)
                if holder is None:
                    raise ValueError(f"No holder of the {seat} seat on {draft.date} ({draft})")
                state_id, name = holder.state_id, holder.name
            wanted[seat] = (state_id, name)
        have = existing.get(draft.pk, {})
        for seat, (state_id, name) in wanted.items():
            veto = have.get(seat)
            if veto is None or (veto.state_id, veto.name_at_vote) != (state_id, name):
                if veto is not None:
                    stale_vetoes.append(veto.pk)
                new_vetoes.append(
                    Veto(draft=draft, seat=seats[seat], state_id=state_id, name_at_vote=name)
                )
        stale_vetoes += [v.pk for seat, v in have.items() if seat not in wanted]

    if changed_drafts:
        bulk_update(changed_drafts, COMPUTED_FIELDS)
    if stale_vetoes:
        Veto.objects.filter(pk__in=stale_vetoes).delete()
    if new_vetoes:
        Veto.objects.bulk_create(new_vetoes, batch_size=500)
    if stale_flags:
        Disagreement.objects.filter(pk__in=stale_flags).delete()
    if new_flags:
        Disagreement.objects.bulk_create(new_flags, batch_size=500)
    touched = {d.pk for d in changed_drafts} | {v.draft_id for v in new_vetoes}
    touched |= {f.draft_id for f in new_flags}
    return len(touched)
