"""Reading one Voting-Agent vote's cells: outcome, Year, draft, resolution, meeting.

Each reader tidies what is only cosmetic (spaces, case) and records as a fault what is
wrong; a value it cannot trust is withheld (see ``group``).
"""

from __future__ import annotations

import re

from resolutions.sources.records import SourceError
from resolutions.sources.voting_agent.group import VoteGroup
from votes.choices import Modality, Outcome

OUTCOMES = {
    "adopted unanimously": (Outcome.ADOPTED, Modality.RECORDED_VOTE, "unanimously"),
    "adopted by majority": (Outcome.ADOPTED, Modality.RECORDED_VOTE, "by majority"),
    "adopted by consensus": (Outcome.ADOPTED, Modality.WITHOUT_VOTE, ""),
    "adopted by acclamation": (Outcome.ADOPTED, Modality.ACCLAMATION, ""),
    "not adopted - veto": (Outcome.VETOED, Modality.RECORDED_VOTE, ""),
    "not adopted - failed to receive required number of votes": (
        Outcome.NOT_ADOPTED,
        Modality.RECORDED_VOTE,
        "",
    ),
}

_DRAFT = re.compile(r"^S/\d{4}/\d+$")
_TOKEN = re.compile(r"S/[^\s;,()]+", re.IGNORECASE)
_RESOLUTION_IN_DRAFT = re.compile(r"^S/RES/(\d+)\s*\((\d{4})\)$", re.IGNORECASE)
_RESOLUTION = re.compile(r"^(?:S/RES/|Resolution\s+)?(\d+)\s*\((\d{4})\)$", re.IGNORECASE)
_RESOLUTION_ODD = re.compile(r"^(?:S/RES/)?(\d+)\s*[/(]\s*(\d{4})\)?$", re.IGNORECASE)
_PARAGRAPH_OF = re.compile(
    r"^para(?:graph)?\.?\s*\d+\s+of\s+(S/\S+)$|^(S/\S+),\s*para(?:graph)?\.?\s*\d+$", re.IGNORECASE
)
_AMENDMENT = re.compile(r"\bamendment\b", re.IGNORECASE)
_PRELIMINARY = re.compile(r"preliminary\s+question", re.IGNORECASE)
_PARTS = re.compile(r"\b(?:separate\s+vote|operative\s+paragraph)", re.IGNORECASE)
# What a row votes on, first match wins; a row matching none votes on a draft.
_VOTED_ON = ((_AMENDMENT, "amendment"), (_PRELIMINARY, "preliminary_question"), (_PARTS, "part"))


def read_cells(group: VoteGroup, file: str) -> None:
    cells = group.cells
    where = f"line {group.lines[0]}"
    label = " ".join(cells["Outcome results"].split()).lower()
    if label not in OUTCOMES:
        raise SourceError(file, where, f"unknown outcome {cells['Outcome results']!r}")
    group.outcome, group.modality, group.qualifier = OUTCOMES[label]
    try:
        year = int(cells["Year"].strip())
    except ValueError:
        raise SourceError(file, where, f"Year {cells['Year']!r} is not a number") from None
    if year != group.date.year:
        group.fault("year_column_disagrees", f"Year {year}, date {group.date.isoformat()}")
    _read_draft(group)
    _read_resolution(group)
    _read_meeting(group)


def _spaces(group: VoteGroup, column: str) -> None:
    raw = group.cells[column]
    if raw and raw != " ".join(raw.replace("\xa0", " ").split()):
        if raw.strip(" \xa0") != " ".join(raw.replace("\xa0", " ").split()):
            return  # only spaces inside words: not a symbol's fault
        group.fault("symbol_spaces", f"{column} cell {raw!r}")


def _read_draft(group: VoteGroup) -> None:
    raw = group.cells["Draft"]
    text = " ".join(raw.replace("\xa0", " ").split())
    _spaces(group, "Draft")
    group.vote_on = next(
        (kind for pattern, kind in _VOTED_ON if pattern.search(text)), group.vote_on
    )
    group.extra["vote_on"] = group.vote_on
    if text[:2] == "s/":
        group.fault("symbol_lower_case", f"{text!r}")
    paragraph = _PARAGRAPH_OF.match(text)
    if paragraph:
        group.extra["text_in"] = (paragraph.group(1) or paragraph.group(2)).upper()
        group.fault("no_draft_symbol", f"{text!r}: the text voted is a paragraph of a document")
        return
    _read_draft_symbols(group, text)


