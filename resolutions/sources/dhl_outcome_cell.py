"""Read the outcome cell of a Library meetings table row into decisions.

The cell is free text such as ``Draft resolution S/2022/431 vetoed by China,
Russian Federation 13-0-2`` or ``S/RES/2627 (2022) 15-0-0 S/PRST/2022/4``, with
several decisions one after another. A tally belongs to the decision just
before it. Only voted decisions (resolutions, drafts not adopted or vetoed, and
bare tallies) come back; statements, communiqués, letters and elections are
recognised and skipped, and any text that is none of these is reported.
Pure text: the HTML layer (``dhl_meetings``) turns line breaks into newlines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from resolutions.sources.records import normalise_symbol
from votes.choices import Outcome

# The seat passed from the USSR to the Russian Federation on this day (domain.md).
RUSSIAN_SEAT_SUCCESSION = date(1991, 12, 24)

MEMBER_CODES = {
    "ussr": "SUN",
    "soviet union": "SUN",
    "russian federation": "RUS",
    "china": "CHN",
    "france": "FRA",
    "uk": "GBR",
    "united kingdom": "GBR",
    "usa": "USA",
    "united states": "USA",
    "united states of america": "USA",
}
_NAME = (
    r"(?:the\s+)?(?:USSR|Soviet\s+Union|Russian\s+Federation|China|France|United\s+Kingdom"
    r"|UK|United\s+States(?:\s+of\s+America)?|USA)"
)
_ITEM = re.compile(
    rf"""
    (?P<res>S/RES/\s*(?P<number>\d+)\s*\(\s*(?P<year>\d{{4}})\s*\))
    |(?P<veto>vetoed\s+by(?P<names>(?:\s*(?:,|&|\band\b)?\s*{_NAME}(?![A-Za-z]))*))
    |(?P<failed>(?:\bwas\s+)?\bnot\s+adopted\b)
    |(?P<count>(?<![\d/.])\d{{1,2}}\s*-\s*\d{{1,2}}\s*-\s*\d{{1,2}}(?![\d/])
        (?:\s*\(\s*\d+\s+(?:absent|non-?participating)\s*\))?)
    |(?P<words>adopted\s+unanimously|unanimously\s+adopted|adopted\s+by\s+consensus
        |without\s+(?:a\s+)?vote)
    |(?P<note>\([^()]*did\s+not\s+participate[^()]*\))
    |(?P<other>S/PRST/\d{{4}}/\d+|S/(?:PV\.)?\d+\s*\(PRST\)(?:\s*and\s+Corr\.\d+)?
        |PRST(?:\s+unnumbered)?|communiqu[eé]|(?:Note|Letter)\s*\(?S/\d{{4}}/\d+\)?
        |Election\s+of[\s\S]*?(?=S/RES/|S/PRST/|draft\s+resolution|\Z)|Decision|Referral\s+to\s+the\s+Committee\s+on\s+the\s+Admission
        \s+of\s+New\s+Members)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SYMBOL = re.compile(r"S/(?:PV\.\d+|\d{4}/\d+|\d+)(?:/(?:Rev|Add|Corr)\.\d+)*", re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]*)\)")
_FILLER = re.compile(r"(?:[\s+,;&.|]|--|\band\b)*", re.IGNORECASE)
_DRAFT_WORDS = re.compile(r"^(?:power\s+four\s+)?draft\s+resolution(?:s(?=\s))?\s*", re.IGNORECASE)


@dataclass
class CellDecision:
    """One voted decision read from an outcome cell."""

    text: str  # the part of the cell it was read from
    outcome: str = ""  # an Outcome value, or "" when the cell states none
    resolution_number: int | None = None
    resolution_year: int | None = None
    draft_symbol: str = ""
    vetoed_by: tuple[str, ...] = ()
    tally_text: str = ""
    flags: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def read_outcome_cell(text: str, *, on: date) -> tuple[list[CellDecision], list[str]]:
    """The voted decisions in an outcome cell, and warnings about text not understood."""
    return _CellReader(on).read(text)


