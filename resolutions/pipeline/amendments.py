"""Votes on amendments and preliminary questions, from a secondary source.

No official source the project loads records them: the Library's meetings tables and
DGACM's files give only the vote on the draft itself. The Voting-Agent compilation
lists them, each at the meeting of the draft it amends (``extra["amended_draft"]``,
``resolutions.sources.voting_agent.checks.link_amendments``). Each becomes a record of
its own (``Draft.kind``), linked to that draft (``Draft.amends``), with:

* the amended draft's official date and meeting, never the compilation's;
* the compilation's member votes, checked against the Council of the day and labelled
  as compiled (``MemberVote.source``); where its checks withheld them, none;
* its outcome decided by the same engine (``refresh_outcomes``), not by the file.

The amended draft must be in the official record; a vote on an amendment to a draft
the official sources do not know is reported, not loaded. These records have this one
writer, recomputed whole on every load; they are counted as no draft
(``Draft.objects.published``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from resolutions.bulk import bulk_insert
from resolutions.models import Draft
from resolutions.pipeline.member_votes import CheckedVote, VoteChecker, fingerprint
from resolutions.source_entries import SourceEntry, SourceValues
from resolutions.sources.records import DraftRecord, SourceError
from votes.calendar import CouncilCalendar
from votes.choices import AMENDING_KINDS, VoteKind
from votes.models import MemberVote
from votes.seating import place

# What the parsers call each kind of vote (``extra["vote_on"]``).
KINDS = {"amendment": VoteKind.AMENDMENT, "preliminary_question": VoteKind.PRELIMINARY_QUESTION}


@dataclass
class AmendmentVote:
    """One vote on an amendment as it is to be stored: its draft, kind, record, votes."""

    amends: Draft
    kind: str
    record: DraftRecord
    votes: list[CheckedVote]
    ordinal: int  # among the votes of that kind and symbol on the same draft

    @property
    def key(self) -> tuple:
        return (self.amends.pk, self.kind, self.record.draft_symbol, self.ordinal)


def is_amending(record: DraftRecord) -> bool:
    return record.extra.get("vote_on") in KINDS


class AmendmentLoader:
    """Match, check and write one source's votes on amendments."""

    def __init__(self, source: str, version: str, calendar: CouncilCalendar, checker: VoteChecker):
        self.source, self.version = source, version
        self.calendar, self.checker = calendar, checker
        self.warnings: list[str] = []

    def run(self, records: list[DraftRecord], by_symbol: dict[str, list[Draft]]) -> set[int]:
        """Write the votes; the ids of the amendment records whose votes changed."""
        wanted = self.match(records, by_symbol)
        stored = _stored_by_key(self.source)
        keep = [self._write(vote, stored.get(vote.key)) for vote in wanted]
        stale = [d.pk for key, d in stored.items() if key not in {v.key for v in wanted}]
        Draft.objects.filter(pk__in=stale).delete()
        published = sum(1 for v in wanted if v.votes)
        self.warnings.append(
            f"{len(wanted)} vote(s) on amendments loaded as records of their own, linked to "
            f"the draft each amends; member votes (compiled) on {published}"
        )
        return {pk for pk in keep if pk}

    def match(self, records: list[DraftRecord], by_symbol: dict) -> list[AmendmentVote]:
        found: list[AmendmentVote] = []
        seen: Counter = Counter()
        for record in records:
            amends = _amended(record, by_symbol)
            if amends is None:
                kind = KINDS[record.extra["vote_on"]].label.lower()
                self.warnings.append(
                    f"a vote on a {kind} ({record.location}) names no draft of the official "
                    f"record it is on ({record.extra.get('amended_draft') or 'none'}): not loaded"
                )
                continue
            kind = KINDS[record.extra["vote_on"]]
            seen[(amends.pk, kind, record.draft_symbol)] += 1
            ordinal = seen[(amends.pk, kind, record.draft_symbol)]
            found.append(
                AmendmentVote(amends, kind, record, self._checked(record, amends), ordinal)
            )
        return found

    def _checked(self, record: DraftRecord, amends: Draft) -> list[CheckedVote]:
        try:
            return self.checker.check(record, amends.date)
        except SourceError as exc:
            self.warnings.append(f"{record.location}: member votes not loaded ({exc.reason})")
            return []

    def _write(self, vote: AmendmentVote, draft: Draft | None) -> int | None:
        """Create or update one amendment record; its id if its member votes changed."""
        draft = draft or Draft(source=self.source, kind=vote.kind, amends=vote.amends)
        fields = self._fields(vote)
        changed = {name for name, value in fields.items() if getattr(draft, name) != value}
        for name, value in fields.items():
            setattr(draft, name, value)
        if draft.pk is None or changed:
            draft.save()
        # Its year's counts move with its date, and with its publication (an editor
        # may have withdrawn it, which this sync undoes): the sitemaps count it.
        moved = changed & {"date", "is_published"}
        return draft.pk if self._write_votes(draft, vote.votes) or moved else None

    def _fields(self, vote: AmendmentVote) -> dict:
        amends, record = vote.amends, vote.record
        return {
            "date": amends.date,
            "meeting_id": amends.meeting_id,
            "agenda_item_id": amends.agenda_item_id,
            "draft_symbol": record.draft_symbol,
            "is_published": bool(vote.votes),
            "sources": {self.source: self._entry(vote)},
            "field_sources": {"date": "official record", "draft_symbol": self.source},
        }

    def _entry(self, vote: AmendmentVote) -> dict:
        record = vote.record
        values = SourceValues(
            date=record.date.isoformat() if record.date else None,
            draft_symbol=record.draft_symbol or None,
            outcome=record.outcome or None,
            votes=fingerprint(vote.votes) if vote.votes else None,
        )
        flags = [*record.flags, f"a vote on an amendment to {vote.amends.symbol}"]
        return SourceEntry(self.version, record.location, record.url, values, flags).to_json()

    def _write_votes(self, draft: Draft, votes: list[CheckedVote]) -> bool:
        """Replace the record's member votes by these, when they differ."""
        have = {
            (v.state_id, v.position, v.non_voting, v.note)
            for v in MemberVote.objects.filter(draft=draft)
        }
        want = {(v.state_id, v.position, v.non_voting, v.note) for v in votes}
        if have == want:
            return False
        MemberVote.objects.filter(draft=draft).delete()
        bulk_insert([self._vote(draft, v) for v in votes])
        return True

    def _vote(self, draft: Draft, vote: CheckedVote) -> MemberVote:
        stored = MemberVote(
            draft_id=draft.pk,
            state_id=vote.state_id,
            position=vote.position,
            non_voting=vote.non_voting,
            note=vote.note,
            source=self.source,
        )
        place(stored, draft.date, self.calendar)
        return stored


def _amended(record: DraftRecord, by_symbol: dict[str, list[Draft]]) -> Draft | None:
    """The official draft the record amends: by symbol, on the record's day if told."""
    drafts = by_symbol.get(record.extra.get("amended_draft") or "", [])
    if len(drafts) > 1 and record.meeting_symbol:
        drafts = [d for d in drafts if d.meeting and d.meeting.symbol == record.meeting_symbol]
    return drafts[0] if len(drafts) == 1 else None


def _stored_by_key(source: str) -> dict[tuple, Draft]:
    """The amendment records stored, by the key ``AmendmentVote.key`` gives them."""
    stored: dict[tuple, Draft] = {}
    seen: Counter = Counter()
    for draft in Draft.objects.filter(kind__in=AMENDING_KINDS, source=source).order_by("pk"):
        group = (draft.amends_id, draft.kind, draft.draft_symbol)
        seen[group] += 1
        stored[(*group, seen[group])] = draft
    return stored
