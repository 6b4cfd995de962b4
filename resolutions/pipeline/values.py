"""Translate between parsed records, the per-source values kept on a draft, and its fields.

``record_values`` turns one DraftRecord into the values stored under
``Draft.sources[source]["values"]`` (``entries.SourceValues``);
``apply_merged`` writes merged values onto a Draft's fields; ``current_values``
reads a Draft's fields back in the same form (for the fields an editor owns).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django.conf import settings

from resolutions.models import RECORDED_FIELDS, Draft
from resolutions.source_entries import DRAFT_FIELDS, MODEL_TO_VALUE, SourceEntry, SourceValues
from resolutions.sources.records import DraftRecord
from resolutions.sources.values import seat_codes, tidy_text
from votes.choices import Modality, Outcome, Source
from votes.outcome import council_size

# Every draft field an import writes.
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


def record_values(
    record: DraftRecord, permanent_no: set[str] | None = None, votes: str | None = None
) -> SourceValues:
    """The values one source gives for one draft.

    ``permanent_no`` is the set of seats the record's own member votes show
    voting no, and ``votes`` their fingerprint (both from the checked votes).
    """
    inferred = _procedural_inferred(record, permanent_no)
    return SourceValues(
        date=record.date.isoformat() if record.date else None,
        resolution=_resolution(record),
        **_texts(record),
        subjects=list(record.subjects) or None,
        sponsors=list(record.sponsors) or None,
        sponsor_source=(record.extra or {}).get("sponsor_source") or None,
        procedural=True if inferred else record.procedural,
        totals=_totals(record),
        totals_incomplete=_totals_incomplete(record),
        **_tally_reading(record),
        provenance=_provenance(record),
        vetoed_by=seat_codes(record.vetoed_by) if record.vetoed_by else None,
        procedural_inferred=inferred,
        votes=votes,
    )


def _resolution(record: DraftRecord) -> list | None:
    if not record.resolution_number:
        return None
    return [record.resolution_number, record.resolution_year]


def _texts(record: DraftRecord) -> dict[str, Any]:
    """The values given as text, where the source gives them."""
    texts = {
        "draft_symbol": record.draft_symbol,
        "meeting": record.meeting_symbol,
        "press_release": record.press_release,
        "title": tidy_text(record.title),
        "description": tidy_text(record.description),
        "agenda": tidy_text(record.agenda).rstrip(". "),
        "modality": record.modality,
        "undl_record_id": record.undl_id,
        "tally_text": record.tally_text,
        "outcome": record.outcome,
    }
    return {name: text for name, text in texts.items() if text}


def _totals(record: DraftRecord) -> list | None:
    if record.recorded_yes is None:
        return None
    return [
        record.recorded_yes,
        record.recorded_no,
        record.recorded_abstain,
        record.recorded_non_voting,
        record.recorded_members,
    ]


def _totals_incomplete(record: DraftRecord) -> bool | None:
    """Totals over fewer members than sat (S/RES/1966 (2010): 14 rows, Mexico
    missing) yield to another source's complete totals."""
    if record.recorded_yes is None or not record.recorded_members or not record.date:
        return None
    return True if record.recorded_members < council_size(record.date) else None


def _tally_reading(record: DraftRecord) -> dict:
    reading = (record.extra or {}).get("tally_reading") or {}
    if reading.get("inconsistent"):
        # The tally fits no reading of the outcome the same row states, so neither
        # can be relied on: both are kept for display and disagreement, neither
        # decides (resolutions.pipeline.merge). E.g. S/5095 (1962), "not adopted 7-2-1".
        return {"tally_inconsistent": reading.get("reason") or "the tally fits no reading"}
    if reading.get("ambiguous") and reading.get("yes") is not None:
        # Keep both readings; another source may settle the order (merge).
        yes, no, abstain = reading["yes"], reading["no"], reading["abstain"]
        rest = reading.get("non_voting")
        return {
            "tally_candidates": [[yes, no, abstain, rest, None], [yes, abstain, no, rest, None]]
        }
    return {}


def _provenance(record: DraftRecord) -> list | None:
    """Where an editor's file says its data came from (an export read back)."""
    stated = (record.extra or {}).get("provenance")
    return list(stated) if stated else None


def _procedural_inferred(record: DraftRecord, permanent_no: set[str] | None) -> str | None:
    """Article 27(3): only a procedural decision survives a permanent member's "no".

    A source listing the members' votes of a resolution it says was adopted, with
    a permanent "no" among them, shows the Council treated it as procedural
    (S/RES/87 (1950); S/RES/2623 (2022), Russia against).
    """
    if record.outcome != Outcome.ADOPTED or not permanent_no or record.procedural is not None:
        return None
    return (
        "adopted despite a negative vote of "
        + ", ".join(sorted(permanent_no))
        + ", so the Council treated it as procedural"
    )


