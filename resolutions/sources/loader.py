"""Load parsed draft records from one source into the database: match, merge, write.

The steps, all inside one transaction so that a failure leaves the database as
it was:

1. **Validate** every record before writing anything: dates, and member votes
   by states that sat on the Council that day (``votes.calendar``).
2. **Match** each record to the draft it describes: by resolution number, by
   draft symbol and date, or by meeting and date for early drafts that have no
   symbol. Unmatched records become new drafts: merge, never duplicate.
3. **Merge** (``resolutions.sources.merge``): the record's values are stored
   under its source; the draft's fields follow the most trusted source per
   field; an editor's fields are never overwritten; disagreements are recorded.
4. **Write** in bulk, then recompute outcomes (``resolutions.outcomes``).

Counts are returned in an :class:`ImportSummary`: created, updated, unchanged,
conflicts. ``dry_run`` does all the work and rolls it back.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from resolutions.bulk import bulk_update
from resolutions.models import AgendaItem, Disagreement, Draft, Meeting, SourceImport, Subject
from resolutions.outcomes import refresh_outcomes
from resolutions.sources.merge import merge
from resolutions.sources.records import DraftRecord, ParsedSource, SourceError
from resolutions.sources.values import (
    DRAFT_FIELDS,
    apply_merged,
    current_values,
    editor_owned,
    meeting_number,
    record_values,
    seat_codes,
    source_entry,
)
from resolutions.sources.votes import VoteWriter, validate_votes
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
    "recorded_yes",
    "recorded_no",
    "recorded_abstain",
    "recorded_non_voting",
    "recorded_members",
    "recorded_outcome",
    "recorded_vetoed_by",
    "undl_record_id",
    "sources",
    "field_sources",
]
# How far apart two sources' dates for the same draft symbol may be and still
# be matched (the Veto List gives the first day of a multi-day meeting).
DATE_SLACK = timedelta(days=31)


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
        with transaction.atomic():
            _Loader(parsed, summary, progress).run()
            if not dry_run:
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
        for record in records:
            if record.date is None:
                raise SourceError(str(self.parsed.location), record.location, "no date")
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
        ballots = validate_votes(records, self.calendar, str(self.parsed.location))
        self.summary.warnings += ballots.warnings

        drafts = list(Draft.objects.select_related("meeting", "agenda_item").order_by("pk"))
        index = _Index(drafts)
        # 2. match. Exact matches (resolution number; symbol and day) go first so
        # that looser ones (by meeting, or a nearby day) only take what is left.
        exact = {id(r): index.match(r, exact=True) for r in records}
        ordered = [r for r in records if exact[id(r)]] + [r for r in records if not exact[id(r)]]
        matched: dict[int, DraftRecord] = {}  # by id() of the draft, new ones included
        entries, new, duplicates = [], [], []
        bar = tqdm(
            ordered,
            desc=Source(self.source).label[:40],
            unit="record",
            disable=None if self.progress is None else not self.progress,
            file=sys.stderr,
        )
        # 3. merge: store this source's values on the draft.
        for record in bar:
            draft = exact[id(record)] or index.match(record)
            if draft is not None and id(draft) in matched:
                duplicates.append((draft, record, matched[id(draft)]))
                continue
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
            matched[id(draft)] = record
            before = _snapshot(draft)
            values = record_values(record, ballots.permanent_no(record))
            if ballots.for_record(record):
                # A fingerprint of the member votes, so that a changed vote alone
                # also marks the record as coming from the newer version.
                values["votes"] = ballots.fingerprint(record)
            entry = source_entry(record, self.parsed.version, values)
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
        bar.close()
        for draft, record, first in duplicates:
            self.summary.warnings.append(
                f"{record.location}: lists {draft.symbol} again ({record.date}); "
                f"counted once, as at {first.location}"
            )
        self._write(entries, new, ballots, duplicates)

    # 4. write ----------------------------------------------------------------
    def _write(self, entries: list, new: list, ballots, duplicates: list) -> None:
        refs = _References.ensure(entries)
        merged_by_draft = {}
        for draft, _record, _before in entries:
            owned = editor_owned(draft) if draft.pk else set()
            editor_values = current_values(draft, owned) if owned else {}
            merged = merge(draft.sources, editor_values)
            if "date" not in merged.values:
                raise SourceError(
                    str(self.parsed.location), _record.location, "no source gives a date"
                )
            apply_merged(draft, merged.values, refs)
            for name, origin in merged.origin.items():
                for model_field in DRAFT_FIELDS[name]:
                    draft.field_sources[model_field] = origin
            merged_by_draft[id(draft)] = merged

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
        conflicts = _write_disagreements(self.source, entries, merged_by_draft)
        refresh_outcomes(sorted(touched), calendar=self.calendar)

        updated = {d.pk for d in changed} | subjects_changed | votes_changed
        updated -= {d.pk for d in created}
        self.summary.created = len(created)
        self.summary.updated = len(updated)
        self.summary.unchanged = len(touched) - len(created) - len(updated)
        self.summary.conflicts = conflicts


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


class _Index:
    """Existing drafts by resolution number, draft symbol and meeting."""

    def __init__(self, drafts: list[Draft]):
        self.by_resolution: dict[int, Draft] = {}
        self.by_symbol: dict[str, list[Draft]] = defaultdict(list)
        self.by_meeting: dict[tuple[str, str], list[Draft]] = defaultdict(list)
        self.claimed: set[int] = set()
        self.by_pk = {draft.pk: draft for draft in drafts}
        for draft in drafts:
            self._add(draft, draft.meeting.symbol if draft.meeting_id else "")

    def _add(self, draft: Draft, meeting: str) -> None:
        if draft.resolution_number:
            self.by_resolution[draft.resolution_number] = draft
        if draft.draft_symbol:
            self.by_symbol[draft.draft_symbol].append(draft)
        if meeting and draft.date:
            self.by_meeting[(meeting, draft.date.isoformat())].append(draft)

    def add(self, draft: Draft, record: DraftRecord) -> None:
        draft.draft_symbol = record.draft_symbol
        draft.resolution_number = record.resolution_number
        draft.date = record.date
        self._add(draft, record.meeting_symbol)
        self.claimed.add(id(draft))

    def match(self, record: DraftRecord, *, exact: bool = False) -> Draft | None:
        found = self._find_exact(record) if exact else self._find(record)
        if found is not None:
            self.claimed.add(id(found))
        return found

    def _find_exact(self, record: DraftRecord) -> Draft | None:
        record_id = (record.extra or {}).get("record_id")
        if record_id and record_id in self.by_pk:
            # The site's own export names its records; read back, they match themselves.
            return self.by_pk[record_id]
        if record.resolution_number:
            return self.by_resolution.get(record.resolution_number)
        symbol = record.draft_symbol
        if symbol and not symbol.startswith("S/PV."):
            for draft in self.by_symbol.get(symbol, []):
                if id(draft) not in self.claimed and draft.date == record.date:
                    return draft
        return None

    def _find(self, record: DraftRecord) -> Draft | None:
        if record.resolution_number:
            return self.by_resolution.get(record.resolution_number)
        symbol = record.draft_symbol
        if symbol and not symbol.startswith("S/PV."):
            known = self.by_symbol.get(symbol, [])
            candidates = [d for d in known if id(d) not in self.claimed]
            same_day = [d for d in candidates if d.date == record.date]
            if same_day:
                return same_day[0]
            near = [d for d in candidates if abs(d.date - record.date) <= DATE_SLACK]
            if len(near) == 1:
                return near[0]
            if not any(d.date == record.date for d in known):
                # One symbol listed again on another day by the same source is a
                # duplicate listing, not a second vote: hand back the draft so the
                # loader reports it instead of creating a phantom record.
                listed = [d for d in known if id(d) in self.claimed]
                if listed:
                    return listed[0]
        return self._find_in_meeting(record)

    def _find_in_meeting(self, record: DraftRecord) -> Draft | None:
        """Drafts known by their meeting (early drafts, or symbols written differently).

        Within the meeting and day, only a draft with the same stated outcome (and
        the same vetoers) can be the same vote; among those, the note naming it
        (e.g. "(Transjordan)") decides, else the order in which they are listed.
        """
        symbol = record.draft_symbol
        meeting = record.meeting_symbol or (symbol if symbol.startswith("S/PV.") else "")
        if not meeting:
            return None
        candidates = [
            d
            for d in self.by_meeting.get((meeting, record.date.isoformat()), [])
            if id(d) not in self.claimed
            and not d.resolution_number
            and _same_statement(d, record, vetoers=False)
            and _related_symbols(d.draft_symbol, symbol)
        ]
        # Same outcome and the same vetoers first; a draft whose vetoers differ is
        # only taken when nothing else fits (the difference is then reported).
        candidates.sort(key=lambda d: not _same_statement(d, record, vetoers=True))
        note = str((record.extra or {}).get("draft_note", "")).strip("() ").lower()
        if note:
            for draft in candidates:
                if note in _describing_text(draft).lower():
                    return draft
        return candidates[0] if candidates else None


def _same_statement(draft: Draft, record: DraftRecord, *, vetoers: bool) -> bool:
    """Whether a draft's sources state the same outcome (and vetoers) as the record."""
    for info in (draft.sources or {}).values():
        values = info.get("values", {})
        if values.get("outcome") and values["outcome"] != record.outcome:
            return False
        if (
            vetoers
            and record.vetoed_by
            and values.get("vetoed_by")
            and sorted(values["vetoed_by"]) != seat_codes(record.vetoed_by)
        ):
            return False
    return True


