"""Load parsed draft records from one source into the database: match, merge, write.

The steps, all inside one transaction so that a failure leaves the database as
it was:

1. **Validate** every record before writing anything: dates, and member votes
   by states that sat on the Council that day (``votes.calendar``).
2. **Match** each record to the draft it describes (``matching.py``): by
   resolution number, by draft symbol and date, or by meeting and date for
   early drafts that have no symbol. Unmatched records become new drafts:
   merge, never duplicate.
3. **Merge** (``resolutions.pipeline.merge``): the record's values are stored
   under its source; the draft's fields follow the most trusted source per
   field; an editor's fields are never overwritten; disagreements are recorded.
4. **Write** in bulk (``writes.py``, ``votes.py``, ``resolutions.bulk``), then
   recompute outcomes (``resolutions.outcomes``).

Counts are returned in an :class:`ImportSummary`: created, updated, unchanged,
conflicts. ``dry_run`` does all the work and rolls it back.
"""

from __future__ import annotations

import hashlib
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from tqdm import tqdm

from resolutions.bulk import bulk_update
from resolutions.models import RECORDED_FIELDS, Draft, SourceImport
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.entries import DRAFT_FIELDS
from resolutions.pipeline.matching import DraftIndex
from resolutions.pipeline.member_votes import VoteWriter, validate_votes
from resolutions.pipeline.merge import merge
from resolutions.pipeline.values import (
    apply_merged,
    current_values,
    editor_owned,
    record_values,
    source_entry,
)
from resolutions.pipeline.writes import References, write_disagreements
from resolutions.signals import record_changed
from resolutions.sources.records import DraftRecord, ParsedSource, SourceError
from votes.calendar import CouncilCalendar
from votes.choices import Source, TermKind
from votes.models import MembershipTerm
from votes.reference import load_reference_data

DRAFT_WRITE_FIELDS = [
    "date",
    "draft_symbol",
    "resolution_number",
    "resolution_year",
    "meeting",
    "press_release",
    "title",
    "description",
    "agenda_item",
    "modality",
    "procedural",
    *RECORDED_FIELDS,
    "undl_record_id",
    "sources",
    "field_sources",
]


@dataclass
class ImportSummary:
    source: str
    version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        verdict = "" if self.changed else " (nothing changed)"
        prefix = "Dry run, nothing written: would have " if self.dry_run else ""
        return (
            f"{Source(self.source).label} {self.version}: {prefix}"
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"conflicts {self.conflicts}{verdict}"
        )


class _DryRun(Exception):
    pass


def load_drafts(
    parsed: ParsedSource,
    *,
    dry_run: bool = False,
    progress: bool | None = None,
    sha256: str = "",
) -> ImportSummary:
    """Load one parsed source of draft records. Raises SourceError on bad input."""
    summary = ImportSummary(parsed.source, parsed.version, dry_run=dry_run)
    try:
        with transaction.atomic(), _refused_as_bad_input(parsed):
            _Loader(parsed, summary, progress).run()
            if not dry_run:
                record_changed(Draft)  # the record's version moves on with every import
                SourceImport.objects.create(
                    source=parsed.source,
                    version=parsed.version,
                    location=str(parsed.location)[:500],
                    sha256=sha256 or _digest(parsed),
                    created=summary.created,
                    updated=summary.updated,
                    unchanged=summary.unchanged,
                    conflicts=summary.conflicts,
                )
            else:
                raise _DryRun
    except _DryRun:
        pass
    return summary