def source_entry(record: DraftRecord, version: str, values: SourceValues) -> dict:
    """The stored entry of one source for one draft (checked by SourceEntry)."""
    url = _link(record) or record.url
    entry = SourceEntry(version, record.location, url, values, list(record.flags))
    return entry.to_json()


def _link(record: DraftRecord) -> str:
    """Where a reader finds the record at its source."""
    if record.source == Source.DHL_MEETINGS and record.date:
        return settings.UN_SOURCES["dhl_meetings"].format(year=record.date.year)
    if record.source == Source.DHL_VETO:
        return settings.UN_SOURCES["dhl_veto"]
    return record.url


def apply_merged(draft: Draft, merged: dict, refs) -> None:
    """Set a draft's fields from merged values; refs maps meeting/agenda names to ids."""
    draft.date = date.fromisoformat(merged["date"])
    draft.draft_symbol = merged.get("draft_symbol", "")
    number, year = merged.get("resolution") or (None, None)
    draft.resolution_number, draft.resolution_year = number, year
    draft.meeting_id = refs.meeting.get(merged.get("meeting", ""))
    draft.press_release = merged.get("press_release", "")
    draft.title = merged.get("title", "")[:1000]
    draft.description = merged.get("description", "")
    draft.agenda_item_id = refs.agenda.get(merged.get("agenda", "")[:1000])
    draft.modality = merged.get("modality") or Modality.RECORDED_VOTE
    draft.procedural = bool(merged.get("procedural", False))
    totals = merged.get("totals") or [None] * 5
    (
        draft.recorded_yes,
        draft.recorded_no,
        draft.recorded_abstain,
        draft.recorded_non_voting,
        draft.recorded_members,
    ) = (list(totals) + [None] * 5)[:5]
    draft.recorded_outcome = merged.get("outcome", "")
    draft.recorded_vetoed_by = merged.get("vetoed_by", [])
    draft.undl_record_id = merged.get("undl_record_id", "")


# A draft's fields read back as merged values, where the two differ in form.
_READ_BACK = {
    "date": lambda d: d.date.isoformat(),
    "resolution": lambda d: (
        [d.resolution_number, d.resolution_year] if d.resolution_number else None
    ),
    "meeting": lambda d: d.meeting.symbol if d.meeting_id else "",
    "agenda": lambda d: d.agenda_item.name if d.agenda_item_id else "",
    "totals": lambda d: [getattr(d, name) for name in DRAFT_FIELDS["totals"]],
    "outcome": lambda d: d.recorded_outcome,
    "vetoed_by": lambda d: list(d.recorded_vetoed_by or []),
    "subjects": lambda d: sorted(s.name for s in d.subjects.all()),
}


def current_values(draft: Draft, names) -> dict:
    """A draft's current field values, in the form of merged values."""
    return {
        name: _READ_BACK[name](draft) if name in _READ_BACK else getattr(draft, name)
        for name in names
    }


def editor_owned(draft: Draft) -> set[str]:
    """Merged-value names an editor has taken over (any of their draft fields)."""
    fields = (f for f, origin in (draft.field_sources or {}).items() if origin == Source.EDITOR)
    return {MODEL_TO_VALUE.get(f, f) for f in fields} & DRAFT_FIELDS.keys()


# The written fields compared as they are; the others by id, or copied.
_PLAIN_FIELDS = [
    name
    for name in DRAFT_WRITE_FIELDS
    if name not in ("meeting", "agenda_item", "sources", "field_sources")
]


def snapshot(draft: Draft) -> dict | None:
    """A stored draft's written fields, to tell afterwards whether an import changed it."""
    if draft.pk is None:
        return None
    return _written(draft, sources=copy.deepcopy(draft.sources or {}))


def unchanged_since(draft: Draft, before: dict) -> bool:
    """Whether the draft's written fields are still those of ``snapshot`` (the draft as
    it is now is only compared, never kept, so it is not copied)."""
    return _written(draft, sources=draft.sources or {}) == before


def _written(draft: Draft, *, sources: dict) -> dict:
    return {
        **{name: getattr(draft, name) for name in _PLAIN_FIELDS},
        "meeting": draft.meeting_id,
        "agenda_item": draft.agenda_item_id,
        "sources": sources,
        "field_sources": dict(draft.field_sources or {}),
    }
