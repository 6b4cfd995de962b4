"""What ``Draft.sources`` holds: per source, its version, link, location and values.

One entry per source that described the draft::

    {"version": "2026-02-06", "location": "lines 2–16", "url": "https://…",
     "values": {"date": "2022-05-26", "totals": [13, 2, 0, 0, 15], …},
     "flags": ["…"], "notes": ["…"]}

:class:`SourceEntry` and :class:`SourceValues` describe that shape and check it
when the pipeline builds an entry, so that a value of the wrong kind is refused
with its name instead of being stored. ``to_json`` gives the stored form, key
for key in the order the pipeline has always written it (SQLite keeps the text
as written), and ``from_json`` reads a stored entry back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date

from votes.choices import Modality, Outcome, Source
from votes.outcome import SEAT_ORDER


class EntryError(ValueError):
    """A source entry that does not have the shape Draft.sources is read with."""


def _text(value) -> str | None:
    return None if isinstance(value, str) and value else "text"


def _iso_date(value) -> str | None:
    if not isinstance(value, str):
        return "a date (YYYY-MM-DD)"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "a date (YYYY-MM-DD)"
    return None


def _count(value) -> bool:
    return type(value) is int and value >= 0


def _counts(value) -> str | None:
    """yes, no, abstain, non-voting, members: counts, or null where not given."""
    ok = isinstance(value, list) and len(value) == 5
    return None if ok and all(v is None or _count(v) for v in value) else "five counts or nulls"


def _resolution(value) -> str | None:
    ok = isinstance(value, list) and len(value) == 2 and all(_count(v) for v in value)
    return None if ok else "[number, year]"


def _texts(value) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "a list of texts"


def _one_of(choices):
    def check(value) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)

    return check


def _true(value) -> str | None:
    return None if value is True else "true"


def _flag(value) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def _seats(value) -> str | None:
    ok = isinstance(value, list) and all(v in SEAT_ORDER for v in value)
    return None if ok else "permanent seat codes (" + ", ".join(SEAT_ORDER) + ")"


def _readings(value) -> str | None:
    ok = isinstance(value, list) and all(_counts(v) is None for v in value)
    return None if ok else "a list of readings of five counts"


def _held_back(value) -> str | None:
    """{"reason": text, "votes": {state code: position}}."""
    shape = '{"reason": text, "votes": {state code: Y, N, A or X}}'
    if not isinstance(value, dict) or set(value) != {"reason", "votes"}:
        return shape
    votes = value["votes"]
    if _text(value["reason"]) or not isinstance(votes, dict):
        return shape
    ok = all(isinstance(k, str) and v in ("Y", "N", "A", "X") for k, v in votes.items())
    return None if ok else shape


def _fingerprint(value) -> str | None:
    return None if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{16}", value) else "a hash"


# Each value's check: None when it is fine, else what it must be (said in the error).
CHECKS = {
    "date": _iso_date,
    "draft_symbol": _text,
    "resolution": _resolution,
    "meeting": _text,
    "press_release": _text,
    "title": _text,
    "description": _text,
    "agenda": _text,
    "modality": _one_of(Modality.values),
    "undl_record_id": _text,
    "tally_text": _text,
    "subjects": _texts,
    "sponsors": _texts,
    "sponsor_source": _one_of(Source.values),
    "procedural": _flag,
    "totals": _counts,
    "totals_incomplete": _true,
    "tally_inconsistent": _text,
    "tally_candidates": _readings,
    "provenance": _texts,
    "outcome": _one_of(Outcome.values),
    "vetoed_by": _seats,
    "procedural_inferred": _text,
    "votes": _fingerprint,
}


@dataclass(frozen=True)
class SourceValues:
    """The values one source gives for one draft; None where it gives none.

    In the order they are stored. ``procedural`` comes later, just before
    ``procedural_inferred``, when it is inferred rather than stated.
    """

    date: str | None = None  # YYYY-MM-DD
    draft_symbol: str | None = None
    resolution: list | None = None  # [number, year]
    meeting: str | None = None  # S/PV.n
    press_release: str | None = None
    title: str | None = None
    description: str | None = None
    agenda: str | None = None
    modality: str | None = None  # a votes.choices.Modality value
    undl_record_id: str | None = None
    tally_text: str | None = None  # the tally as the source writes it
    subjects: list | None = None
    sponsors: list | None = None  # who submitted it, names as the source writes them
    sponsor_source: str | None = None  # an editor's file: whose list of sponsors it gives
    procedural: bool | None = None
    totals: list | None = None  # [yes, no, abstain, non-voting, members]
    totals_incomplete: bool | None = None  # counted over fewer members than sat
    tally_inconsistent: str | None = None  # why the tally fits no reading of the outcome
    tally_candidates: list | None = None  # the two readings of an ambiguous tally
    provenance: list | None = None  # where an editor's file says its data came from
    outcome: str | None = None  # a votes.choices.Outcome value
    vetoed_by: list | None = None  # seat codes
    procedural_inferred: str | None = None  # why the Council treated it as procedural
    votes: str | None = None  # a fingerprint of the member votes

    def __post_init__(self):
        for name, check in CHECKS.items():
            value = getattr(self, name)
            problem = None if value is None else check(value)
            if problem:
                raise EntryError(f"the value {name!r} must be {problem}, not {value!r}")

    def to_json(self) -> dict:
        order = INFERRED_ORDER if self.procedural_inferred is not None else STATED_ORDER
        return {name: getattr(self, name) for name in order if getattr(self, name) is not None}

    @classmethod
    def from_json(cls, data: dict) -> SourceValues:
        _refuse_unknown(data, STATED_ORDER, "value")
        return cls(**data)


STATED_ORDER = tuple(f.name for f in fields(SourceValues))
# An inferred "procedural" is added after the values a source states.
INFERRED_ORDER = tuple(
    name
    for stated in STATED_ORDER
    if stated != "procedural"
    for name in (("procedural", stated) if stated == "procedural_inferred" else (stated,))
)


@dataclass(frozen=True)
class SourceEntry:
    """What one source said of one draft, and where it said it."""

    version: str  # the dataset's version, e.g. "2026-02-06"
    location: str  # where in the file, e.g. "line 12"
    url: str  # the record at its source
    values: SourceValues
    flags: list = field(default_factory=list)  # peculiarities of the row, in plain words
    notes: list | None = None  # how the merge read this source's values
    # A secondary source's member votes not published because the source disagrees
    # with the official record: {"reason": "...", "votes": {state code: position}},
    # kept as a suggestion for an editor (``resolutions.pipeline.secondary``).
    held_back: dict | None = None

    def __post_init__(self):
        for name in ("version", "location", "url"):
            if not isinstance(getattr(self, name), str):
                raise EntryError(f"the entry's {name!r} must be text")
        for name in ("flags", "notes"):
            value = getattr(self, name)
            if value is not None and _texts(value):
                raise EntryError(f"the entry's {name!r} must be a list of texts")
        if self.held_back is not None and _held_back(self.held_back):
            raise EntryError(f"the entry's 'held_back' must be {_held_back(self.held_back)}")

    def to_json(self) -> dict:
        stored = {
            "version": self.version,
            "location": self.location,
            "url": self.url,
            "values": self.values.to_json(),
            "flags": list(self.flags),
        }
        if self.notes is not None:
            stored["notes"] = list(self.notes)
        if self.held_back is not None:
            stored["held_back"] = dict(self.held_back)
        return stored

    @classmethod
    def from_json(cls, data: dict) -> SourceEntry:
        _refuse_unknown(data, ENTRY_KEYS, "key")
        missing = [key for key in ENTRY_KEYS[:4] if key not in data]
        if missing:
            raise EntryError(f"a source entry needs {', '.join(missing)}")
        return cls(**{**data, "values": SourceValues.from_json(data["values"])})


ENTRY_KEYS = tuple(f.name for f in fields(SourceEntry))


def _refuse_unknown(data: dict, known: tuple, what: str) -> None:
    if not isinstance(data, dict):
        raise EntryError(f"a source entry must be an object, not {data!r}")
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise EntryError(f"unknown {what}(s) {', '.join(unknown)}")


def with_notes(entry: dict, notes: list[str] | None) -> dict:
    """A stored entry with its merge notes replaced (removed when there are none)."""
    if notes:
        return {**entry, "notes": notes}
    return {k: v for k, v in entry.items() if k != "notes"}


def version_key(version: str) -> tuple[int, ...]:
    """'2026-02-06' > '2022-01-29 (reconstructed)' > '1946-2022' (a range counts by its end)."""
    match = re.match(r"(\d{4})(?:-(\d{2})-(\d{2}))?(?:-(\d{4}))?", version or "")
    if not match:
        return (0,)
    year, month, day, until = match.groups()
    if until:
        return (int(until), 12, 31)
    return (int(year), int(month or 12), int(day or 31))


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
