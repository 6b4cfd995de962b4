"""Member votes deduced from the official tally, the vetoing seats and who sat that day.

No official source publishes member votes on drafts that failed, but an official
tally often settles them: on 13–2–0 with China and the Russian Federation named as
vetoing (S/2022/431) the other thirteen voted yes; on 15–0–0 all fifteen did. Where
the facts settle only some members (13–2–0 with one named vetoer: the other no is an
elected member's, so only the permanent members are settled), only those are derived.

``settle`` is the pure rule; ``deduce_votes`` is the one writer of ``MemberVote`` rows
with ``source = DEDUCED``. It recomputes them whole after every sync and refresh: a
vote no longer settled is deleted, a vote any source gives is never replaced (a
source's vote is a fact, a deduced one follows from facts), and each deduced vote's
``note`` names what it was deduced from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from resolutions.bulk import bulk_insert, bulk_update
from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.signals import record_changed
from votes.calendar import CouncilCalendar
from votes.choices import Evidence, Modality, NonVoting, Outcome, Position, Source, evidence_of
from votes.models import MemberVote
from votes.outcome import Decision, Tally, decide
from votes.seating import place
from votes.seats import seat_sort_key


@dataclass(frozen=True)
class Member:
    """A member sitting on the day: its state, and its permanent seat if it has one."""

    state_id: int
    seat: str | None = None


@dataclass(frozen=True)
class Facts:
    """What the official sources say of one vote."""

    on: date
    tally: Tally  # yes, no, abstain as recorded
    sitting: Sequence[Member]
    vetoed_by: frozenset[str] = frozenset()  # permanent seats named as vetoing
    known: Mapping[int, str] = field(default_factory=dict)  # state id -> position a source gave
    procedural: bool = False
    stated: str | None = None  # the outcome an official source states, if any


def settle(facts: Facts) -> dict[int, str]:
    """The votes the facts settle, state id -> position, for members with no known vote.

    Each member without a known vote can take any position whose count the tally
    leaves open; a permanent member not named as vetoing cannot have voted no on a
    draft that had the majority (its no would have been a veto); members not counted
    in the tally did not vote. A member left with one possible position has it; a
    position exactly as many members can still take as it has votes left goes to them
    all. Repeated until nothing changes. Facts that contradict each other settle nothing.
    """
    remaining = _remaining(facts)
    outcome = _outcome(facts)
    if remaining is None or outcome is None:
        return {}
    open_members = [m for m in facts.sitting if m.state_id not in facts.known]
    settled: dict[int, str] = {
        m.state_id: Position.NO for m in open_members if m.seat in facts.vetoed_by
    }
    remaining[Position.NO] -= len(settled)
    if remaining[Position.NO] < 0:
        return {}
    # On a draft vetoed or adopted by Article 27, every permanent member's no is a veto,
    # and the veto lists name every veto: the others did not vote no.
    no_other_no = not facts.procedural and outcome in (Outcome.VETOED, Outcome.ADOPTED)
    candidates = {
        m.state_id: _open_positions(m, remaining, no_other_no)
        for m in open_members
        if m.state_id not in settled
    }
    _propagate(candidates, remaining, settled)
    return settled


def _open_positions(member: Member, remaining: Counter, no_other_no: bool) -> set[str]:
    """The positions a member with no known vote may have taken."""
    if member.seat and no_other_no:
        return {p for p in remaining if p != Position.NO}
    return set(remaining)


def _remaining(facts: Facts) -> Counter | None:
    """Votes of each position the tally leaves for the members with no known vote."""
    members = {m.state_id for m in facts.sitting}
    tally = facts.tally
    cast = tally.yes + tally.no + tally.abstain
    if not _tally_fits(facts, members, cast):
        return None
    remaining: Counter[str] = Counter(
        {
            Position.YES.value: tally.yes,
            Position.NO.value: tally.no,
            Position.ABSTAIN.value: tally.abstain,
            Position.NON_VOTING.value: len(members) - cast,
        }
    )
    remaining.subtract(Counter(facts.known.values()))
    if min(remaining.values()) < 0 or _veto_contradicted(facts):
        return None
    return remaining


def _tally_fits(facts: Facts, members: set[int], cast: int) -> bool:
    """Whether the tally fits the members sitting, and the known votes are theirs."""
    if cast > len(members) or not set(facts.known) <= members:
        return False
    # A stated count of non-voting members must fit who sat.
    return not facts.tally.non_voting or cast + facts.tally.non_voting == len(members)


def _veto_contradicted(facts: Facts) -> bool:
    """Whether a source gives a vetoing seat a vote other than no."""
    return any(
        facts.known.get(m.state_id, Position.NO) != Position.NO
        for m in facts.sitting
        if m.seat in facts.vetoed_by
    )


def _outcome(facts: Facts) -> str | None:
    """The outcome by Article 27 on the tally and the vetoing seats; None where the facts
    contradict each other (a stated outcome that differs, a "veto" short of the majority)."""
    result = decide(
        Decision(
            on=facts.on,
            procedural=facts.procedural,
            recorded=facts.tally,
            permanent_no=facts.vetoed_by,
        )
    )
    if facts.stated and facts.stated != result.outcome:
        return None
    if facts.vetoed_by and result.outcome != Outcome.VETOED:
        return None
    return result.outcome


def _propagate(candidates: dict[int, set[str]], remaining: Counter, settled: dict) -> None:
    changed = True
    while changed and candidates:
        changed = _settle_single_options(candidates, remaining, settled)
        changed = _settle_filled_positions(candidates, remaining, settled) or changed


def _settle_single_options(candidates: dict, remaining: Counter, settled: dict) -> bool:
    """Members left with one possible position have it."""
    changed = False
    for state_id in list(candidates):
        options = {p for p in candidates[state_id] if remaining[p] > 0}
        candidates[state_id] = options
        if len(options) == 1:
            _assign(state_id, options.pop(), candidates, remaining, settled)
            changed = True
    return changed


def _settle_filled_positions(candidates: dict, remaining: Counter, settled: dict) -> bool:
    """A position exactly as many members can still take as it has votes left goes to them."""
    changed = False
    for position in list(remaining):
        able = [s for s, options in candidates.items() if position in options]
        if able and len(able) == remaining[position]:
            for state_id in able:
                _assign(state_id, position, candidates, remaining, settled)
            changed = True
    return changed


def _assign(state_id: int, position: str, candidates: dict, remaining: Counter, settled: dict):
    settled[state_id] = position
    remaining[position] -= 1
    del candidates[state_id]


# The writer ------------------------------------------------------------------------


@dataclass
class DeductionSummary:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    drafts: set[int] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __str__(self) -> str:
        verdict = "" if self.changed else " (nothing changed)"
        return (
            f"{Source.DEDUCED.label}: {self.created} votes deduced, {self.updated} updated, "
            f"{self.deleted} no longer settled, on {len(self.drafts)} drafts{verdict}"
        )


def _official(origin: str | None) -> bool:
    return bool(origin) and origin in Source.values and evidence_of(origin) == Evidence.OFFICIAL


def _candidates() -> Iterable[Draft]:
    """Recorded votes with an official tally, official date, and fewer votes than members."""
    drafts = (
        Draft.objects.filter(modality=Modality.RECORDED_VOTE, date__isnull=False)
        .exclude(Q(recorded_yes=None) | Q(recorded_no=None) | Q(recorded_abstain=None))
        .annotate(
            given=Count("member_votes", filter=~Q(member_votes__source=Source.DEDUCED)),
        )
        .filter(given__lt=15)
        .only(
            "pk",
            "date",
            "procedural",
            "recorded_yes",
            "recorded_no",
            "recorded_abstain",
            "recorded_non_voting",
            "recorded_outcome",
            "recorded_vetoed_by",
            "field_sources",
            "draft_symbol",
            "resolution_number",
            "resolution_year",
        )
        .order_by("pk")
    )
    for draft in drafts.iterator(chunk_size=2000):
        sources = draft.field_sources or {}
        vetoes = sources.get("recorded_vetoed_by")
        if not (_official(sources.get("recorded_yes")) and _official(sources.get("date"))):
            continue
        if draft.recorded_vetoed_by and not _official(vetoes):
            continue
        yield draft


def _facts(draft: Draft, known: dict[int, str], calendar: CouncilCalendar) -> Facts:
    stated = draft.recorded_outcome or None
    if stated and not _official((draft.field_sources or {}).get("recorded_outcome")):
        stated = None
    return Facts(
        on=draft.date,
        tally=draft.recorded_tally,
        sitting=[Member(s.state_id, s.seat) for s in calendar.sitting(draft.date)],
        vetoed_by=frozenset(draft.recorded_vetoed_by or ()),
        known=known,
        procedural=bool(draft.procedural),
        stated=stated,
    )


def reason(draft: Draft, known: int, compiled: Counter | None = None) -> str:
    """What a deduced vote was deduced from, in words (kept in the vote's note)."""
    sources = draft.field_sources or {}
    label = Source(sources["recorded_yes"]).label
    words = f"Deduced from the {draft.recorded_tally} tally ({label})"
    if draft.recorded_vetoed_by:
        seats = ", ".join(sorted(draft.recorded_vetoed_by, key=seat_sort_key))
        words += f", the vetoes by {seats} ({Source(sources['recorded_vetoed_by']).label})"
    if known:
        words += f", the {known} member votes a source gives"
    for source, n in sorted((compiled or {}).items()):
        words += f", the {n} member votes of the {Source(source).label} that agree with it"
    return words + f" and the members sitting on {draft.date:%d %B %Y} (UN DPPA membership)"


def deduce_votes(calendar: CouncilCalendar | None = None) -> DeductionSummary:
    """Make the stored deduced votes exactly those the official facts settle; refresh outcomes."""
    calendar = calendar or CouncilCalendar()
    summary = DeductionSummary()
    drafts = {d.pk: d for d in _candidates()}
    stored = _stored_votes(list(drafts))
    create: list[MemberVote] = []
    update: list[MemberVote] = []
    delete: list[MemberVote] = []
    for draft_id in sorted((set(drafts) | set(stored)) - _restored(set(stored) - set(drafts))):
        have = stored.get(draft_id, {})
        wanted = _wanted(drafts.get(draft_id), have, calendar)
        _plan(drafts.get(draft_id), draft_id, wanted, have, calendar, (create, update, delete))
    MemberVote.objects.filter(pk__in=[v.pk for v in delete]).delete()
    bulk_update(update, ["position", "non_voting", "note", "name_at_vote", "seat", "source"])
    bulk_insert(create)
    summary.created, summary.updated, summary.deleted = len(create), len(update), len(delete)
    summary.drafts = {v.draft_id for v in [*create, *update, *delete]}
    if summary.drafts:
        refresh_outcomes(sorted(summary.drafts), calendar=calendar)
        record_changed(Draft)
    return summary


def _stored_votes(draft_ids: list[int]) -> dict[int, dict[int, MemberVote]]:
    """The stored votes of these drafts and every deduced vote, by draft and state."""
    stored: dict[int, dict[int, MemberVote]] = {}
    for vote in MemberVote.objects.filter(
        Q(draft_id__in=draft_ids) | Q(source=Source.DEDUCED)
    ).order_by("pk"):
        stored.setdefault(vote.draft_id, {})[vote.state_id] = vote
    return stored


def _restored(draft_ids: set[int]) -> set[int]:
    """Drafts with deduced votes but no official tally: restored from this site's dump by
    an editor's file (import_votes), which keeps each vote's source. The official facts
    they were deduced from are not loaded, so they are left as restored, not deleted."""
    rows = Draft.objects.filter(pk__in=draft_ids).values_list("pk", "field_sources")
    return {pk for pk, sources in rows if not _official((sources or {}).get("recorded_yes"))}


def _given(vote: MemberVote) -> bool:
    """A vote a source or an editor gave (compiled votes yield to deduced ones)."""
    return vote.source != Source.DEDUCED and evidence_of(vote.source) != Evidence.COMPILED


@dataclass
class _Wanted:
    """The votes to deduce on one draft: from the official facts, then with the
    compilations' published votes (the compiled votes they used, by source)."""

    settled: dict[int, str] = field(default_factory=dict)
    with_compiled: dict[int, str] = field(default_factory=dict)
    compiled_from: Counter = field(default_factory=Counter)

    def items(self):
        return [*self.settled.items(), *self.with_compiled.items()]

    def __contains__(self, state_id: int) -> bool:
        return state_id in self.settled or state_id in self.with_compiled


def _wanted(draft: Draft | None, have: dict[int, MemberVote], calendar) -> _Wanted:
    """The votes the official facts settle; then, for the members that neither they nor a
    compilation give, those the compilations' published votes leave one way (S/2001/270:
    the compilation omits Ukraine, whose non-voting the 9-1-4 tally then settles)."""
    wanted = _Wanted()
    if draft is None:
        return wanted
    known = {state_id: v.position for state_id, v in have.items() if _given(v)}
    if len(known) == len(calendar.sitting(draft.date)):
        return wanted
    wanted.settled = settle(_facts(draft, known, calendar))
    compiled = {s: v for s, v in have.items() if _compiled(v) and s not in wanted.settled}
    if compiled:
        _settle_with_compiled(wanted, draft, known, compiled, calendar)
    return wanted


def _settle_with_compiled(wanted: _Wanted, draft: Draft, known: dict, compiled: dict, calendar):
    """The members the official facts and the compilations' published votes settle."""
    positions = {s: v.position for s, v in compiled.items()}
    more = settle(_facts(draft, {**known, **positions}, calendar))
    wanted.with_compiled = {s: p for s, p in more.items() if s not in wanted.settled}
    wanted.compiled_from = Counter(v.source for v in compiled.values())


def _compiled(vote: MemberVote) -> bool:
    return evidence_of(vote.source) == Evidence.COMPILED


def _plan(draft, draft_id: int, wanted: _Wanted, have: dict, calendar, changes: tuple) -> None:
    create, update, delete = changes
    delete += [v for s, v in have.items() if v.source == Source.DEDUCED and s not in wanted]
    notes = _notes(draft, have, wanted)
    for state_id, position in wanted.items():
        old, note = have.get(state_id), notes[state_id]
        if old is None:
            target = MemberVote(draft_id=draft_id, state_id=state_id)
            create.append(_deduced(target, position, note, draft.date, calendar))
        else:
            before = _stored(old)
            if _stored(_deduced(old, position, note, draft.date, calendar)) != before:
                update.append(old)


def _notes(draft: Draft, have: dict, wanted: _Wanted) -> dict[int, str]:
    """Each deduced vote's note: what it was deduced from."""
    given = sum(1 for v in have.values() if _given(v))
    first = reason(draft, given)[:300]
    notes = dict.fromkeys(wanted.settled, first)
    if wanted.with_compiled:
        second = reason(draft, given, wanted.compiled_from)[:300]
        notes.update(dict.fromkeys(wanted.with_compiled, second))
    return notes


def _deduced(target: MemberVote, position: str, note: str, on, calendar) -> MemberVote:
    """The vote as deduced, seated as on the day."""
    target.position, target.non_voting, target.note = position, NonVoting.UNSPECIFIED, note
    target.source = Source.DEDUCED
    place(target, on, calendar)
    return target


def _stored(vote: MemberVote) -> tuple:
    return (vote.position, vote.non_voting, vote.note, vote.name_at_vote, vote.seat_id, vote.source)