def _link(record: DraftRecord) -> str:
    """Where a reader finds the record at its source."""
    if record.source == Source.DHL_MEETINGS and record.date:
        return settings.UN_SOURCES["dhl_meetings"].format(year=record.date.year)
    if record.source == Source.DHL_VETO:
        return settings.UN_SOURCES["dhl_veto"]
    return record.url


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
    def __init__(self, parsed: ParsedSource, summary: ImportSummary, progress: bool | None):
        load_reference_data()  # states, seats and permanent terms; a no-op when present
        self.parsed = parsed
        self.source = parsed.source
        self.summary = summary
        self.progress = progress
        self.calendar = CouncilCalendar()

    # 1. validate ------------------------------------------------------------
    def run(self) -> None:
        records = [r for r in self.parsed.records if isinstance(r, DraftRecord)]
        drafts = list(Draft.objects.select_related("meeting", "agenda_item").order_by("pk"))
        index = DraftIndex(drafts)
        # A record whose source left its date out (a date that contradicts its own
        # symbol) is dated by the draft it describes. With no such draft yet it is
        # left out, and the import says so: loaded after the Library's data, as
        # sync_un_data loads it, it finds its draft.
        dates = {}
        for record in list(records):
            on = record.date
            if on is None and record.resolution_number in index.by_resolution:
                on = index.by_resolution[record.resolution_number].date
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
                records.remove(record)
                continue
            dates[id(record)] = on
        if (
            any(r.votes for r in records)
            and not MembershipTerm.objects.filter(kind=TermKind.ELECTED).exists()
        ):
            raise SourceError(
                str(self.parsed.location),
                "",
                "the Council's membership is not loaded, so no vote can be checked; "
                "import DPPA's membership first (manage.py import_dppa, or sync_un_data)",
            )
        ballots = validate_votes(records, self.calendar, str(self.parsed.location), dates)
        self.summary.warnings += ballots.warnings

        self.resolution_dates = {d.resolution_number: d.date for d in drafts if d.resolution_number}
        # 2. match. Exact matches (resolution number; symbol and day) go first so
        # that looser ones (by meeting, or a nearby day) only take what is left.
        exact = {id(r): index.match(r, exact=True) for r in records}
        ordered = [r for r in records if exact[id(r)]] + [r for r in records if not exact[id(r)]]
        entries, new, duplicates = [], [], []
        bar = tqdm(
            ordered,
            desc=Source(self.source).label[:40],
            unit="record",
            disable=None if self.progress is None else not self.progress,
            file=sys.stderr,
        )
        # 3. assign each record to its draft. One source listing a draft twice
        # (the 1990 table puts S/RES/663 on two rows) keeps the listing that agrees
        # with the other sources, and the other is reported, not counted.
        chosen: dict[int, list] = {}  # id(draft) -> [draft, record, other listings]
        for record in bar:
            draft = exact[id(record)] or index.match(record)
            if draft is None:
                draft = Draft(source=self.source, is_published=True, sources={}, field_sources={})
                record_id = (record.extra or {}).get("record_id")
                if record_id and record_id not in index.by_pk:
                    # Keep a record's id when it is free, so permalinks survive a
                    # dump restored into another database.
                    draft.pk = record_id
                    index.by_pk[record_id] = draft
                new.append(draft)
                index.add(draft, record)
            if id(draft) not in chosen:
                chosen[id(draft)] = [draft, record, []]
                continue
            kept = chosen[id(draft)]
            if agreement(draft, record, self.source) > agreement(draft, kept[1], self.source):
                kept[1], record = record, kept[1]
            kept[2].append(record)
        bar.close()
        # 4. merge: store this source's values on each draft.
        for draft, record, others in chosen.values():
            duplicates += [(draft, other, record) for other in others]
            before = _snapshot(draft)
            values = record_values(record, ballots.permanent_no(record))
            if ballots.for_record(record):
                # A fingerprint of the member votes, so that a changed vote alone
                # also marks the record as coming from the newer version.
                values["votes"] = ballots.fingerprint(record)
            entry = source_entry(record, self.parsed.version, values, _link(record))
            previous = (draft.sources or {}).get(self.source, {})
            if previous.get("values") == values and previous.get("location") == entry["location"]:
                # Same values as last time: keep the version they first came from.
                entry = previous
            elif previous and version_key(previous["version"]) > version_key(entry["version"]):
                # An older file (e.g. the reconstruction after the official v6)
                # never rolls back what a newer version of the same source said.
                self.summary.warnings.append(
                    f"{record.location}: {draft.symbol} kept from the newer version "
                    f"{previous['version']}"
                )
                entry = previous
            draft.sources = {**(draft.sources or {}), self.source: entry}
            entries.append((draft, record, before))
        for draft, record, first in duplicates:
            self.summary.warnings.append(
                f"{record.location}: lists {draft.symbol} again ({record.date}); "
                f"counted once, as at {first.location}"
            )
        self._write(entries, new, ballots, duplicates)

    def _check_like_the_admin(self, draft, record, before, ballots) -> None:
        problems, gaps = _editor_problems(draft, record, before, ballots, self.calendar)
        if problems:
            raise SourceError(str(self.parsed.location), record.location, "; ".join(problems))
        for gap in gaps:
            self.summary.warnings.append(f"{record.location}: kept as the file records it: {gap}")

    # 4. write ----------------------------------------------------------------
    def _write(self, entries: list, new: list, ballots, duplicates: list) -> None:
        refs = References.ensure(entries)
        merged_by_draft = {}
        for draft, record, _before in entries:
            owned = editor_owned(draft) if draft.pk else set()
            if self.source == Source.EDITOR:
                # A newer editor's file replaces what an earlier editor set.
                owned -= set(draft.sources[self.source].get("values", {}))
            editor_values = current_values(draft, owned) if owned else {}
            merged = merge(draft.sources, editor_values)
            if "date" not in merged.values:
                raise SourceError(
                    str(self.parsed.location), record.location, "no source gives a date"
                )
            merged_by_draft[id(draft)] = merged
        keep_resolution_order(entries, merged_by_draft, self.resolution_dates)
        for draft, record, before in entries:
            merged = merged_by_draft[id(draft)]
            apply_merged(draft, merged.values, refs)
            if self.source == Source.EDITOR:
                self._check_like_the_admin(draft, record, before, ballots)
            # How each source's values were read, kept with that source's entry.
            notes: dict[str, list[str]] = {}
            for key, note in merged.notes:
                notes.setdefault(key, []).append(note)
            draft.sources = {
                key: {**info, "notes": notes[key]}
                if key in notes
                else {k: v for k, v in info.items() if k != "notes"}
                for key, info in draft.sources.items()
            }
            for name, origin in merged.origin.items():
                for model_field in DRAFT_FIELDS[name]:
                    draft.field_sources[model_field] = origin

        created = new
        Draft.objects.bulk_create(created, batch_size=500)
        if any(d.pk for d in created):
            _reset_id_sequence()
        changed = [d for d, _r, before in entries if d.pk and before and _snapshot(d) != before]
        now = timezone.now()
        for draft in changed:
            # An editor with the draft open must learn that an import changed it
            # (optimistic locking in the admin compares versions).
            draft.version += 1
            draft.updated_at = now
        bulk_update(changed, [*DRAFT_WRITE_FIELDS, "version", "updated_at"])

        touched = {d.pk for d, _r, _b in entries}
        subjects_changed = refs.write_subjects(entries)
        writer = VoteWriter(self.source, self.calendar)
        votes_changed = writer.write(entries, ballots)
        for draft in (d for d, _r, _b in entries):
            merged_by_draft[id(draft)].disagreements += [
                item for draft_id, item in writer.editor_conflicts if draft_id == draft.pk
            ]
        for draft, record, first in duplicates:
            merged_by_draft[id(draft)].disagreements.append(
                {
                    "kind": "match",
                    "field": f"listed again: {record.location}"[:60],
                    "values": {self.source: [first.location, record.location]},
                    "detected_by": self.source,
                    "detail": (
                        f"{Source(self.source).label} lists this draft again on {record.date} "
                        f"({record.location}: {record.tally_text or record.outcome}); "
                        "counted once"
                    ),
                }
            )
        conflicts = write_disagreements(self.source, entries, merged_by_draft)
        refresh_outcomes(sorted(touched), calendar=self.calendar)

        updated = {d.pk for d in changed} | subjects_changed | votes_changed
        updated -= {d.pk for d in created}
        self.summary.created = len(created)
        self.summary.updated = len(updated)
        self.summary.unchanged = len(touched) - len(created) - len(updated)
        self.summary.conflicts = conflicts


