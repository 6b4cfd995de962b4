"""Secondary sources (third-party compilations): checked against the official record.

The Voting-Agent compilation, the Yordán veto list and the unsc_for_us sample of failed
drafts rank below every official source (``votes.choices.SECONDARY``). Loading one:

* **never creates a draft nor sets a draft's field**: each record is matched to the
  draft the official sources describe (by resolution number, draft symbol, or meeting);
  a record that matches none is reported, not loaded;
* stores what it said under ``Draft.sources[source]`` (its version and location), so
  that the page and the exports can name it;
* **checks it** against the official record: the date, the tally, the vetoing seats,
  the stated outcome and every member vote an official source, the deduction or an
  editor gave. Where it agrees, its member votes are written for the members that have
  none (``MemberVote.source`` is the compilation's); where it disagrees, each difference
  is a ``Disagreement`` detected by the compilation, and its votes are kept in the
  entry's ``held_back`` (a suggestion for an editor), never written;
* writes nothing a parser's check found wrong: those values are already left out of
  the records, and the faults are counted by kind in the summary.

Its votes and disagreements have this one writer, recomputed whole on every load.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import product

from resolutions.bulk import bulk_insert, bulk_update
from resolutions.models import Disagreement, Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.amendments import AmendmentLoader, is_amending
from resolutions.pipeline.compiled_only import compiled_only, load_compiled_only
from resolutions.pipeline.member_votes import CheckedVote, VoteChecker, fingerprint, permanent_no
from resolutions.pipeline.sponsors import write_sponsors
from resolutions.pipeline.summary import ImportSummary, recorded_import
from resolutions.source_entries import SourceEntry, SourceValues
from resolutions.sources.records import DraftRecord, ParsedSource, SourceError
from resolutions.sources.values import seat_codes
from votes.calendar import CouncilCalendar
from votes.choices import Evidence, Outcome, Source, VoteKind, evidence_of
from votes.models import MemberVote
from votes.outcome import Decision, Tally, decide
from votes.reference.load import load_reference_data
from votes.seating import place
from votes.seats import seat_sort_key

# Parts of drafts, amendments and preliminary questions are votes of their own, not the
# draft's: loading them onto the draft would give it another vote's member votes. Votes on
# amendments and preliminary questions are records of their own (pipeline.amendments).
WHOLE_DRAFT = "draft"


def load_secondary(
    parsed: ParsedSource, *, dry_run: bool = False, sha256: str = ""
) -> ImportSummary:
    """Check one parsed secondary source against the official record and load it."""
    summary = ImportSummary(parsed.source, parsed.version, dry_run=dry_run)
    summary.warnings = list(parsed.warnings)
    digest = sha256 or hashlib.sha256(repr(parsed.records).encode()).hexdigest()
    recorded_import(
        summary,
        str(parsed.location),
        lambda: _SecondaryLoader(parsed, summary).run(),
        model=Draft,
        sha256=digest,
    )
    return summary


@dataclass
class Checked:
    """One record matched to its draft, and what checking it against the record found."""

    draft: Draft
    record: DraftRecord
    votes: list[CheckedVote] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # disagreements, as the loader stores them
    unverified: str = ""  # why its votes could not be checked (no official tally)
    notes: list[str] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return bool(self.votes) and not self.problems and not self.unverified


class _Index:
    """The drafts the official sources describe, by resolution, symbol and meeting."""

    def __init__(self, drafts: list[Draft]):
        self.by_resolution = {d.resolution_number: d for d in drafts if d.resolution_number}
        self.by_symbol: dict[str, list[Draft]] = defaultdict(list)
        self.by_meeting: dict[str, list[Draft]] = defaultdict(list)
        self.by_date: dict[date, list[Draft]] = defaultdict(list)
        for draft in drafts:
            self.by_date[draft.date].append(draft)
            if draft.draft_symbol:
                self.by_symbol[draft.draft_symbol].append(draft)
            if draft.meeting is not None:
                self.by_meeting[draft.meeting.symbol].append(draft)

    def match(self, record: DraftRecord) -> Draft | None:
        if record.resolution_number:
            return self.by_resolution.get(record.resolution_number)
        symbol = record.draft_symbol
        if symbol and not symbol.startswith("S/PV.") and symbol in self.by_symbol:
            return _one(self.by_symbol[symbol], record)
        return self._match_by_meeting(record, symbol)

    def may_stand_alone(self, record: DraftRecord) -> bool:
        """Whether a record no official record matches can be a record of its own."""
        return not self.why_not_alone(record)

    def why_not_alone(self, record: DraftRecord) -> str:
        """Why a record no official record matches cannot be a record of its own, in
        words; empty where it can.

        It needs a date and a draft symbol proper (or a resolution number, which no
        official record has, since none matched). A record without a resolution
        number at a meeting whose votes an official source records is more likely a
        vote on a part of a draft or an amendment, or a draft the official record
        lists without its symbol, than a draft the official sources all missed: it
        is left for an editor rather than risk counting one vote twice.
        """
        if record.date is None:
            return "the file gives no date that can be right"
        if record.resolution_number:
            return ""
        symbol = record.draft_symbol
        if not symbol or symbol.startswith("S/PV."):
            return "the file names no draft symbol"
        # Without its meeting, any official vote that day rules it out.
        where = record.meeting_symbol or f"{record.date:%d %B %Y}"
        near = (
            self.by_meeting.get(record.meeting_symbol, [])
            if record.meeting_symbol
            else self.by_date.get(record.date, [])
        )
        official = sorted(d.symbol for d in near if not compiled_only(d))
        if official:
            return (
                f"the official record holds {', '.join(official)} at {where} and no other "
                "vote: this may be an amendment or a part of it"
            )
        return ""

    def _match_by_meeting(self, record: DraftRecord, symbol: str) -> Draft | None:
        """A draft the official sources know without its symbol (the meetings tables
        leave some out), or a record that names only the meeting."""
        meeting = record.meeting_symbol or (symbol if symbol.startswith("S/PV.") else "")
        drafts = [
            d
            for d in self.by_meeting.get(meeting, [])
            if not d.resolution_number and d.draft_symbol in ("", symbol, meeting)
        ]
        return _one(drafts, record) if drafts else None


def _one(drafts: list[Draft], record: DraftRecord) -> Draft | None:
    """The one draft that can be the record's: on its day, else the only one that year."""
    same_day = [d for d in drafts if d.date == record.date] if record.date else []
    if len(same_day) == 1:
        return same_day[0]
    year = _record_year(record)
    return _only([d for d in drafts if year is None or d.date.year == year])


