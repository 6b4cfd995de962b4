"""One Voting-Agent vote as read from its rows, and the kinds of fault a check can find.

A check that catches a fault records it with :meth:`VoteGroup.fault` as a kind (one of
:data:`FAULTS`) and a detail; a fault that makes a value untrustworthy also *withholds*
it: the record leaves that field empty and keeps the value as written in ``extra``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

FAULTS = {
    "symbol_spaces": "a symbol has stray spaces (leading, trailing or no-break); tidied",
    "symbol_lower_case": "a draft symbol written in lower case (s/...); tidied",
    "symbol_words": "the draft cell adds words to the symbol (e.g. 'as orally revised')",
    "symbol_malformed": "the draft cell holds a malformed symbol; no draft symbol given",
    "several_symbols": "the draft cell holds several draft symbols; none is chosen",
    "no_draft_symbol": "the draft cell holds no draft symbol",
    "columns_swapped": "the draft and resolution columns hold each other's symbol",
    "resolution_malformed": "the resolution is written in an odd form; its number is read",
    "resolution_unreadable": "the resolution cell cannot be read; no resolution given",
    "resolution_year_mismatch": "the resolution's year is not the vote's year",
    "resolution_out_of_sequence": "the resolution number is out of step with the meeting numbers",
    "resolution_contradicts_outcome": "an adopted vote without a resolution, or the reverse",
    "meeting_malformed": "the meeting record is written in an odd form",
    "no_meeting_record": "no meeting record (blank, or a 2020 videoconference number)",
    "year_column_disagrees": "the Year column differs from the date's year",
    "day_month_swapped": "the date fits the meeting order only with day and month swapped",
    "date_ambiguous": "day and month could be swapped and the meeting order cannot tell",
    "date_out_of_sequence": "the date is out of step with the meeting numbers",
    "meeting_out_of_sequence": "date and resolution are both out of step: the meeting number is?",
    "member_listed_twice": "a member is listed under two votes; that member's vote is withheld",
    "member_repeated": "a member's vote is repeated in a second row; counted once",
    "votes_shifted": "the member votes are another vote's (rows shifted); votes withheld",
    "members_not_on_council": "members listed who are not on the year's Council; votes withheld",
    "members_unlisted": "members of the year's Council not listed (absent or not voting?)",
    "unknown_member": "a member name the name resolver does not know",
    "outcome_contradicts_votes": "the stated outcome contradicts Article 27 on the listed votes",
    "adopted_over_permanent_no": "adopted, with a resolution, over a permanent member's no",
    "unanimity_contradicts_votes": "'unanimously' or 'by majority' contradicts the listed votes",
    "repeated_vote": "the same draft or resolution as another vote in the file",
    "amended_draft_unknown": "a vote on an amendment whose amended draft cannot be told",
    "rows_disagree": "rows of one vote disagree on a field that should be shared",
}

# Fields a fault can withhold (leave empty on the record).
WITHHELD_FIELDS = ("date", "draft", "resolution", "meeting", "votes", "outcome")


@dataclass
class Member:
    name: str
    code: str  # "" when the name resolver does not know the name
    position: str  # Y, N or A: the file has no non-voting position
    line: int


@dataclass
class VoteGroup:
    """One vote as the file gives it (rows sharing an ID), with what the checks found."""

    id: int
    lines: tuple[int, int]
    date: date  # as written (after the file's own Excel serial is read)
    cells: dict[str, str]
    members: list[Member]
    draft_symbol: str = ""
    resolution: tuple[int, int] | None = None
    meeting_symbol: str = ""
    sequence: tuple[str, int] | None = None  # ("PV", 9048), or ("V", 100) for 2020
    outcome: str = ""
    modality: str = ""
    qualifier: str = ""  # "unanimously" or "by majority" when the label says so
    vote_on: str = "draft"
    # (kind, detail, fields withheld)
    found: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def fault(self, kind: str, detail: str, *, withhold: Sequence[str] = ()) -> None:
        assert kind in FAULTS and set(withhold) <= set(WITHHELD_FIELDS), (kind, withhold)
        self.found.append((kind, detail, tuple(withhold)))

    def has(self, kind: str) -> bool:
        return any(k == kind for k, _, _ in self.found)

    def drop(self, kind: str) -> None:
        self.found = [f for f in self.found if f[0] != kind]

    @property
    def faults(self) -> list[tuple[str, str]]:
        return [(kind, detail) for kind, detail, _ in self.found]

    @property
    def withheld(self) -> set[str]:
        return {name for _, _, fields in self.found for name in fields}

    @property
    def label(self) -> str:
        return f"ID {self.id}"

    def codes(self) -> list[str]:
        return [m.code or f"?{m.name}" for m in self.members]


def ballots_of(group: VoteGroup) -> frozenset:
    return frozenset((m.code or m.name, m.position) for m in group.members)
