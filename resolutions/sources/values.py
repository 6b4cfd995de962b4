"""Translate between parsed records, the per-source values kept on a draft, and its fields.

``record_values`` turns one DraftRecord into the plain JSON values stored under
``Draft.sources[source]["values"]``; ``apply_merged`` writes merged values onto
a Draft's fields; ``current_values`` reads a Draft's fields back in the same
form (for the fields an editor owns).
"""

from __future__ import annotations

import re
from datetime import date

from resolutions.models import Draft
from resolutions.sources.records import DraftRecord
from votes.choices import Modality, Outcome, Position, Source
from votes.reference import permanent_terms

# Which permanent seat a state code votes from (SUN and RUS both hold the Russian seat).
SEAT_OF_CODE = {row.code: row.seat for row in permanent_terms()}
_MEETING_NUMBER = re.compile(r"^S/PV\.(\d+)")


def seat_codes(state_codes) -> list[str]:
    return sorted({SEAT_OF_CODE.get(code, code) for code in state_codes})


def meeting_number(symbol: str) -> int | None:
    match = _MEETING_NUMBER.match(symbol)
    return int(match.group(1)) if match else None


def record_values(record: DraftRecord, permanent_no: set[str] | None = None) -> dict:
    """The values one source gives for one draft, JSON-ready.

    ``permanent_no`` is the set of seats the record's own member votes show
    voting no (computed by the loader, which knows who held which seat).
    """
    values: dict = {}
    if record.date:
        values["date"] = record.date.isoformat()
    if record.draft_symbol:
        values["draft_symbol"] = record.draft_symbol
    if record.resolution_number:
        values["resolution"] = [record.resolution_number, record.resolution_year]
    for key, value in (
        ("meeting", record.meeting_symbol),
        ("press_release", record.press_release),
        ("title", record.title),
        ("description", record.description),
        ("agenda", record.agenda),
        ("modality", record.modality),
        ("undl_record_id", record.undl_id),
        ("tally_text", record.tally_text),
    ):
        if value:
            values[key] = value
    if record.subjects:
        values["subjects"] = list(record.subjects)
    if record.procedural is not None:
        values["procedural"] = record.procedural
    if record.recorded_yes is not None:
        values["totals"] = [
            record.recorded_yes,
            record.recorded_no,
            record.recorded_abstain,
            record.recorded_non_voting,
            record.recorded_members,
        ]
    reading = (record.extra or {}).get("tally_reading") or {}
    if (reading.get("ambiguous") or reading.get("inconsistent")) and reading.get("yes") is not None:
        # Keep both readings: the first number (in favour) is never in doubt, and
        # another source may settle the other two (resolutions.sources.merge).
        yes, no, abstain = reading["yes"], reading["no"], reading["abstain"]
        rest = reading.get("non_voting")
        values["tally_candidates"] = [
            [yes, no, abstain, rest, None],
            [yes, abstain, no, rest, None],
        ]
    if (record.extra or {}).get("provenance"):
        # Where an editor's file says its data came from (an export read back).
        values["provenance"] = list(record.extra["provenance"])
    if record.outcome:
        values["outcome"] = record.outcome
    if record.vetoed_by:
        values["vetoed_by"] = seat_codes(record.vetoed_by)
    if (
        record.source == Source.UNDL
        and record.outcome == Outcome.ADOPTED
        and permanent_no
        and record.procedural is None
    ):
        # Article 27(3): only a procedural decision survives a permanent member's
        # "no". The Library lists adopted resolutions only, so an adopted one with
        # a permanent "no" was treated as procedural (e.g. S/RES/87 (1950)).
        values["procedural"] = True
        values["procedural_inferred"] = (
            "adopted despite a negative vote of "
            + ", ".join(sorted(permanent_no))
            + ", so the Council treated it as procedural"
        )
    return values


def source_entry(record: DraftRecord, version: str, values: dict) -> dict:
    return {
        "version": version,
        "location": record.location,
        "url": record.url,
        "values": values,
        "flags": list(record.flags),
    }


def apply_merged(draft: Draft, merged: dict, refs: dict) -> None:
    """Set a draft's fields from merged values; refs maps meeting/agenda names to ids."""
    draft.date = date.fromisoformat(merged["date"])
    draft.draft_symbol = merged.get("draft_symbol", "")
    number, year = merged.get("resolution") or (None, None)
    draft.resolution_number, draft.resolution_year = number, year
    draft.meeting_id = refs["meeting"].get(merged.get("meeting", ""))
    draft.press_release = merged.get("press_release", "")
    draft.title = merged.get("title", "")[:1000]
    draft.description = merged.get("description", "")
    draft.agenda_item_id = refs["agenda"].get(merged.get("agenda", ""))
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


def current_values(draft: Draft, fields) -> dict:
    """A draft's current field values, in the form of merged values."""
    out = {}
    for name in fields:
        if name == "date":
            out[name] = draft.date.isoformat()
        elif name == "resolution":
            out[name] = (
                [draft.resolution_number, draft.resolution_year]
                if draft.resolution_number
                else None
            )
        elif name == "meeting":
            out[name] = draft.meeting.symbol if draft.meeting_id else ""
        elif name == "agenda":
            out[name] = draft.agenda_item.name if draft.agenda_item_id else ""
        elif name == "totals":
            out[name] = [
                draft.recorded_yes,
                draft.recorded_no,
                draft.recorded_abstain,
                draft.recorded_non_voting,
                draft.recorded_members,
            ]
        elif name == "outcome":
            out[name] = draft.recorded_outcome
        elif name == "vetoed_by":
            out[name] = list(draft.recorded_vetoed_by or [])
        elif name == "subjects":
            out[name] = sorted(s.name for s in draft.subjects.all())
        else:
            out[name] = getattr(draft, name)
    return out


# The draft fields each merged value is written to, for field_sources.
DRAFT_FIELDS = {
    "date": ["date"],
    "draft_symbol": ["draft_symbol"],
    "resolution": ["resolution_number", "resolution_year"],
    "meeting": ["meeting"],
    "press_release": ["press_release"],
    "title": ["title"],
    "description": ["description"],
    "agenda": ["agenda_item"],
    "subjects": ["subjects"],
    "modality": ["modality"],
    "procedural": ["procedural"],
    "totals": [
        "recorded_yes",
        "recorded_no",
        "recorded_abstain",
        "recorded_non_voting",
        "recorded_members",
    ],
    "outcome": ["recorded_outcome"],
    "vetoed_by": ["recorded_vetoed_by"],
    "undl_record_id": ["undl_record_id"],
}
MODEL_TO_VALUE = {f: name for name, fields in DRAFT_FIELDS.items() for f in fields}


def editor_owned(draft: Draft) -> set[str]:
    """Merged-value names an editor has taken over (any of their draft fields)."""
    owned = {f for f, origin in (draft.field_sources or {}).items() if origin == Source.EDITOR}
    return {MODEL_TO_VALUE.get(f, f) for f in owned if MODEL_TO_VALUE.get(f, f) in DRAFT_FIELDS}


POSITION_CODES = set(Position.values)
