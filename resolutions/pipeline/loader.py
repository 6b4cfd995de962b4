"""Load parsed draft records from one source into the database, in named steps.

All inside one transaction, so that a failure leaves the database as it was:

1. **validate** every record before writing anything: its date, and its member
   votes against the states that sat on the Council that day (``member_votes``).
2. **match** each record to the draft it describes (``matching``): by resolution
   number, by draft symbol and date, or by meeting and date for early drafts that
   have no symbol. Exact matches go first.
3. **assign** each record to its draft, a new one when none matched: merge, never
   duplicate. A draft the source lists twice keeps the listing that agrees best
   with the other sources; the other is reported.
4. **merge** (``merge``): the record's values are stored under its source
   (``entries``); the draft's fields follow the most trusted source per field; an
   editor's fields are never overwritten; disagreements are found.
5. **write** in bulk (``writes``, ``member_votes``, ``resolutions.bulk``).
6. **refresh** the computed outcomes (``resolutions.outcomes``).

Each draft on its way is one :class:`Load`. Counts are returned in an
:class:`ImportSummary`; ``dry_run`` does all the work and rolls it back.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.core.management.color import no_style
from django.db import DataError, IntegrityError, connection
from django.utils import timezone
from tqdm import tqdm

from resolutions.bulk import bulk_create, bulk_update
from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.editor_file import editor_problems
from resolutions.pipeline.evidence import MeetingOrder
from resolutions.pipeline.matching import DraftIndex, Target, agreement
from resolutions.pipeline.member_votes import (
    CheckedVote,
    VoteChecker,
    VoteWriter,
    fingerprint,
    permanent_no,
)
from resolutions.pipeline.merge import Merged, merge
from resolutions.pipeline.resolution_order import keep_resolution_order
from resolutions.pipeline.sponsors import write_sponsors
from resolutions.pipeline.summary import ImportSummary, recorded_import
from resolutions.pipeline.values import (
    DRAFT_WRITE_FIELDS,
    apply_merged,
    current_values,
    editor_owned,
    record_values,
    snapshot,
    source_entry,
    unchanged_since,
)
from resolutions.pipeline.writes import References, write_disagreements
from resolutions.source_entries import DRAFT_FIELDS, EntryError, version_key, with_notes
from resolutions.sources.records import DraftRecord, ParsedSource, SourceError
from votes.calendar import CouncilCalendar
from votes.choices import Source, TermKind, VoteKind
from votes.models import MembershipTerm
from votes.reference.load import load_reference_data


@dataclass(eq=False)
class Listing:
    """One record of the source, dated, with its member votes checked."""

    record: DraftRecord
    on: date  # the day its votes are checked against
    votes: list[CheckedVote] = field(default_factory=list)
    exact: Target | None = None  # the draft it names exactly, if any


@dataclass(eq=False)
class Load:
    """One draft, and what this import does to it."""

    target: Target
    listing: Listing  # the source's record of the draft
    new: bool = False  # created by this import
    repeats: list[Listing] = field(default_factory=list)  # listed again: counted once
    before: dict | None = None  # the draft as stored, to tell whether the import changed it
    merged: Merged | None = None  # set by the merge step (4)

    @property
    def result(self) -> Merged:
        """The merge step's result, for the steps after it."""
        if self.merged is None:
            raise RuntimeError(f"{self.draft.symbol} is written before it was merged")
        return self.merged

    @property
    def draft(self) -> Draft:
        return self.target.draft

    @property
    def record(self) -> DraftRecord:
        return self.listing.record

    @property
    def changed(self) -> bool:
        """Whether the import changed a draft that was stored before it."""
        return self.before is not None and not unchanged_since(self.draft, self.before)


def load_drafts(
    parsed: ParsedSource,
    *,
    dry_run: bool = False,
    progress: bool | None = None,
    sha256: str = "",
) -> ImportSummary:
    """Load one parsed source of draft records. Raises SourceError on bad input."""
    summary = ImportSummary(parsed.source, parsed.version, dry_run=dry_run)
    with _refused_as_bad_input(parsed):
        recorded_import(
            summary,
            str(parsed.location),
            lambda: _Loader(parsed, summary, progress).run(),
            model=Draft,  # the record's version moves on with every import
            sha256=sha256 or _digest(parsed),
        )
    return summary


