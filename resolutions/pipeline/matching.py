"""Which existing draft a source's record describes: merge, never duplicate.

Tried in order: the site's own record id (an export read back), the
resolution number, the draft symbol and day (then a nearby day), and, for
early drafts known only by their meeting, the meeting and day with the same
stated outcome. A symbol listed again on another day by the same source is a
duplicate listing, handed back so that the loader reports it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from resolutions.models import Draft
from resolutions.sources.records import DraftRecord
from resolutions.sources.values import seat_codes
from votes.choices import SECONDARY

# How far apart two sources' dates for the same draft symbol may be and still
# be matched (the Veto List gives the first day of a multi-day meeting).
DATE_SLACK = timedelta(days=31)


@dataclass(eq=False)
class Target:
    """A draft a record may describe; claimed once a record of this import matched it."""

    draft: Draft
    claimed: bool = False


class DraftIndex:
    """Existing drafts by resolution number, draft symbol and meeting."""

    def __init__(self, drafts: list[Draft]):
        self.by_resolution: dict[int, Target] = {}
        self.by_symbol: dict[str, list[Target]] = defaultdict(list)
        self.by_meeting: dict[tuple[str, str], list[Target]] = defaultdict(list)
        self.by_pk: dict[int, Target] = {}
        for draft in drafts:
            self._add(Target(draft), draft.meeting.symbol if draft.meeting else "")

    def _add(self, target: Target, meeting: str) -> None:
        draft = target.draft
        if draft.pk is not None:
            self.by_pk[draft.pk] = target
        if draft.resolution_number:
            self.by_resolution[draft.resolution_number] = target
        if draft.draft_symbol:
            self.by_symbol[draft.draft_symbol].append(target)
        if meeting and draft.date:
            self.by_meeting[(meeting, draft.date.isoformat())].append(target)

    def add(self, draft: Draft, record: DraftRecord) -> Target:
        """A new draft for a record that matched none, claimed by it."""
        draft.draft_symbol = record.draft_symbol
        draft.resolution_number = record.resolution_number
        # An undated record leaves the date to the merge of the other sources' values;
        # saving fails loudly if none dates it.
        draft.date = record.date  # type: ignore[assignment]
        target = Target(draft, claimed=True)
        self._add(target, record.meeting_symbol)
        return target

    def resolution_date(self, number: int | None) -> date | None:
        target = self.by_resolution.get(number) if number else None
        return target.draft.date if target else None

    def match(self, record: DraftRecord, *, exact: bool = False) -> Target | None:
        found = self._find_exact(record) if exact else self._find(record)
        if found is not None:
            found.claimed = True
        return found

    def _find_exact(self, record: DraftRecord) -> Target | None:
        record_id = (record.extra or {}).get("record_id")
        if record_id in self.by_pk:
            # The site's own export names its records; read back, they match themselves.
            return self.by_pk[record_id]
        if record.resolution_number:
            return self.by_resolution.get(record.resolution_number)
        if not _real_symbol(record.draft_symbol):
            return None
        return _same_day(self._free(self.by_symbol.get(record.draft_symbol, [])), record)

    def _find(self, record: DraftRecord) -> Target | None:
        if record.resolution_number:
            return self.by_resolution.get(record.resolution_number)
        found = self._find_by_symbol(record) if _real_symbol(record.draft_symbol) else None
        return found or self._find_in_meeting(record)

    @staticmethod
    def _free(targets: list[Target]) -> list[Target]:
        return [t for t in targets if not t.claimed]

    def _find_by_symbol(self, record: DraftRecord) -> Target | None:
        known = self.by_symbol.get(record.draft_symbol, [])
        free = self._free(known)
        found = _same_day(free, record) or _only_one_near(free, record)
        if found or _same_day(known, record):
            return found
        # One symbol listed again on another day by the same source is a duplicate
        # listing, not a second vote: hand back the draft so the loader reports it
        # instead of creating a phantom record.
        return next((t for t in known if t.claimed), None)

    def _find_in_meeting(self, record: DraftRecord) -> Target | None:
        """Drafts known by their meeting (early drafts, or symbols written differently).

        Within the meeting and day, only a draft with the same stated outcome (and
        the same vetoers) can be the same vote; among those, the note naming it
        (e.g. "(Transjordan)") decides, else the order in which they are listed.
        """
        meeting = _meeting_of(record)
        if not meeting or record.date is None:
            return None
        listed = self.by_meeting.get((meeting, record.date.isoformat()), [])
        candidates = [t for t in self._free(listed) if _could_be(t.draft, record)]
        # Same outcome and the same vetoers first; a draft whose vetoers differ is
        # only taken when nothing else fits (the difference is then reported).
        candidates.sort(key=lambda t: not _same_statement(t.draft, record, vetoers=True))
        return _named_by_note(candidates, record) or next(iter(candidates), None)


def _same_day(targets: list[Target], record: DraftRecord) -> Target | None:
    return next((t for t in targets if t.draft.date == record.date), None)


def _only_one_near(targets: list[Target], record: DraftRecord) -> Target | None:
    if record.date is None:
        return None
    near = [t for t in targets if abs(t.draft.date - record.date) <= DATE_SLACK]
    return near[0] if len(near) == 1 else None


def _meeting_of(record: DraftRecord) -> str:
    """The meeting record a record names, in its own column or in the draft column."""
    symbol = record.draft_symbol
    return record.meeting_symbol or (symbol if symbol.startswith("S/PV.") else "")


def _could_be(draft: Draft, record: DraftRecord) -> bool:
    """Whether a draft of the record's meeting can be the vote it describes."""
    return (
        not draft.resolution_number
        and _same_statement(draft, record, vetoers=False)
        and _related_symbols(draft.draft_symbol, record.draft_symbol)
    )