def _editor_problems(
    draft: Draft, record: DraftRecord, before: dict | None, ballots, calendar
) -> tuple[list[str], list[str]]:
    """What the admin would refuse in a record an editor's file gives (import_votes),
    and the gaps accepted because the file records its totals (council_problems)."""
    from resolutions.forms import Row, check_votes  # the editors' rules, in one place

    problems = []
    if before is not None:
        # Matched by its record id or resolution number: it must be the same vote.
        stored_day, stored_symbol = before["date"], before["draft_symbol"]
        if record.date and abs((record.date - stored_day).days) > 1:
            problems.append(
                f"it matches {draft.symbol}, recorded on {stored_day}, but gives {record.date}: "
                "check its record_id or resolution (a date is corrected in the admin)"
            )
        if record.draft_symbol and stored_symbol and record.draft_symbol != stored_symbol:
            problems.append(
                f"it matches {draft.symbol}, recorded as draft {stored_symbol}, but gives "
                f"{record.draft_symbol}"
            )
    rows = [Row(b.state_id, b.name, b.position, b.non_voting) for b in ballots.for_record(record)]
    gaps = []
    if rows or draft.recorded_tally is None:
        check = check_votes(
            draft,
            rows,
            calendar,
            as_recorded=True,
            unknown_stated=bool(record.extra.get("outcome_unknown")),
        )
        problems += check.problems
        gaps = check.gaps
    return problems, gaps


