"""Member votes from a source: checked against the Council of the day, then written in bulk.

A vote by a state that was not on the Council that day, an unknown state or
a member voting twice is bad input: the whole import stops before anything
is written. Two recorded peculiarities are settled by rule and reported:

* a vote coded for a seat's former holder after the succession (the UN data
  has SUN on 31 December 1991) counts for the seat's holder that day;
* a member listed under two positions, where the source's own stated counts
  fit only one of them (S/2023/638 lists China in favour and abstaining).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from resolutions.bulk import bulk_insert, bulk_update
from resolutions.pipeline.merge import VOTE_PRIORITY
from resolutions.sources.records import DraftRecord, SourceError, VoteRecord
from votes.calendar import CouncilCalendar
from votes.choices import NonVoting, Position, Source
from votes.models import MemberVote
from votes.names import default_resolver


@dataclass(frozen=True)
class Ballot:
    state_id: int
    position: str
    non_voting: str
    note: str
    name: str
    seat_id: int | None
    seat: str | None


@dataclass
class Ballots:
    by_record: dict[int, list[Ballot]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def for_record(self, record: DraftRecord) -> list[Ballot]:
        return self.by_record.get(id(record), [])

    def fingerprint(self, record: DraftRecord) -> str:
        rows = sorted(
            (b.state_id, b.position, b.non_voting, b.note) for b in self.for_record(record)
        )
        return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:16]

    def permanent_no(self, record: DraftRecord) -> set[str]:
        return {b.seat for b in self.for_record(record) if b.seat and b.position == Position.NO}


def validate_votes(records, calendar: CouncilCalendar, file: str, dates=None) -> Ballots:
    """Check every vote against the Council of its day (``dates`` by record, else its own)."""
    resolver = default_resolver()
    ballots = Ballots()
    for record in records:
        if not record.votes:
            continue
        on = (dates or {}).get(id(record), record.date)
        votes = _settle_duplicates(record, on, resolver, file, ballots.warnings)
        seen: dict[int, VoteRecord] = {}
        out = []
        for vote, code in votes:
            state = calendar.by_code.get(code)
            if state is None:
                raise SourceError(file, record.location, f"unknown member state code {code!r}")
            seat = calendar.seat_of(state.pk, on)
            if seat is None:
                seat = _successor(state.code, on, calendar, {c for _v, c in votes})
                if seat is None:
                    raise SourceError(
                        file,
                        record.location,
                        f"{vote.name or code} ({code}) is recorded as voting on "
                        f"{on:%d %B %Y} but was not on the Council that day",
                    )
                ballots.warnings.append(
                    f"{record.location}: {code} voted on {on} after its seat passed "
                    f"to {seat.code}; counted for {seat.code}"
                )
            if seat.state_id in seen:
                raise SourceError(
                    file, record.location, f"{seat.name} votes twice on {_name(record)}"
                )
            seen[seat.state_id] = vote
            out.append(_ballot(vote, seat))
        ballots.by_record[id(record)] = out
    return ballots


def _name(record: DraftRecord) -> str:
    if record.resolution_number:
        return f"S/RES/{record.resolution_number} ({record.resolution_year})"
    return record.draft_symbol or f"the vote of {record.date}"


def _code(vote: VoteRecord, record: DraftRecord, on, resolver, file: str) -> str:
    if vote.code:
        return vote.code
    code = resolver.resolve(vote.name, on)
    if code is None:
        raise SourceError(file, record.location, f"unknown member state name {vote.name!r}")
    return code


def _settle_duplicates(record, on, resolver, file, warnings) -> list[tuple[VoteRecord, str]]:
    votes = [(v, _code(v, record, on, resolver, file)) for v in record.votes]
    counts = Counter(code for _v, code in votes)
    twice = [code for code, n in counts.items() if n > 1]
    if not twice:
        return votes
    stated = {
        Position.YES: record.recorded_yes,
        Position.NO: record.recorded_no,
        Position.ABSTAIN: record.recorded_abstain,
    }
    kept = list(votes)
    for code in twice:
        listed = [(v, c) for v, c in kept if c == code]
        fits = []
        for keep in listed:
            trial = [(v, c) for v, c in kept if c != code or (v, c) == keep]
            tally = Counter(v.position for v, _c in trial)
            if all(n is None or tally[p] == n for p, n in stated.items()):
                fits.append(keep)
        if len(fits) != 1:
            raise SourceError(
                file,
                record.location,
                f"{listed[0][0].name or code} is listed {len(listed)} times on {_name(record)} "
                "and the stated counts do not say which vote stands",
            )
        kept = [(v, c) for v, c in kept if c != code or (v, c) == fits[0]]
        warnings.append(
            f"{record.location}: {code} is listed {len(listed)} times; the stated counts fit "
            f"only {Position(fits[0][0].position).label.lower()}, which is kept"
        )
    return kept


def _successor(code: str, on, calendar: CouncilCalendar, voting: set[str]):
    from votes.reference import permanent_terms

    seats = {row.seat for row in permanent_terms() if row.code == code}
    for seat_code in seats:
        holder = calendar.holder(seat_code, on)
        if holder is not None and holder.code not in voting:
            return holder
    return None


def _ballot(vote: VoteRecord, seat) -> Ballot:
    reason = NonVoting.UNSPECIFIED
    if vote.position == Position.NON_VOTING:
        if vote.not_present:
            reason = NonVoting.NOT_PRESENT
        elif vote.did_not_participate:
            reason = NonVoting.DID_NOT_PARTICIPATE
    return Ballot(
        state_id=seat.state_id,
        position=vote.position,
        non_voting=reason,
        note=vote.note[:300],
        name=seat.name,
        seat_id=seat.seat_id,
        seat=seat.seat,
    )


class VoteWriter:
    """Makes each draft's member votes equal to the source's, sparing editors' votes."""

    FIELDS = ("position", "non_voting", "note", "name_at_vote", "seat_id")

    def __init__(self, source: str, calendar: CouncilCalendar):
        self.source = source
        self.calendar = calendar
        self.editor_conflicts: list[tuple[int, dict]] = []

    def write(self, entries, ballots: Ballots) -> set[int]:
        wanted: dict[int, dict[int, Ballot]] = {}
        for draft, record, _before in entries:
            own = ballots.for_record(record)
            if own and not self._outranked(draft):
                wanted[draft.pk] = {b.state_id: b for b in own}
        existing: dict[int, dict[int, MemberVote]] = defaultdict(dict)
        for vote in MemberVote.objects.filter(draft_id__in=wanted).select_related("state"):
            existing[vote.draft_id][vote.state_id] = vote
        create, update, delete, changed = [], [], [], set()
        for draft_id, by_state in wanted.items():
            have = existing.get(draft_id, {})
            for state_id, ballot in by_state.items():
                vote = have.get(state_id)
                row = (ballot.position, ballot.non_voting, ballot.note, ballot.name, ballot.seat_id)
                if vote is None:
                    create.append(_new_vote(draft_id, ballot, self.source))
                    changed.add(draft_id)
                elif vote.source == Source.EDITOR:
                    if vote.position != ballot.position:
                        self._editor_kept(draft_id, vote, ballot)
                elif tuple(getattr(vote, f) for f in self.FIELDS) != row or (
                    vote.source != self.source
                ):
                    vote.position, vote.non_voting, vote.note, vote.name_at_vote = row[:4]
                    vote.seat_id, vote.source = ballot.seat_id, self.source
                    update.append(vote)
                    changed.add(draft_id)
            for state_id, vote in have.items():
                if state_id not in by_state and vote.source != Source.EDITOR:
                    delete.append(vote.pk)
                    changed.add(draft_id)
        MemberVote.objects.filter(pk__in=delete).delete()
        bulk_update(update, ["position", "non_voting", "note", "name_at_vote", "seat", "source"])
        bulk_insert(create)
        return changed

    def _outranked(self, draft) -> bool:
        """Whether a more trusted source already gave this draft's member votes."""
        rank = (
            VOTE_PRIORITY.index(self.source) if self.source in VOTE_PRIORITY else len(VOTE_PRIORITY)
        )
        return any(
            (draft.sources or {}).get(key, {}).get("values", {}).get("votes")
            for key in VOTE_PRIORITY[:rank]
            if key != Source.EDITOR
        )

    def _editor_kept(self, draft_id: int, vote: MemberVote, ballot: Ballot) -> None:
        self.editor_conflicts.append(
            (
                draft_id,
                {
                    "kind": "editor",
                    "field": f"vote:{vote.state.code}",
                    "values": {"editor": vote.position, self.source: ballot.position},
                    "detected_by": self.source,
                    "detail": f"the editor's vote for {vote.name_at_vote} is kept",
                },
            )
        )


def _new_vote(draft_id: int, ballot: Ballot, source: str) -> MemberVote:
    return MemberVote(
        draft_id=draft_id,
        state_id=ballot.state_id,
        position=ballot.position,
        non_voting=ballot.non_voting,
        note=ballot.note,
        name_at_vote=ballot.name,
        seat_id=ballot.seat_id,
        source=source,
    )
