"""What ``Draft.sources`` holds: per source, the values it gave for the draft.

The value names, and the draft fields each one fills (for ``field_sources``).
"""

from __future__ import annotations

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


def value_key(model_field: str) -> tuple[str | None, int | None]:
    """Where a source's value for a draft field is kept: (value name, item in its list).

    ``recorded_no`` -> ("totals", 1); ``title`` -> ("title", None).
    """
    name = MODEL_TO_VALUE.get(model_field)
    if name is None:
        return None, None
    fields = DRAFT_FIELDS[name]
    return name, (fields.index(model_field) if len(fields) > 1 else None)