def _dashed(counts) -> str:
    """7–2–6."""
    return "–".join(str(n) for n in counts)


def _only(drafts: list[Draft]) -> Draft | None:
    return drafts[0] if len(drafts) == 1 else None


def _differs(old: MemberVote, vote: CheckedVote) -> bool:
    """A stored vote this source is checked against that gives another position."""
    return _checked_against(old) and old.position != vote.position


def _values(checked: Checked) -> SourceValues:
    """What the record says, as the source entry keeps it."""
    record = checked.record
    said = _said_tally(checked)
    return SourceValues(
        date=record.date.isoformat() if record.date else None,
        draft_symbol=record.draft_symbol or None,
        resolution=[record.resolution_number, record.resolution_year]
        if record.resolution_number
        else None,
        sponsors=list(record.sponsors) or None,
        totals=[*said, None, len(record.votes) or None] if said else None,
        outcome=record.outcome or None,
        vetoed_by=seat_codes(record.vetoed_by) if record.vetoed_by else None,
        votes=fingerprint(checked.votes) if checked.votes else None,
    )


def _still_said(disagreement: Disagreement, problem: dict | None) -> bool:
    """Whether a stored disagreement is the one the source still gives, word for word."""
    if problem is None:
        return False
    return (disagreement.values, disagreement.detail) == (problem["values"], problem["detail"])


def _said_vetoes(checked: Checked) -> list[str] | None:
    """The permanent members the record has voting no, or None where it says nothing."""
    record = checked.record
    if checked.votes:
        return sorted({v.seat for v in checked.votes if v.seat and v.position == "N"})
    if record.outcome == Outcome.VETOED and record.vetoed_by:
        return seat_codes(record.vetoed_by)
    return None


def _record_year(record: DraftRecord) -> int | None:
    """The year a record gives: its date's, else the sample's year, else the year as written."""
    year = record.date.year if record.date else (record.extra or {}).get("year")
    if year is None and record.extra.get("date_as_written"):
        year = record.extra["date_as_written"].year
    return year