class _CellReader:
    """Walks one cell's items in order, keeping the decision a tally belongs to."""

    def __init__(self, on: date):
        self.on = on
        self.decisions: list[CellDecision] = []
        self.warnings: list[str] = []
        self.current: CellDecision | None = None
        self.last = ""  # the kind of the item before

    def read(self, text: str) -> tuple[list[CellDecision], list[str]]:
        pos = 0
        for match in _ITEM.finditer(text):
            kind = _kind(match)
            self._item(kind, text[pos : match.start()], match)
            pos, self.last = match.end(), kind
        _check_gap(text[pos:], self.warnings)
        return self.decisions, self.warnings

    def _item(self, kind: str, gap: str, match: re.Match) -> None:
        if kind in ("veto", "failed"):
            # The text since the item before describes the draft.
            self._add(_draft_decision(gap, match, self.on))
            return
        _check_gap(gap, self.warnings)
        if kind == "res":
            self._add(_resolution(match))
        elif kind in ("count", "words"):
            self._tally(" ".join(match.group(0).split()))
        elif kind == "note":
            self._note(match.group(0))
        else:  # a statement, communiqué, letter or election: no vote
            self.current = None

    def _add(self, decision: CellDecision) -> None:
        self.decisions.append(decision)
        self.current = decision

    def _tally(self, tally: str) -> None:
        """A tally belongs to the decision just before it, if that has none yet."""
        current = self.current
        if current is None or current.tally_text or self.last not in ("res", "veto", "failed"):
            current = CellDecision(text="")
            current.flags.append("the outcome cell gives a tally but names no decision")
            self._add(current)
        current.tally_text = tally
        current.text = f"{current.text} {tally}".strip()

    def _note(self, text: str) -> None:
        """ "(... did not participate)" completes the tally just before it."""
        if self.current is None or self.last != "count":
            self.warnings.append(f"a note not beside a tally: {text!r}")
            return
        note = " ".join(text.split())
        self.current.tally_text += " " + note
        self.current.text += " " + note


def _resolution(match: re.Match) -> CellDecision:
    return CellDecision(
        text=match.group(0),
        outcome=Outcome.ADOPTED,
        resolution_number=int(match.group("number")),
        resolution_year=int(match.group("year")),
    )


def _kind(match: re.Match) -> str:
    for kind in ("res", "veto", "failed", "count", "words", "note", "other"):
        if match.group(kind) is not None:
            return kind
    raise AssertionError(match)  # pragma: no cover - the pattern has no other branch


def _check_gap(gap: str, warnings: list[str]) -> None:
    if not _FILLER.fullmatch(gap):
        warnings.append(f"text in the outcome cell not understood: {' '.join(gap.split())!r}")


def _draft_decision(description: str, match: re.Match, on: date) -> CellDecision:
    """A draft not adopted or vetoed; the text before the verb describes the draft."""
    desc = " ".join(description.split()).strip(" |,;")
    decision = CellDecision(text=f"{desc} {' '.join(match.group(0).split())}".strip())
    decision.extra["draft_text"] = desc
    body = _DRAFT_WORDS.sub("", desc)
    _draft_symbols(decision, body)
    notes = [n.strip() for n in _PAREN.findall(body) if not _SYMBOL.fullmatch(n.strip())]
    if notes:
        decision.extra["draft_note"] = "; ".join(f"({n})" for n in notes)
        decision.flags.append(f"the table adds {decision.extra['draft_note']} to the draft")
    if decision.draft_symbol.upper().startswith("S/PV."):
        decision.extra["draft_is_meeting_record"] = True
        decision.flags.append(
            f"the draft column holds a meeting record ({decision.draft_symbol}), not a draft symbol"
        )
    if match.group("veto") is not None:
        decision.outcome = Outcome.VETOED
        decision.vetoed_by = _vetoers(match.group("names") or "", on, decision.flags)
    else:
        decision.outcome = Outcome.NOT_ADOPTED
    return decision


def _draft_symbols(decision: CellDecision, body: str) -> None:
    """The first document symbol is the draft's; others are kept and flagged."""
    # Drop notes before looking for symbols: "(incorporating amendment ... S/3998)".
    symbols = _SYMBOL.findall(
        _PAREN.sub(lambda m: m.group(0) if _SYMBOL.fullmatch(m.group(1).strip()) else " ", body)
    )
    symbols = [normalise_symbol(s) for s in dict.fromkeys(symbols)]
    if not symbols:
        decision.flags.append("the table gives no draft symbol")
        return
    decision.draft_symbol = symbols[0]
    if len(symbols) > 1:
        decision.extra["other_symbols"] = symbols[1:]
        decision.flags.append(
            f"the table names several documents ({', '.join(symbols)}); "
            "the first is taken as the draft symbol"
        )


def _vetoers(names: str, on: date, flags: list[str]) -> tuple[str, ...]:
    """State codes for "China, Russian Federation", "the United States", "UK and USA"."""
    codes = []
    for part in re.split(r",|&|\band\b", names, flags=re.IGNORECASE):
        name = re.sub(r"^the\s+", "", " ".join(part.split()), flags=re.IGNORECASE).lower()
        if name:
            codes.append(MEMBER_CODES[name])
    if not codes:
        flags.append("the table says 'vetoed by' but names no permanent member")
    if "SUN" in codes and on >= RUSSIAN_SEAT_SUCCESSION:
        flags.append("the USSR is named as vetoing after 24 December 1991")
    if "RUS" in codes and on < RUSSIAN_SEAT_SUCCESSION:
        flags.append("the Russian Federation is named as vetoing before 24 December 1991")
    return tuple(dict.fromkeys(codes))