def _related_symbols(a: str, b: str) -> bool:
    """Whether two symbols can name one draft: S/18087 and S/18087/Rev.1 do.

    A meeting record written in the draft column (S/PV.n) or no symbol at all
    says nothing either way.
    """
    if not a or not b or a.startswith("S/PV.") or b.startswith("S/PV."):
        return True
    return a.split("/Rev")[0].split("/Corr")[0] == b.split("/Rev")[0].split("/Corr")[0]


def _describing_text(draft: Draft) -> str:
    parts = []
    for info in (draft.sources or {}).values():
        values = info.get("values", {})
        parts += [values.get("agenda", ""), values.get("title", "")]
    return " ".join(parts)


class _References:
    """Meetings, agenda items and subjects named by the records, created in bulk."""

    def __init__(self, meeting: dict, agenda: dict, subjects: dict):
        self.meeting, self.agenda, self.subjects = meeting, agenda, subjects

    def __getitem__(self, key: str) -> dict:
        return {"meeting": self.meeting, "agenda": self.agenda}[key]

    @classmethod
    def ensure(cls, entries) -> _References:
        meetings, agendas, subjects = {}, set(), set()
        for draft, _record, _before in entries:
            for info in draft.sources.values():
                values = info["values"]
                if values.get("meeting"):
                    meetings.setdefault(values["meeting"], values.get("date"))
                if values.get("agenda"):
                    agendas.add(values["agenda"][:1000])
                subjects.update(values.get("subjects", []))
        existing = dict(Meeting.objects.filter(symbol__in=meetings).values_list("symbol", "id"))
        Meeting.objects.bulk_create(
            [
                Meeting(symbol=s, number=meeting_number(s), date=d)
                for s, d in meetings.items()
                if s not in existing
            ],
            batch_size=500,
        )
        return cls(
            dict(Meeting.objects.filter(symbol__in=meetings).values_list("symbol", "id")),
            _get_or_create_names(AgendaItem, agendas),
            _get_or_create_names(Subject, subjects),
        )

    def write_subjects(self, entries) -> set[int]:
        """Set each draft's subjects from its merged values; returns drafts changed."""
        through = Draft.subjects.through
        ids = [d.pk for d, _r, _b in entries]
        have = defaultdict(set)
        for draft_id, subject_id in through.objects.filter(draft_id__in=ids).values_list(
            "draft_id", "subject_id"
        ):
            have[draft_id].add(subject_id)
        add, remove, changed = [], [], set()
        for draft, _record, _before in entries:
            origin = draft.field_sources.get("subjects")
            if origin == Source.EDITOR and "subjects" not in draft.sources.get(origin, {}).get(
                "values", {}
            ):
                continue  # chosen in the admin: an editor's subjects stay as they are
            names = draft.sources.get(origin, {}).get("values", {}).get("subjects", [])
            want = {self.subjects[n] for n in names}
            if want != have[draft.pk]:
                changed.add(draft.pk)
                add += [through(draft_id=draft.pk, subject_id=s) for s in want - have[draft.pk]]
                remove += [(draft.pk, s) for s in have[draft.pk] - want]
        for draft_id, subject_id in remove:
            through.objects.filter(draft_id=draft_id, subject_id=subject_id).delete()
        through.objects.bulk_create(add, batch_size=1000)
        return changed