@contextmanager
def _refused_as_bad_input(parsed: ParsedSource):
    """What the database itself refuses is bad input too: say so, in plain words."""
    try:
        yield
    except (IntegrityError, DataError) as exc:
        reason = str(exc).strip().splitlines()[0]
        raise SourceError(str(parsed.location), "", f"the database refused it: {reason}") from exc


def _digest(parsed: ParsedSource) -> str:
    return hashlib.sha256(repr(parsed.records).encode()).hexdigest()


class _Loader:
    """One source's draft records into the database; ``run`` reads as the steps."""

    def __init__(self, parsed: ParsedSource, summary: ImportSummary, progress: bool | None):
        load_reference_data()  # states, seats and permanent terms; a no-op when present
        self.parsed = parsed
        self.source = parsed.source
        self.file = str(parsed.location)
        self.summary = summary
        self.progress = progress
        self.calendar = CouncilCalendar()

    def drafts(self) -> list[Draft]:
        """The drafts this source's records may describe: draft resolutions, never a
        vote on an amendment (resolutions.pipeline.amendments)."""
        return list(
            Draft.objects.filter(kind=VoteKind.DRAFT_RESOLUTION)
            .select_related("meeting", "agenda_item")
            .order_by("pk")
        )

    def run(self) -> set[int]:
        """The steps; returns the ids of the drafts the records describe."""
        drafts = self.drafts()
        known_dates = {d.resolution_number: d.date for d in drafts if d.resolution_number}
        index = DraftIndex(drafts)
        loads = self.assign(self.match(self.validate(index), index), index)
        self.merge(loads, known_dates, drafts)
        created, updated = self.write(loads)
        self.refresh(loads)
        write_sponsors([load.draft.pk for load in loads])
        self.count(loads, created, updated)
        return {load.draft.pk for load in loads}

    # 1. validate -------------------------------------------------------------
    def validate(self, index: DraftIndex) -> list[Listing]:
        """Date every record and check its member votes against the Council of that day."""
        records = [r for r in self.parsed.records if isinstance(r, DraftRecord)]
        listings = [Listing(r, on) for r in records if (on := self._date_of(r, index))]
        self._require_membership(listings)
        checker = VoteChecker(self.calendar, self.file)
        for listing in listings:
            listing.votes = checker.check(listing.record, listing.on)
        self.summary.warnings += checker.warnings
        return listings

    def _date_of(self, record: DraftRecord, index: DraftIndex) -> date | None:
        """A record whose source left its date out (a date that contradicts its own
        symbol) is dated by the draft it describes. With no such draft yet it is left
        out, and the import says so: loaded after the Library's data, as sync_un_data
        loads it, it finds its draft."""
        on = record.date or index.resolution_date(record.resolution_number)
        if on is None:
            written = record.extra.get("date_as_written", "")
            named = (
                f"S/RES/{record.resolution_number} ({record.resolution_year})"
                if record.resolution_number
                else record.draft_symbol
            )
            self.summary.warnings.append(
                f"{record.location}: {named} left out: its date"
                + (f" ({written})" if written else "")
                + " cannot be right and no other source dates this vote yet; "
                "load the Library's voting data first (sync_un_data does)"
            )
        return on

    def _require_membership(self, listings: list[Listing]) -> None:
        if any(listing.record.votes for listing in listings) and not (
            MembershipTerm.objects.filter(kind=TermKind.ELECTED).exists()
        ):
            raise SourceError(
                self.file,
                "",
                "the Council's membership is not loaded, so no vote can be checked; "
                "import DPPA's membership first (manage.py import_dppa, or sync_un_data)",
            )

    # 2. match ----------------------------------------------------------------
    def match(self, listings: list[Listing], index: DraftIndex) -> list[Listing]:
        """Exact matches (resolution number; symbol and day) first, so that looser ones
        (by meeting, or a nearby day) only take what is left."""
        for listing in listings:
            listing.exact = index.match(listing.record, exact=True)
        return sorted(listings, key=lambda listing: listing.exact is None)  # a stable sort

    # 3. assign ---------------------------------------------------------------
    def assign(self, ordered: list[Listing], index: DraftIndex) -> list[Load]:
        """Each record to its draft, a new draft when it matched none."""
        loads: dict[Target, Load] = {}
        with self._bar(ordered) as bar:
            for listing in bar:
                target = listing.exact or index.match(listing.record)
                if target is None:
                    target = index.add(self._new_draft(listing.record, index), listing.record)
                    loads[target] = Load(target, listing, new=True)
                elif target not in loads:
                    loads[target] = Load(target, listing)
                else:
                    self._listed_again(loads[target], listing)
        return list(loads.values())

    def _bar(self, listings: list[Listing]) -> tqdm:
        return tqdm(
            listings,
            desc=Source(self.source).label[:40],
            unit="record",
            disable=None if self.progress is None else not self.progress,
            file=sys.stderr,
        )

    def _new_draft(self, record: DraftRecord, index: DraftIndex) -> Draft:
        draft = Draft(source=self.source, is_published=True, sources={}, field_sources={})
        record_id = (record.extra or {}).get("record_id")
        if record_id and record_id not in index.by_pk:
            # Keep a record's id when it is free, so permalinks survive a dump
            # restored into another database.
            draft.pk = record_id
        return draft

    def _listed_again(self, load: Load, listing: Listing) -> None:
        """One source listing a draft twice (the 1990 table puts S/RES/663 on two rows)
        keeps the listing that agrees with the other sources; the other is reported."""
        ours = agreement(load.draft, listing.record, self.source)
        if ours > agreement(load.draft, load.record, self.source):
            load.listing, listing = listing, load.listing
        load.repeats.append(listing)

    # 4. merge ----------------------------------------------------------------
    def merge(self, loads: list[Load], known_dates: dict[int, date], drafts: list[Draft]) -> None:
        """Store this source's values on each draft, then merge every source's values,
        a disputed date weighed against the meetings the whole record dates."""
        for load in loads:
            load.before = snapshot(load.draft)
            entry = self._entry(load)
            load.draft.sources = {**(load.draft.sources or {}), self.source: entry}
        self._report_repeats(loads)
        new = [load.draft for load in loads if load.new]
        meetings = MeetingOrder.from_entries(d.sources for d in [*drafts, *new])
        merged = []
        for load in loads:
            load.merged = self._merged(load, meetings)
            merged.append((load.draft.sources, load.merged))
        keep_resolution_order(merged, known_dates)

    def _report_repeats(self, loads: list[Load]) -> None:
        self.summary.warnings += [
            f"{repeat.record.location}: lists {load.draft.symbol} again "
            f"({repeat.record.date}); counted once, as at {load.record.location}"
            for load in loads
            for repeat in load.repeats
        ]

    def _entry(self, load: Load) -> dict:
        """This source's entry for the draft; the stored one where it still holds."""
        record, votes = load.record, load.listing.votes
        try:
            values = record_values(
                record, permanent_no(votes), fingerprint(votes) if votes else None
            )
            entry = source_entry(record, self.parsed.version, values)
        except EntryError as exc:
            raise SourceError(self.file, record.location, f"cannot be stored: {exc}") from exc
        previous = (load.draft.sources or {}).get(self.source)
        return self._still_holds(load, previous, entry) if previous else entry

    def _still_holds(self, load: Load, previous: dict, entry: dict) -> dict:
        """The same values as last time keep the version they first came from; an
        older file (e.g. the reconstruction after the official v6) never rolls back
        what a newer version of the same source said."""
        same = (previous.get("values"), previous.get("location"))
        if same == (entry["values"], entry["location"]):
            return previous
        if version_key(previous["version"]) <= version_key(entry["version"]):
            return entry
        self.summary.warnings.append(
            f"{load.record.location}: {load.draft.symbol} kept from the newer version "
            f"{previous['version']}"
        )
        return previous

    def _merged(self, load: Load, meetings: MeetingOrder | None = None) -> Merged:
        draft = load.draft
        owned = editor_owned(draft) if draft.pk else set()
        if self.source == Source.EDITOR:
            # A newer editor's file replaces what an earlier editor set.
            owned -= set(draft.sources[self.source].get("values", {}))
        merged = merge(draft.sources, current_values(draft, owned) if owned else {}, meetings)
        if "date" not in merged.values:
            raise SourceError(self.file, load.record.location, "no source gives a date")
        return merged

    # 5. write ----------------------------------------------------------------
    def write(self, loads: list[Load]) -> tuple[set[int], set[int]]:
        """Drafts, then their subjects, votes and disagreements: ids created and updated."""
        refs = References.ensure([load.draft for load in loads])
        for load in loads:
            self._apply(load, refs)
        created, updated = self._save_drafts(loads)
        updated |= refs.write_subjects([load.draft for load in loads])
        writer = VoteWriter(self.source, self.calendar)
        updated |= writer.write([(load.draft, load.listing.votes) for load in loads])
        found = {load.draft.pk: self._disagreements(load, writer) for load in loads}
        self.summary.conflicts = write_disagreements(self.source, found)
        return created, updated - created

    def _apply(self, load: Load, refs: References) -> None:
        """The merged values onto the draft's fields, noting which source gave each."""
        draft, merged = load.draft, load.result
        apply_merged(draft, merged.values, refs)
        if self.source == Source.EDITOR:
            self._check_like_the_admin(load)
        # How each source's values were read, kept with that source's entry.
        notes = _notes_by_source(merged)
        draft.sources = {
            key: with_notes(info, notes.get(key)) for key, info in draft.sources.items()
        }
        for name, origin in merged.origin.items():
            for model_field in DRAFT_FIELDS[name]:
                draft.field_sources[model_field] = origin

    def _check_like_the_admin(self, load: Load) -> None:
        problems, gaps = editor_problems(
            load.draft, load.record, load.before, load.listing.votes, self.calendar
        )
        if problems:
            raise SourceError(self.file, load.record.location, "; ".join(problems))
        for gap in gaps:
            self.summary.warnings.append(
                f"{load.record.location}: kept as the file records it: {gap}"
            )

    def _save_drafts(self, loads: list[Load]) -> tuple[set[int], set[int]]:
        created = [load.draft for load in loads if load.new]
        own_ids = any(draft.pk for draft in created)
        bulk_create(created)
        if own_ids:
            _reset_id_sequence()
        changed = [load.draft for load in loads if load.changed]
        _new_versions(changed)
        bulk_update(changed, [*DRAFT_WRITE_FIELDS, "version", "updated_at"])
        return {d.pk for d in created}, {d.pk for d in changed}

    def _disagreements(self, load: Load, writer: VoteWriter) -> list[dict]:
        """What the merge found, the editor's votes kept, and the repeated listings."""
        repeats = [self._listed_again_on_record(load, repeat.record) for repeat in load.repeats]
        return load.result.disagreements + writer.editor_conflicts.get(load.draft.pk, []) + repeats

    def _listed_again_on_record(self, load: Load, again: DraftRecord) -> dict:
        return {
            "kind": "match",
            "field": f"listed again: {again.location}"[:60],
            "values": {self.source: [load.record.location, again.location]},
            "detected_by": self.source,
            "detail": (
                f"{Source(self.source).label} lists this draft again on {again.date} "
                f"({again.location}: {again.tally_text or again.outcome}); counted once"
            ),
        }

    # 6. refresh --------------------------------------------------------------
    def refresh(self, loads: list[Load]) -> None:
        """The computed outcome, tally and vetoes of every draft the source described."""
        refresh_outcomes(sorted({load.draft.pk for load in loads}), calendar=self.calendar)

    def count(self, loads: list[Load], created: set[int], updated: set[int]) -> None:
        touched = {load.draft.pk for load in loads}
        self.summary.created = len(created)
        self.summary.updated = len(updated)
        self.summary.unchanged = len(touched) - len(created) - len(updated)


def _new_versions(changed: list[Draft]) -> None:
    """An editor with a draft open must learn that an import changed it (optimistic
    locking in the admin compares versions)."""
    now = timezone.now()
    for draft in changed:
        draft.version += 1
        draft.updated_at = now


def _notes_by_source(merged: Merged) -> dict[str, list[str]]:
    notes = defaultdict(list)
    for key, note in merged.notes:
        notes[key].append(note)
    return notes


def _reset_id_sequence() -> None:
    """After rows were inserted with their own ids, the next new row must not collide."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Draft])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