class _SecondaryLoader:
    def __init__(self, parsed: ParsedSource, summary: ImportSummary):
        load_reference_data()
        self.parsed = parsed
        self.source = parsed.source
        self.summary = summary
        self.calendar = CouncilCalendar()
        self.checker = VoteChecker(self.calendar, str(parsed.location))
        self.own: set[int] = set()
        # Records matching no record here that cannot be one of their own, and why.
        self.unplaced: list[tuple[DraftRecord, str]] = []
        self.amending: list[DraftRecord] = []

    def run(self) -> None:
        drafts = list(
            Draft.objects.filter(kind=VoteKind.DRAFT_RESOLUTION)
            .select_related("meeting")
            .prefetch_related("vetoes__seat")
            .order_by("pk")
        )
        # Its own records (compiled_only) have the loader's steps as their writer: the
        # checks below neither drop their entries, votes and disagreements nor redo them.
        self.own = {d.pk for d in drafts if compiled_only(d) and d.source == self.source}
        index = _Index(drafts)
        matched, alone = self.match(index)
        stored = _stored_votes(list(matched))
        checks = [
            self.check(draft, record, stored.get(draft.pk, {})) for draft, record in matched.items()
        ]
        entries_changed = self.write_entries(drafts, checks)
        votes_changed = self.write_votes(checks, stored) | self.write_amendments(index)
        self.summary.conflicts = self.write_disagreements(checks)
        if votes_changed:
            refresh_outcomes(sorted(votes_changed), calendar=self.calendar)
        write_sponsors({c.draft.pk for c in checks} | entries_changed)
        self.count(checks, entries_changed | votes_changed)
        load_compiled_only(self.parsed, alone, self.summary)

    # matching ---------------------------------------------------------------------
    def match(self, index: _Index) -> tuple[dict[Draft, DraftRecord], list[DraftRecord]]:
        """Records matched to a draft to check them against, and those that are a
        record of this compilation alone (resolutions.pipeline.compiled_only)."""
        matched: dict[Draft, DraftRecord] = {}
        unmatched: list[DraftRecord] = []
        alone: list[DraftRecord] = []
        repeated, other_votes = 0, Counter[str]()
        for record in self.parsed.records:
            for kind, _detail in record.extra.get("faults", ()):
                self.summary.faults[kind] += 1
            vote_on = record.extra.get("vote_on", WHOLE_DRAFT)
            if is_amending(record):
                self.amending.append(record)  # a record of its own (pipeline.amendments)
                continue
            if vote_on != WHOLE_DRAFT:
                other_votes[vote_on] += 1
                continue
            draft = index.match(record)
            if draft is None:
                (alone if index.may_stand_alone(record) else unmatched).append(record)
            elif compiled_only(draft) and draft.source == self.source:
                alone.append(record)  # its own record, loaded again
            elif draft in matched:
                repeated += 1
            else:
                matched[draft] = record
        self._report_matching(unmatched, repeated, other_votes)
        self.unplaced = [(record, index.why_not_alone(record)) for record in unmatched]
        return matched, alone

    def _report_matching(self, unmatched: list, repeated: int, other_votes: Counter) -> None:
        warnings = self.summary.warnings
        for kind, n in sorted(other_votes.items()):
            warnings.append(
                f"{n} vote(s) on a {kind.replace('_', ' ')}, not on a whole draft: not loaded"
            )
        if repeated:
            warnings.append(
                f"{repeated} record(s) describe a draft another record did: counted once"
            )
        if unmatched:
            named = ", ".join(_named(r) for r in unmatched[:8])
            more = f" and {len(unmatched) - 8} more" if len(unmatched) > 8 else ""
            warnings.append(
                f"{len(unmatched)} record(s) match no vote the official sources record and "
                "cannot stand alone (no draft symbol or date, or at a meeting whose votes "
                f"the official sources do record), so nothing of them is loaded: {named}{more}"
            )

    # checking ---------------------------------------------------------------------
    def check(self, draft: Draft, record: DraftRecord, have: dict[int, MemberVote]) -> Checked:
        checked = Checked(draft, record)
        self._check_date(checked)
        self._check_votes(checked)
        self._check_tally(checked, have)
        self._check_vetoes(checked)
        self._check_members(checked, have)
        return checked

    def _problem(self, checked: Checked, kind: str, name: str, official, said, detail: str) -> None:
        origin = _origin(checked.draft, name)
        checked.problems.append(
            {
                "kind": kind,
                "field": name,
                "values": {origin: official, self.source: said},
                "detected_by": self.source,
                "detail": detail,
            }
        )

    def _check_date(self, checked: Checked) -> None:
        if checked.record.date is not None:
            self._check_written_date(checked, checked.record.date)
        else:
            self._check_withheld_date(checked)

    def _check_written_date(self, checked: Checked, written: date) -> None:
        on = checked.draft.date
        if _swapped(written) == on:
            # Day and month swapped where the file's own order could not tell: the
            # same fault as the parser's day_month_swapped, caught here.
            self.summary.faults["day_month_swapped_official_date"] += 1
            checked.notes.append(
                f"dated {written.isoformat()} in the file, day and month swapped; "
                f"the official date is {on.isoformat()}"
            )
        elif written != on:
            self._problem(
                checked,
                "date",
                "date",
                on.isoformat(),
                written.isoformat(),
                f"{self._label} dates this vote {written:%d %B %Y}",
            )

    def _check_withheld_date(self, checked: Checked) -> None:
        """A record without a date: one withheld as swapped, or a sample's year only."""
        record, on = checked.record, checked.draft.date
        extra = record.extra or {}
        if extra.get("date_deduced") == on or on in extra.get("date_candidates", ()):
            # A date the parser withheld as swapped (or swappable) whose reading is the
            # official date: the record is of this vote (the fault is counted by kind).
            checked.notes.append(
                f"dated {extra['date_as_written']} in the file, day and month swapped; "
                f"the official date {on.isoformat()} confirms the swap"
            )
            return
        if "date_as_written" not in extra and extra.get("year") == on.year:
            return  # the sample gives years only
        written = extra.get("date_as_written") or extra.get("year")
        self._problem(
            checked,
            "date",
            "date",
            on.isoformat(),
            str(written),
            f"{self._label}'s date ({written}) is not the official one",
        )

    def _check_votes(self, checked: Checked) -> None:
        record, draft = checked.record, checked.draft
        if not record.votes:
            return
        if not (draft.draft_symbol or draft.resolution_number):
            # A record the official sources know only by its meeting (S/PV.8823 for
            # S/2021/667) cannot be published with votes (resolutions.rules.
            # publishing_needs), nor could an export of it be read back: the votes are
            # held back until an editor adds its symbol.
            named = f" ({record.draft_symbol} here)" if record.draft_symbol else ""
            checked.unverified = f"the official record names no draft symbol{named}"
        try:
            checked.votes = self.checker.check(record, draft.date)
        except SourceError as exc:
            checked.unverified = exc.reason

    def _check_tally(self, checked: Checked, have: dict[int, MemberVote]) -> None:
        draft = checked.draft
        said = _said_tally(checked)
        if said is None:
            return
        official = _official_tally(draft, have, self.calendar)
        if official is None:
            self._check_without_tally(checked)
        elif not _reachable(said, official, checked.record.extra.get("conflicting", {})):
            self._tally_differs(checked, said, official)

    def _check_without_tally(self, checked: Checked) -> None:
        """No official tally (S/2025/353: DGACM names the veto, gives no votes): votes
        listing every member are checked against the official outcome and vetoes."""
        if _fits_official_outcome(checked, self.calendar):
            checked.notes.append(
                "no official tally: its votes are checked against the official outcome "
                "and vetoing seats (Article 27), and the members sitting that day"
            )
        else:
            checked.unverified = (
                checked.unverified or "no official tally to check its votes against"
            )

    def _tally_differs(self, checked: Checked, said: tuple, official: tuple) -> None:
        text, recorded = _dashed(said), _dashed(official)
        counted = "member votes count" if checked.record.votes else "tally is"
        self._problem(
            checked,
            "tally",
            "totals",
            recorded,
            text,
            f"{self._label}'s {counted} {text}; the official tally is {recorded}",
        )

    def _check_outcome(self, checked: Checked) -> None:
        draft, record = checked.draft, checked.record
        if record.outcome and record.outcome != draft.outcome:
            self._problem(
                checked,
                "outcome",
                "outcome",
                draft.outcome,
                record.outcome,
                f"{self._label} says {Outcome(record.outcome).label.lower()}",
            )

    def _check_vetoes(self, checked: Checked) -> None:
        draft = checked.draft
        self._check_outcome(checked)
        said = _said_vetoes(checked)
        if said is None:
            return
        if draft.outcome == Outcome.VETOED:
            self._check_vetoers(checked, said)
        elif draft.outcome == Outcome.ADOPTED and said and not draft.procedural:
            self._problem(
                checked,
                "outcome",
                "vetoed_by",
                [],
                said,
                f"{self._label} has {_seats(said)} voting no on a draft adopted",
            )

    def _check_vetoers(self, checked: Checked, said: list[str]) -> None:
        """On a vetoed draft, the permanent members voting no are the official vetoers."""
        official = sorted(v.seat.code for v in checked.draft.vetoes.all())
        if said != official:
            self._problem(
                checked,
                "outcome",
                "vetoed_by",
                official,
                said,
                f"{self._label} names {_seats(said) or 'no permanent member'} voting no",
            )

    def _check_members(self, checked: Checked, have: dict[int, MemberVote]) -> None:
        differ = [
            f"{vote.name}: {old.position} ({old.source}), {vote.position} here"
            for vote in checked.votes
            if (old := have.get(vote.state_id)) is not None and _differs(old, vote)
        ]
        if differ:
            checked.problems.append(
                {
                    "kind": "field",
                    "field": "member votes",
                    "values": {"recorded": len(differ), self.source: "; ".join(differ)[:500]},
                    "detected_by": self.source,
                    "detail": f"{self._label} gives {len(differ)} member vote(s) otherwise",
                }
            )

    @property
    def _label(self) -> str:
        return Source(self.source).label

    # writing ----------------------------------------------------------------------
    def write_entries(self, drafts: list[Draft], checks: list[Checked]) -> set[int]:
        wanted = {c.draft.pk: self._entry(c) for c in checks}
        changed = []
        for draft in drafts:
            if draft.pk in self.own:
                continue
            sources = self._with_entry(draft.sources or {}, wanted.get(draft.pk))
            if sources != (draft.sources or {}):
                draft.sources = sources
                changed.append(draft)
        bulk_update(changed, ["sources"])
        return {d.pk for d in changed}

    def _with_entry(self, sources: dict, entry: dict | None) -> dict:
        """The draft's source entries with this source's replaced (or dropped, if None)."""
        sources = dict(sources)
        if entry is None:
            sources.pop(self.source, None)
        else:
            sources[self.source] = entry
        return sources

    def _entry(self, checked: Checked) -> dict:
        record = checked.record
        flags = [*record.flags, *checked.notes]
        entry = SourceEntry(
            self.parsed.version,
            record.location,
            record.url,
            _values(checked),
            flags,
            held_back=self._held_back(checked),
        )
        return entry.to_json()

    def _held_back(self, checked: Checked) -> dict | None:
        """The votes this source gives but that are not published, and why."""
        record = checked.record
        if not record.votes or checked.publishable:
            return None
        reasons = [p["detail"] for p in checked.problems] + [checked.unverified]
        return {"reason": "; ".join(r for r in reasons if r), "votes": self._held_votes(checked)}

    def _held_votes(self, checked: Checked) -> dict[str, str]:
        """The held-back positions by member code: as checked, else as the file gave them."""
        checked_votes = {_code(v, self.calendar): v.position for v in (checked.votes or [])}
        return checked_votes or {v.code or v.name: v.position for v in checked.record.votes}

    def write_votes(
        self, checks: list[Checked], stored: dict[int, dict[int, MemberVote]]
    ) -> set[int]:
        """Each matched draft's votes from this source: those that agree, for members with
        no other vote; none where it disagrees. Returns the drafts whose votes changed."""
        changes: tuple[list[MemberVote], list[MemberVote], list[MemberVote]] = ([], [], [])
        for checked in checks:
            self._plan_votes(checked, stored.get(checked.draft.pk, {}), changes)
        create, update, delete = changes
        # Votes on drafts it no longer matches at all.
        matched = {c.draft.pk for c in checks}
        delete += MemberVote.objects.filter(
            source=self.source, draft__kind=VoteKind.DRAFT_RESOLUTION
        ).exclude(draft_id__in=matched | self.own)
        MemberVote.objects.filter(pk__in=[v.pk for v in delete]).delete()
        bulk_update(update, ["position", "non_voting", "note", "name_at_vote", "seat", "source"])
        bulk_insert(create)
        return {v.draft_id for v in [*create, *update, *delete]}

    def _plan_votes(self, checked: Checked, have: dict[int, MemberVote], changes: tuple) -> None:
        create, update, delete = changes
        wanted = {v.state_id: v for v in checked.votes} if checked.publishable else {}
        delete += [v for s, v in have.items() if v.source == self.source and s not in wanted]
        for state_id, vote in wanted.items():
            old = have.get(state_id)
            if old is None:
                target = MemberVote(draft_id=checked.draft.pk, state_id=state_id)
                create.append(self._placed(target, vote, checked.draft.date))
            elif old.source == self.source:
                # Not an official, deduced, editor's or other compiled vote, which stands.
                before = _stored(old)
                if _stored(self._placed(old, vote, checked.draft.date)) != before:
                    update.append(old)

    def _placed(self, target: MemberVote, vote, on) -> MemberVote:
        """The stored vote given this source's position, seated as on the day."""
        target.position, target.non_voting = vote.position, vote.non_voting
        target.note, target.source = vote.note, self.source
        place(target, on, self.calendar)
        return target

    def write_amendments(self, index: _Index) -> set[int]:
        """The votes on amendments, records of their own (``pipeline.amendments``)."""
        loader = AmendmentLoader(self.source, self.parsed.version, self.calendar, self.checker)
        changed = loader.run(self.amending, index.by_symbol)
        if self.amending or changed:
            self.summary.warnings += loader.warnings
        return changed

    def write_disagreements(self, checks: list[Checked]) -> int:
        wanted: dict[tuple, dict] = {
            (c.draft.pk, p["kind"], p["field"]): p for c in checks for p in c.problems
        }
        for record, why in self.unplaced:
            problem = self._unplaced(record, why)
            wanted[(None, problem["kind"], problem["field"])] = problem
        existing = {
            (d.draft_id, d.kind, d.field): d
            for d in Disagreement.objects.filter(detected_by=self.source)
            .exclude(draft_id__in=self.own)
            .exclude(field=Disagreement.SPONSORS)
        }
        stale = [d.pk for key, d in existing.items() if not _still_said(d, wanted.get(key))]
        Disagreement.objects.filter(pk__in=stale).delete()
        kept = {key for key in existing if key in wanted and existing[key].pk not in stale}
        Disagreement.objects.bulk_create(
            [self._disagreement(key, p) for key, p in wanted.items() if key not in kept],
            batch_size=500,
        )
        return len(wanted)

    def _unplaced(self, record: DraftRecord, why: str) -> dict:
        """A record placed nowhere, kept as a disagreement with no draft: the vetoes page
        and data_report list it, so that no vote a source gives is silently dropped."""
        vetoed = seat_codes(record.vetoed_by) if record.outcome == Outcome.VETOED else []
        said = {
            "symbol": record.draft_symbol or None,
            "date": record.date.isoformat() if record.date else None,
            "meeting": record.meeting_symbol or None,
            "outcome": record.outcome or None,
            "vetoed_by": vetoed or None,
            "location": record.location,
        }
        outcome = f"vetoed by {', '.join(vetoed)}" if vetoed else (record.outcome or "a vote")
        return {
            "kind": Disagreement.Kind.MATCH,
            "field": f"{_named(record)} {record.location}"[:60],
            "values": {self.source: said},
            "detail": (
                f"{self._label} lists {_named(record)}"
                + (f" at {record.meeting_symbol}" if record.meeting_symbol else "")
                + f" ({outcome}); no record here matches it, and it is not a record of "
                f"its own because {why}. An editor can add it or match it."
            ),
        }

    def _disagreement(self, key: tuple, problem: dict) -> Disagreement:
        draft_id, kind, name = key
        return Disagreement(
            draft_id=draft_id,
            kind=kind,
            field=name,
            values=problem["values"],
            detail=problem["detail"],
            detected_by=self.source,
        )

    def count(self, checks: list[Checked], changed: set[int]) -> None:
        self.summary.updated = len(changed)
        self.summary.unchanged = len(checks) - len(changed & {c.draft.pk for c in checks})
        published = [c for c in checks if c.publishable]
        held = [c for c in checks if c.record.votes and not c.publishable]
        self.summary.warnings += [
            f"{len(checks)} record(s) matched an official record; member votes agreeing "
            f"with it on {len(published)}, held back on {len(held)} for an editor",
            *self.checker.warnings,
        ]


