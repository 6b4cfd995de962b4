"""The columns of the open-data format and how its text cells are kept safe.

Pure, no database: ``resolutions.exports`` writes this format and
``resolutions.sources.site_export`` reads it back, so both share one
definition of the columns.
"""

from __future__ import annotations

DRAFT_COLUMNS = [
    "record_id",
    "date",
    "resolution",
    "draft_symbol",
    "meeting",
    "press_release",
    "title",
    "title_built",
    "description",
    "agenda",
    "sponsors",
    "sponsor_codes",
    "sponsor_source",
    "subjects",
    "modality",
    "procedural",
    "recorded_yes",
    "recorded_no",
    "recorded_abstain",
    "recorded_non_voting",
    "recorded_members",
    "stated_outcome",
    "stated_vetoed_by",
    "outcome",
    "vetoed_by",
    "tally_yes",
    "tally_no",
    "tally_abstain",
    "tally_non_voting",
    "undl_record_id",
    "source",
    "source_version",
]
VOTE_COLUMNS = [
    "ms_code",
    "ms_name",
    "permanent_seat",
    "ms_vote",
    "non_voting",
    "vote_note",
    "vote_evidence",
    "vote_source",
]
# One row per member vote: the draft's columns, then the member's, then provenance.
VOTES_COLUMNS = DRAFT_COLUMNS[:-2] + VOTE_COLUMNS + DRAFT_COLUMNS[-2:]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets also run "  =1+2" (spaces first) and a line break starts a cell.
SPACES = " \u00a0"
# The first characters of every text neutralise() changes: any other text is left
# as it is at once (the dumps ask for every cell of every row).
_MAY_CHANGE = frozenset((*FORMULA_STARTS, "\n", "'", *SPACES))


def _formula_like(value: str) -> bool:
    return value[:1] in ("\t", "\r", "\n") or value.lstrip(SPACES).startswith(FORMULA_STARTS)


def neutralise(value):
    """Keep a spreadsheet from running a cell as a formula; reversible by :func:`restore`.

    A text that already starts with an apostrophe gets one more, so that reading
    the file back gives every value exactly as it was.
    """
    if not isinstance(value, str) or value[:1] not in _MAY_CHANGE:
        return value
    if _formula_like(value) or value.startswith("'"):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise` when reading an export back."""
    rest = value[1:]
    if value.startswith("'") and rest and (_formula_like(rest) or rest.startswith("'")):
        return rest
    return value