def _named_by_note(candidates: list[Target], record: DraftRecord) -> Target | None:
    """The draft whose agenda or title holds the record's note, as "(Transjordan)"."""
    note = str((record.extra or {}).get("draft_note", "")).strip("() ").lower()
    if not note:
        return None
    return next((t for t in candidates if note in _describing_text(t.draft).lower()), None)


def _real_symbol(symbol: str) -> bool:
    """A draft symbol proper, not empty and not a meeting record in the draft column."""
    return bool(symbol) and not symbol.startswith("S/PV.")


def _same_statement(draft: Draft, record: DraftRecord, *, vetoers: bool) -> bool:
    """Whether a draft's sources state the same outcome (and vetoers) as the record."""
    named = seat_codes(record.vetoed_by) if vetoers and record.vetoed_by else None
    # A compilation's statements are checked against the record, never used to match
    # it (resolutions.pipeline.secondary).
    return all(
        _states_alike(info.get("values", {}), record, named)
        for key, info in (draft.sources or {}).items()
        if key not in SECONDARY
    )


def _states_alike(values: dict, record: DraftRecord, vetoers: list[str] | None) -> bool:
    if values.get("outcome") and values["outcome"] != record.outcome:
        return False
    return not (vetoers and values.get("vetoed_by") and sorted(values["vetoed_by"]) != vetoers)


def _related_symbols(a: str, b: str) -> bool:
    """Whether two symbols can name one draft: S/18087 and S/18087/Rev.1 do.

    A meeting record written in the draft column (S/PV.n) or no symbol at all
    says nothing either way.
    """
    if not _real_symbol(a) or not _real_symbol(b):
        return True
    return a.split("/Rev")[0].split("/Corr")[0] == b.split("/Rev")[0].split("/Corr")[0]


def _describing_text(draft: Draft) -> str:
    parts = []
    for info in (draft.sources or {}).values():
        values = info.get("values", {})
        parts += [values.get("agenda", ""), values.get("title", "")]
    return " ".join(parts)


def agreement(draft: Draft, record: DraftRecord, source: str) -> int:
    """How well a record agrees with what the other sources say of the draft.

    One source listing a draft twice (the 1990 table puts S/RES/663 on two rows)
    keeps the listing that agrees best with the other sources.
    """
    return sum(
        _agreement(info.get("values", {}), record)
        for key, info in (draft.sources or {}).items()
        if key != source and key not in SECONDARY
    )


def _agreement(values: dict, record: DraftRecord) -> int:
    """Two for the same date, one for the same tally (either way round), one for the outcome."""
    said_date = record.date.isoformat() if record.date else None
    totals = values.get("totals")
    return (
        2 * (values.get("date") == said_date)
        + bool(totals and tuple(totals[:3]) in _tally_readings(record))
        + bool(values.get("outcome") and values["outcome"] == record.outcome)
    )


def _tally_readings(record: DraftRecord) -> set[tuple]:
    """The record's tally read both ways round (the meetings tables' order varies)."""
    reading = (record.extra or {}).get("tally_reading") or {}
    if reading.get("yes") is None:
        return set()
    yes, no, abstain = reading["yes"], reading["no"], reading["abstain"]
    return {(yes, no, abstain), (yes, abstain, no)}