def _stored_votes(drafts: list[Draft]) -> dict[int, dict[int, MemberVote]]:
    stored: dict[int, dict[int, MemberVote]] = defaultdict(dict)
    for vote in MemberVote.objects.filter(draft_id__in=[d.pk for d in drafts]).order_by("pk"):
        stored[vote.draft_id][vote.state_id] = vote
    return stored


def _origin(draft: Draft, name: str) -> str:
    field_name = {
        "totals": "recorded_yes",
        "vetoed_by": "recorded_vetoed_by",
        "outcome": "recorded_outcome",
    }.get(name, name)
    return (draft.field_sources or {}).get(field_name) or "official record"


def _checked_against(vote: MemberVote) -> bool:
    """An official, deduced or editor's vote: what a compilation is checked against
    (another compilation's votes are not)."""
    return evidence_of(vote.source) != Evidence.COMPILED


def _official(origin: str | None) -> bool:
    return bool(origin) and origin in Source.values and evidence_of(origin) == Evidence.OFFICIAL


def _official_tally(
    draft: Draft, have: dict[int, MemberVote], calendar: CouncilCalendar
) -> tuple[int, int, int] | None:
    """Yes, no, abstain as an official source records them, or its member votes count."""
    if draft.recorded_tally is not None and _official(
        (draft.field_sources or {}).get("recorded_yes")
    ):
        tally = draft.recorded_tally
        return (tally.yes, tally.no, tally.abstain)
    official = [v.position for v in have.values() if evidence_of(v.source) == Evidence.OFFICIAL]
    if len(official) == len(calendar.sitting(draft.date)):
        counts = Counter(official)
        return (counts["Y"], counts["N"], counts["A"])
    return None


