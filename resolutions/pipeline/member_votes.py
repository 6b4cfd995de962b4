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
from datetime import date
from typing import NoReturn

from resolutions.bulk import bulk_update, insert_rows
from resolutions.models import Draft
from resolutions.pipeline.merge import VOTE_PRIORITY
from resolutions.pipeline.vote_deletions import votes_to_delete
from resolutions.sources.records import DraftRecord, SourceError, VoteRecord
from votes.calendar import CouncilCalendar, Seat
from votes.choices import SECONDARY, NonVoting, Position, Source
from votes.models import MemberVote
from votes.names import default_resolver
from votes.reference import permanent_terms
from votes.seating import place, seat_and_name


@dataclass(frozen=True)
class CheckedVote:
    """One member's vote from a source, checked against the Council of its day."""

    state_id: int
    position: str
    non_voting: str
    note: str
    name: str
    seat_id: int | None
    seat: str | None
    source: str = ""  # as a dump restored by an editor's file states it (VoteRecord.source)


def fingerprint(votes: list[CheckedVote]) -> str:
    """A short hash of a record's member votes: a changed vote alone changes the record."""
    rows = sorted((v.state_id, v.position, v.non_voting, v.note) for v in votes)
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:16]


def permanent_no(votes: list[CheckedVote]) -> set[str]:
    """The permanent seats voting no."""
    return {v.seat for v in votes if v.seat and v.position == Position.NO}


class VoteChecker:
    """Checks each record's member votes against the Council of the record's day."""

    def __init__(self, calendar: CouncilCalendar, file: str):
        self.calendar = calendar
        self.file = file
        self.resolver = default_resolver()
        self.warnings: list[str] = []

    def check(self, record: DraftRecord, on: date) -> list[CheckedVote]:
        """The record's votes, each under the state and seat that cast it on that day."""
        if not record.votes:
            return []
        votes = self._settle_duplicates(record, on)
        voting = {code for _vote, code in votes}
        checked: dict[int, CheckedVote] = {}
        for vote, code in votes:
            seat = self._seat(record, vote, code, on, voting)
            if seat.state_id in checked:
                self._refuse(record, f"{seat.name} votes twice on {_name(record)}")
            checked[seat.state_id] = _checked(vote, seat)
        return list(checked.values())

    def _refuse(self, record: DraftRecord, reason: str) -> NoReturn:
        raise SourceError(self.file, record.location, reason)

    def _seat(self, record, vote: VoteRecord, code: str, on: date, voting: set[str]) -> Seat:
        state = self.calendar.by_code.get(code)
        if state is None:
            self._refuse(record, f"unknown member state code {code!r}")
        seat = self.calendar.seat_of(state.pk, on)
        if seat is not None:
            return seat
        seat = _successor(state.code, on, self.calendar, voting)
        if seat is None:
            self._refuse(
                record,
                f"{vote.name or code} ({code}) is recorded as voting on "
                f"{on:%d %B %Y} but was not on the Council that day",
            )
        self.warnings.append(
            f"{record.location}: {code} voted on {on} after its seat passed "
            f"to {seat.code}; counted for {seat.code}"
        )
        return seat

    def _code(self, vote: VoteRecord, record: DraftRecord, on: date) -> str:
        if vote.code:
            return vote.code
        code = self.resolver.resolve(vote.name, on)
        if code is None:
            self._refuse(record, f"unknown member state name {vote.name!r}")
        return code

    def _settle_duplicates(self, record: DraftRecord, on: date) -> list[tuple[VoteRecord, str]]:
        votes = [(v, self._code(v, record, on)) for v in record.votes]
        counts = Counter(code for _v, code in votes)
        for code in [code for code, n in counts.items() if n > 1]:
            votes = self._keep_the_one_that_fits(record, votes, code)
        return votes

    def _keep_the_one_that_fits(self, record: DraftRecord, votes: list, code: str) -> list:
        """Of a member listed more than once, the listing the stated counts fit."""
        listed = [(v, c) for v, c in votes if c == code]

        def without_others(keep):
            return [(v, c) for v, c in votes if c != code or (v, c) == keep]

        fits = [keep for keep in listed if _fits_counts(record, without_others(keep))]
        if len(fits) != 1:
            self._refuse(
                record,
                f"{listed[0][0].name or code} is listed {len(listed)} times on {_name(record)} "
                "and the stated counts do not say which vote stands",
            )
        self.warnings.append(
            f"{record.location}: {code} is listed {len(listed)} times; the stated counts fit "
            f"only {Position(fits[0][0].position).label.lower()}, which is kept"
        )
        return without_others(fits[0])


def _fits_counts(record: DraftRecord, votes: list) -> bool:
    stated = {
        Position.YES: record.recorded_yes,
        Position.NO: record.recorded_no,
        Position.ABSTAIN: record.recorded_abstain,
    }
    tally = Counter(v.position for v, _c in votes)
    return all(n is None or tally[p] == n for p, n in stated.items())


def _name(record: DraftRecord) -> str:
    if record.resolution_number:
        return f"S/RES/{record.resolution_number} ({record.resolution_year})"
    return record.draft_symbol or f"the vote of {record.date}"


def _successor(code: str, on: date, calendar: CouncilCalendar, voting: set[str]) -> Seat | None:
    """The holder that day of a permanent seat the state once held, if it did not vote too."""
    seats = {row.seat for row in permanent_terms() if row.code == code}
    for seat_code in seats:
        holder = calendar.holder(seat_code, on)
        if holder is not None and holder.code not in voting:
            return holder
    return None


