"""Which existing draft a source's record describes: merge, never duplicate.

Tried in order: the site's own record id (an export read back), the
resolution number, the draft symbol and day (then a nearby day), and, for
early drafts known only by their meeting, the meeting and day with the same
stated outcome. A symbol listed again on another day by the same source is a
duplicate listing, handed back so that the loader reports it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from resolutions.models import Draft
from resolutions.sources.records import DraftRecord
from resolutions.sources.values import seat_codes

# How far apart two sources' dates for the same draft symbol may be and still
# be matched (the Veto List gives the first day of a multi-day meeting).
DATE_SLACK = timedelta(days=31)


class DraftIndex:
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
