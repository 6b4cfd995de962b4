"""Translate between parsed records, the per-source values kept on a draft, and its fields.

``record_values`` turns one DraftRecord into the plain JSON values stored under
``Draft.sources[source]["values"]``; ``apply_merged`` writes merged values onto
a Draft's fields; ``current_values`` reads a Draft's fields back in the same
form (for the fields an editor owns).
"""

from __future__ import annotations

from datetime import date

from resolutions.models import Draft
from resolutions.pipeline.entries import DRAFT_FIELDS, MODEL_TO_VALUE
from resolutions.sources.records import DraftRecord
from resolutions.sources.values import seat_codes, tidy_text
from votes.choices import Modality, Outcome, Source
from votes.outcome import council_size


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
        ("title", tidy_text(record.title)),
        ("description", tidy_text(record.description)),
        ("agenda", tidy_text(record.agenda).rstrip(". ")),
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
        if (
            record.recorded_members
            and record.date
            and (record.recorded_members < council_size(record.date))
        ):
            # Totals over fewer members than sat (S/RES/1966 (2010): 14 rows, Mexico
            # missing) yield to another source's complete totals.
            values["totals_incomplete"] = True
    reading = (record.extra or {}).get("tally_reading") or {}
    if reading.get("inconsistent"):
        # The tally fits no reading of the outcome the same row states, so neither
        # can be relied on: both are kept for display and disagreement, neither
        # decides (resolutions.pipeline.merge). E.g. S/5095 (1962), "not adopted 7-2-1".
        values["tally_inconsistent"] = reading.get("reason") or "the tally fits no reading"
    elif reading.get("ambiguous") and reading.get("yes") is not None:
        # Keep both readings; another source may settle the order (merge).
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
    if record.outcome == Outcome.ADOPTED and permanent_no and record.procedural is None:
        # Article 27(3): only a procedural decision survives a permanent member's
        # "no". A source listing the members' votes of a resolution it says was
        # adopted, with a permanent "no" among them, shows the Council treated it
        # as procedural (S/RES/87 (1950); S/RES/2623 (2022), Russia against).
        values["procedural"] = True
        values["procedural_inferred"] = (
            "adopted despite a negative vote of "
            + ", ".join(sorted(permanent_no))
            + ", so the Council treated it as procedural"
        )
    return values


def source_entry(record: DraftRecord, version: str, values: dict, url: str = "") -> dict:
    return {
        "version": version,
        "location": record.location,
        "url": url or record.url,
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
    draft.agenda_item_id = refs["agenda"].get(merged.get("agenda", "")[:1000])
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


def editor_owned(draft: Draft) -> set[str]:
    """Merged-value names an editor has taken over (any of their draft fields)."""
    owned = {f for f, origin in (draft.field_sources or {}).items() if origin == Source.EDITOR}
    return {MODEL_TO_VALUE.get(f, f) for f in owned if MODEL_TO_VALUE.get(f, f) in DRAFT_FIELDS}