def _checked(vote: VoteRecord, seat: Seat) -> CheckedVote:
    reason = NonVoting.UNSPECIFIED
    if vote.position == Position.NON_VOTING:
        if vote.not_present:
            reason = NonVoting.NOT_PRESENT
        elif vote.did_not_participate:
            reason = NonVoting.DID_NOT_PARTICIPATE
    return CheckedVote(
        state_id=seat.state_id,
        position=vote.position,
        non_voting=reason,
        note=vote.note[:300],
        name=seat.name,
        seat_id=seat.seat_id,
        seat=seat.seat,
        source=vote.source,
    )


# Votes an official source's writer leaves alone when it lists no vote for the member:
# an editor's, and the deduced and compiled votes, which have writers of their own
# (``deduction``, and the secondary sources' loads) that recompute them.
_OTHER_WRITERS = frozenset({Source.EDITOR, Source.DEDUCED, *SECONDARY})


@dataclass
class _VoteChanges:
    create: list[dict] = field(default_factory=list)  # rows for bulk.insert_rows
    update: list[MemberVote] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    drafts: set[int] = field(default_factory=set)


class VoteWriter:
    """Makes each draft's member votes equal to the source's, sparing editors' votes.

    A vote's seat and its name on the day are set by the project's one writer of
    them, ``votes.seating.place``, from the Council of the draft's date.
    """

    def __init__(self, source: str, calendar: CouncilCalendar):
        self.source = source
        self.calendar = calendar
        # Per draft id: the editor's votes kept over the source's, as disagreements.
        self.editor_conflicts: dict[int, list[dict]] = defaultdict(list)

    def write(self, drafts: list[tuple[Draft, list[CheckedVote]]]) -> set[int]:
        """Write the votes of (draft, votes) pairs; returns the ids of drafts changed."""
        wanted = {
            draft.pk: (draft, {v.state_id: v for v in votes})
            for draft, votes in drafts
            if votes and not self._outranked(draft)
        }
        existing: dict[int, dict[int, MemberVote]] = defaultdict(dict)
        for vote in MemberVote.objects.filter(draft_id__in=wanted).select_related("state"):
            existing[vote.draft_id][vote.state_id] = vote
        changes = _VoteChanges()
        for draft, by_state in wanted.values():
            self._plan(draft, by_state, existing.get(draft.pk, {}), changes)
        MemberVote.objects.filter(pk__in=changes.delete).delete()
        bulk_update(
            changes.update, ["position", "non_voting", "note", "name_at_vote", "seat", "source"]
        )
        insert_rows(MemberVote, changes.create)
        return changes.drafts

    def _plan(self, draft: Draft, by_state: dict, have: dict, changes: _VoteChanges) -> None:
        for state_id, vote in by_state.items():
            self._plan_vote(draft, vote, have.get(state_id), changes)
        omitted = [
            old
            for state_id, old in have.items()
            if state_id not in by_state and old.source not in _OTHER_WRITERS
        ]
        # Whether an omitted vote goes, or the whole import is refused (issue 12).
        for old in votes_to_delete(draft, omitted, self.source) if omitted else ():
            changes.delete.append(old.pk)
            changes.drafts.add(draft.pk)

    def _plan_vote(self, draft: Draft, vote: CheckedVote, old, changes: _VoteChanges) -> None:
        if old is not None and old.source == Source.EDITOR:
            self._keep_editors(draft.pk, old, vote)
            return
        if old is None:
            changes.create.append(self._new_row(draft, vote))
            changes.drafts.add(draft.pk)
            return
        before = _stored(old)
        old.position, old.non_voting, old.note = vote.position, vote.non_voting, vote.note
        old.source = self._source_of(vote)
        place(old, draft.date, self.calendar)
        if _stored(old) != before:
            changes.update.append(old)
            changes.drafts.add(draft.pk)

    def _new_row(self, draft: Draft, vote: CheckedVote) -> dict:
        """A new vote as a row (resolutions.bulk.insert_rows), seated as ``place`` seats it."""
        seat_id, name = seat_and_name(vote.state_id, draft.date, self.calendar)
        return {
            "draft_id": draft.pk,
            "state_id": vote.state_id,
            "position": vote.position,
            "non_voting": vote.non_voting,
            "name_at_vote": name,
            "seat_id": seat_id,
            "note": vote.note,
            "source": self._source_of(vote),
        }

    def _source_of(self, vote: CheckedVote) -> str:
        """An editor's file that restores this site's dump keeps each vote's stated
        source, so that a deduced or compiled vote is not relabelled an editor's."""
        if self.source == Source.EDITOR and vote.source:
            return vote.source
        return self.source

    def _outranked(self, draft: Draft) -> bool:
        """Whether a more trusted source already gave this draft's member votes."""
        rank = (
            VOTE_PRIORITY.index(self.source) if self.source in VOTE_PRIORITY else len(VOTE_PRIORITY)
        )
        return any(
            (draft.sources or {}).get(key, {}).get("values", {}).get("votes")
            for key in VOTE_PRIORITY[:rank]
            if key != Source.EDITOR
        )

    def _keep_editors(self, draft_id: int, old: MemberVote, vote: CheckedVote) -> None:
        """An editor's vote stands; where this source gives another, say it was kept."""
        if old.position != vote.position:
            self._editor_kept(draft_id, old, vote)

    def _editor_kept(self, draft_id: int, old: MemberVote, vote: CheckedVote) -> None:
        self.editor_conflicts[draft_id].append(
            {
                "kind": "editor",
                "field": f"vote:{old.state.code}",
                "values": {"editor": old.position, self.source: vote.position},
                "detected_by": self.source,
                "detail": f"the editor's vote for {old.name_at_vote} is kept",
            }
        )


def _stored(vote: MemberVote) -> tuple:
    """What the writer compares to tell whether a stored vote changes."""
    return (
        vote.position,
        vote.non_voting,
        vote.note,
        vote.name_at_vote,
        vote.seat_id,
        vote.source,
    )