def keep_resolution_order(entries, merged_by_draft: dict, known: dict) -> None:
    """Where sources disagree on a resolution's date, keep resolution numbers in date order.

    Resolutions are numbered as they are adopted, so a date that puts a
    resolution before the one numbered just below it, or after the one just
    above, is wrong (the reconstructed file has S/RES/727 (1992) on 1 August,
    day and month swapped; its meeting was on 8 January). When another source
    gives a date that fits the order, that date is used and the choice noted;
    the disagreement stays on record either way.
    """
    dates = dict(known)
    for draft, _record, _before in entries:
        merged = merged_by_draft[id(draft)]
        if merged.values.get("resolution"):
            dates[merged.values["resolution"][0]] = date.fromisoformat(merged.values["date"])
    numbers = sorted(dates)
    position = {n: i for i, n in enumerate(numbers)}
    for draft, _record, _before in entries:
        merged = merged_by_draft[id(draft)]
        resolution = merged.values.get("resolution")
        if not resolution or merged.origin.get("date") == Source.EDITOR:
            continue
        said = {
            key: date.fromisoformat(info["values"]["date"])
            for key, info in draft.sources.items()
            if info.get("values", {}).get("date")
        }
        if len(set(said.values())) < 2:
            continue
        i = position[resolution[0]]
        low = dates[numbers[i - 1]] if i > 0 else None
        high = dates[numbers[i + 1]] if i + 1 < len(numbers) else None

        def fits(day, low=low, high=high) -> bool:
            return (low is None or day >= low) and (high is None or day <= high)

        current = dates[resolution[0]]
        if fits(current):
            continue
        for key, day in said.items():
            if fits(day):
                merged.values["date"] = day.isoformat()
                merged.origin["date"] = key
                merged.notes.append(
                    (
                        key,
                        f"its date is used: {current} would put S/RES/{resolution[0]} out "
                        "of the order of resolution numbers",
                    )
                )
                dates[resolution[0]] = day
                break


def agreement(draft: Draft, record: DraftRecord, source: str) -> int:
    """How well a record agrees with what the other sources say of the draft."""
    score = 0
    for key, info in (draft.sources or {}).items():
        if key == source:
            continue
        values = info.get("values", {})
        if values.get("date") == (record.date.isoformat() if record.date else None):
            score += 2
        totals = values.get("totals")
        reading = (record.extra or {}).get("tally_reading") or {}
        if totals and reading.get("yes") is not None:
            ours = {(reading["yes"], reading["no"], reading["abstain"])}
            ours.add((reading["yes"], reading["abstain"], reading["no"]))
            score += tuple(totals[:3]) in ours
        if values.get("outcome") and values["outcome"] == record.outcome:
            score += 1
    return score


def _reset_id_sequence() -> None:
    """After rows were inserted with their own ids, the next new row must not collide."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), [Draft])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def version_key(version: str) -> tuple[int, ...]:
    """'2026-02-06' > '2022-01-29 (reconstructed)' > '1946-2022' (a range counts by its end)."""
    match = re.match(r"(\d{4})(?:-(\d{2})-(\d{2}))?(?:-(\d{4}))?", version or "")
    if not match:
        return (0,)
    year, month, day, until = match.groups()
    if until:
        return (int(until), 12, 31)
    return (int(year), int(month or 12), int(day or 31))


def _snapshot(draft: Draft) -> dict | None:
    if draft.pk is None:
        return None
    snap = {name: getattr(draft, name) for name in DRAFT_WRITE_FIELDS if name != "meeting"}
    snap["meeting"] = draft.meeting_id
    snap["agenda_item"] = draft.agenda_item_id
    snap["sources"] = _copy(draft.sources)
    snap["field_sources"] = dict(draft.field_sources or {})
    return snap


def _copy(value):
    import copy

    return copy.deepcopy(value or {})