def _get_or_create_names(model, names: set[str]) -> dict[str, int]:
    existing = dict(model.objects.filter(name__in=names).values_list("name", "id"))
    model.objects.bulk_create(
        [model(name=n) for n in sorted(names - existing.keys())], batch_size=500
    )
    return dict(model.objects.filter(name__in=names).values_list("name", "id"))


def _write_disagreements(source: str, entries, merged_by_draft) -> int:
    """Replace the disagreements of the drafts this source touched; return how many."""
    ids = [d.pk for d, _r, _b in entries]
    wanted = {}
    for draft, _record, _before in entries:
        for item in merged_by_draft[id(draft)].disagreements:
            key = (draft.pk, item["kind"], item["field"], item["detected_by"])
            wanted[key] = item
    # Source-against-source disagreements follow from the sources' values and are
    # recomputed whole; duplicate listings and kept editor votes belong to the
    # source that found them.
    existing = {
        (d.draft_id, d.kind, d.field, d.detected_by): d
        for d in Disagreement.objects.filter(draft_id__in=ids).exclude(
            kind=Disagreement.Kind.MEMBERSHIP
        )
        if d.detected_by == source
        or not (d.kind == Disagreement.Kind.MATCH or d.field.startswith("vote:"))
    }
    stale = [d.pk for key, d in existing.items() if key not in wanted]
    fresh = []
    for key, item in wanted.items():
        old = existing.get(key)
        if old is None or old.values != item["values"] or old.detail != item["detail"]:
            if old is not None:
                stale.append(old.pk)
            fresh.append(
                Disagreement(
                    draft_id=key[0],
                    kind=item["kind"],
                    field=item["field"],
                    values=item["values"],
                    detail=item["detail"],
                    detected_by=item["detected_by"],
                )
            )
    Disagreement.objects.filter(pk__in=stale).delete()
    Disagreement.objects.bulk_create(fresh, batch_size=500)
    # Conflicts of this source: those it found or in which it is one of the sides.
    return sum(1 for key, item in wanted.items() if key[3] == source or source in item["values"])