def _read_draft_symbols(group: VoteGroup, text: str) -> None:
    """The draft's symbol among the cell's tokens, or the fault that withholds it."""
    tokens = [t.upper().rstrip(".") for t in _TOKEN.findall(text)]
    drafts = [t for t in tokens if _DRAFT.match(t)]
    if _columns_swapped(tokens, group.cells["Resolution"]):
        _swapped_columns(group, text)
    elif len(drafts) > 1:
        _several_drafts(group, drafts, text)
    elif drafts:
        _one_draft(group, drafts[0], text)
    elif tokens:
        _malformed(group, tokens[0], text)
    elif group.vote_on == "draft":
        group.fault("no_draft_symbol", f"{text!r}" if text else "blank")


def _several_drafts(group: VoteGroup, drafts: list[str], text: str) -> None:
    """Several draft symbols in the cell: all kept as written, none taken."""
    group.extra["draft_symbols_as_written"] = tuple(drafts)
    group.fault("several_symbols", f"{text!r}", withhold=["draft"])


def _columns_swapped(tokens: list[str], resolution_cell: str) -> bool:
    """A resolution in the draft cell, or a draft in the resolution cell."""
    in_draft_cell = any(t.startswith("S/RES/") for t in tokens)
    return in_draft_cell or bool(_DRAFT.match(resolution_cell.strip(" \xa0")))


def _one_draft(group: VoteGroup, draft: str, text: str) -> None:
    """The cell's one draft symbol; words beside it are a fault on a vote on the draft."""
    group.draft_symbol = draft
    words = " ".join(_TOKEN.sub(" ", text).split()).strip(",;. ")
    if words and group.vote_on == "draft":
        group.fault("symbol_words", f"{text!r}")


def _malformed(group: VoteGroup, token: str, text: str) -> None:
    """A symbol-like token that is no draft symbol: withheld, with the likely one."""
    suggested = re.sub(r"^S/(\d{4})-(\d+)$", r"S/\1/\2", token)
    if _DRAFT.match(suggested):
        group.extra["draft_symbol_suggested"] = suggested
    group.fault("symbol_malformed", f"{text!r}", withhold=["draft"])


def _swapped_columns(group: VoteGroup, text: str) -> None:
    """A resolution in the draft column (and, as in 2025, the draft in the other)."""
    other = " ".join(group.cells["Resolution"].replace("\xa0", " ").split())
    group.fault("columns_swapped", f"Draft {text!r}, Resolution {other!r}")
    group.extra["columns_swapped"] = True
    match = _RESOLUTION_IN_DRAFT.match(text)
    if match:
        group.resolution = (int(match.group(1)), int(match.group(2)))
    if _DRAFT.match(other.upper()):
        group.draft_symbol = other.upper()


def _read_resolution(group: VoteGroup) -> None:
    if group.extra.get("columns_swapped"):
        return
    raw = group.cells["Resolution"]
    text = " ".join(raw.replace("\xa0", " ").split())
    if not text:
        return
    _spaces(group, "Resolution")
    match = _RESOLUTION.match(text)
    if match:
        group.resolution = (int(match.group(1)), int(match.group(2)))
        return
    odd = _RESOLUTION_ODD.match(text)
    if odd:
        group.resolution = (int(odd.group(1)), int(odd.group(2)))
        group.fault("resolution_malformed", f"{text!r}")
        return
    group.fault("resolution_unreadable", f"{text!r}", withhold=["resolution"])


def _read_meeting(group: VoteGroup) -> None:
    text = " ".join(group.cells["Meeting"].split())
    if not text:
        group.fault("no_meeting_record", "blank")
        return
    plain = re.match(r"^(?:S/)?(?:PV\.)?(\d+)$", text, re.IGNORECASE)
    no_dot = re.match(r"^S/PV(\d+)$", text, re.IGNORECASE)
    video = re.match(r"^V(\d+)$", text)
    if plain or no_dot:
        number = int((plain or no_dot).group(1))
        group.meeting_symbol, group.sequence = f"S/PV.{number}", ("PV", number)
        if no_dot:
            group.fault("meeting_malformed", f"{text!r}")
    elif video:
        group.sequence = ("V", int(video.group(1)))
        group.fault(
            "no_meeting_record",
            f"{text!r}: a 2020 vote by videoconference, which had no meeting record",
        )
    else:
        group.fault("meeting_malformed", f"{text!r}")