def _reachable(said: tuple, official: tuple, conflicting: dict) -> bool:
    """Whether the official tally is the record's, one listing of each member it lists
    under two votes (its vote left out) added: the deduction then settles that member."""
    for combo in product(*conflicting.values()):
        counts = Counter(combo)
        if tuple(n + counts[p] for n, p in zip(said, "YNA", strict=True)) == official:
            return True
    return False


def _fits_official_outcome(checked: Checked, calendar: CouncilCalendar) -> bool:
    """Votes of every member sitting that Article 27 decides as the official source
    states the outcome (and the vetoes, checked apart)."""
    draft, votes = checked.draft, checked.votes
    stated = draft.recorded_outcome
    if not (votes and stated and _official((draft.field_sources or {}).get("recorded_outcome"))):
        return False
    if len(votes) != len(calendar.sitting(draft.date)):
        return False
    counts = Counter(v.position for v in votes)
    result = decide(
        Decision(
            on=draft.date,
            procedural=bool(draft.procedural),
            recorded=Tally(counts["Y"], counts["N"], counts["A"], counts["X"]),
            permanent_no=frozenset(permanent_no(votes)),
        )
    )
    return result.outcome == stated


def _said_tally(checked: Checked) -> tuple[int, int, int] | None:
    record = checked.record
    if checked.votes:
        counts = Counter(v.position for v in checked.votes)
        return (counts["Y"], counts["N"], counts["A"])
    if record.recorded_yes is not None and record.recorded_no is not None:
        return (record.recorded_yes, record.recorded_no, record.recorded_abstain or 0)
    return None


def _swapped(day: date) -> date | None:
    try:
        return date(day.year, day.day, day.month) if day.day <= 12 else None
    except ValueError:
        return None


def _seats(seats: list[str]) -> str:
    return ", ".join(sorted(seats, key=seat_sort_key))


def _code(vote: CheckedVote, calendar: CouncilCalendar) -> str:
    return calendar.states[vote.state_id].code


def _named(record: DraftRecord) -> str:
    if record.resolution_number:
        return f"S/RES/{record.resolution_number} ({record.resolution_year})"
    when = record.date or (record.extra or {}).get("year") or ""
    return f"{record.draft_symbol or record.meeting_symbol or record.location} ({when})"


def _stored(vote: MemberVote) -> tuple:
    return (vote.position, vote.non_voting, vote.note, vote.name_at_vote, vote.seat_id, vote.source)
