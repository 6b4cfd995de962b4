"""Parser for the Dag Hammarskjöld Library's Security Council Veto List (HTML).

The page ("Security Council - Veto List (in reverse chronological order)") is
one hand-written table: Date, Draft, Written Record, Agenda Item, Permanent
Member Casting Negative Vote. Each row becomes one :class:`DraftRecord`, in the
page's order, with ``location="table row N"`` (N counts data rows from 1, under
the header). Peculiarities are kept as written and described in ``flags``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement

from resolutions.sources.reading import read_html_table_page
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    check_council_date,
    check_no_copied_rows,
    normalise_symbol,
    source_location,
)
from votes.choices import Outcome, Source

# The seat passed from the USSR to the Russian Federation on this day (domain.md).
RUSSIAN_SEAT_SUCCESSION = date(1991, 12, 24)

EXPECTED_HEADER = (
    "date",
    "draft",
    "written record",
    "agenda item",
    "permanent member casting negative vote",
)

# Names the page uses (or could use) for the permanent members: lower case, no dots.
MEMBER_CODES = {
    "ussr": "SUN",
    "soviet union": "SUN",
    "union of soviet socialist republics": "SUN",
    "russian federation": "RUS",
    "russia": "RUS",
    "china": "CHN",
    "people's republic of china": "CHN",
    "republic of china": "CHN",
    "france": "FRA",
    "uk": "GBR",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "usa": "USA",
    "us": "USA",
    "united states": "USA",
    "united states of america": "USA",
}

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}

_DATE = re.compile(r"^(\d{1,2})(?:\s*[-\u2013]\s*(\d{1,2}))?\s+([A-Za-z]+)\.?,?\s+(\d{4}|\d{2})$")
_SYMBOL = re.compile(r"\bS/[0-9A-Za-z.]+(?:/[0-9A-Za-z.]+)*")
_MEETING = re.compile(r"^S/PV\.\d+$")
_MEMBER_SPLIT = re.compile(r"[\n,;&]")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_LAST_UPDATED = re.compile(r"last\s+updated?(?:\s+on)?\s*:?\s*(.{0,40})", re.IGNORECASE)
_PRELIMINARY = re.compile(r"preliminary\s+question", re.IGNORECASE)
_PART_OF_DRAFT = re.compile(
    r"\b(?:parts?\s+of\s+(?:the\s+)?draft|separate\s+vote|operative\s+paragraph|paragraphs?\s+\d)",
    re.IGNORECASE,
)
_UNDOCS_PATH = re.compile(r"^https?://(?:www\.)?undocs\.org/(?:[a-z]{2}/)?", re.IGNORECASE)

# Flag texts: each starts with a fixed phrase so flags can be counted by kind.
FLAG_KINDS: list[str] = []


def _kind(text: str) -> str:
    FLAG_KINDS.append(text)
    return text


FLAG_PV_IN_DRAFT = _kind("draft column holds a meeting record, not a draft symbol")
FLAG_SEVERAL_SYMBOLS = _kind(
    "draft column holds several document symbols; the first draft symbol is used"
)
FLAG_DRAFT_WORDS = _kind("draft column adds words to the symbol")
FLAG_NO_DRAFT = _kind("draft column holds no document symbol")
FLAG_PV_MISMATCH = _kind("meeting record in the draft column differs from the written record")
FLAG_RECORD_DOCUMENTS = _kind(
    "written record column holds documents, not a meeting record (vote by written procedure)"
)
FLAG_NO_RECORD = _kind("written record column holds no document symbol")
FLAG_SEVERAL_RECORDS = _kind(
    "written record column holds several meeting records; the first is used"
)
FLAG_LINK_MISMATCH = _kind("a link points to a different document than its text")
FLAG_PRELIMINARY = _kind(
    "agenda text marks this row as a 'preliminary question' "
    "(a vote on whether a matter is procedural), not a vote on a whole draft"
)
FLAG_PART = _kind("agenda text marks this row as a vote on part of a draft, not on a whole draft")
FLAG_DATE_RANGE = _kind("date is a range of days; the first day is used")
FLAG_TWO_DIGIT_YEAR = _kind("year written with two digits")
FLAG_ORDER = _kind("out of the page's reverse chronological order")
FLAG_USSR_LATE = _kind(
    "names the USSR after the Russian Federation took the seat (24 December 1991)"
)
FLAG_RUSSIA_EARLY = _kind("names the Russian Federation before it took the seat (24 December 1991)")
FLAG_MEMBER_TWICE = _kind("names the same member twice")
FLAG_SAME_DRAFT = _kind("same draft symbol as another row")


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """Read the Veto List page and return one vetoed DraftRecord per table row."""
    file = name or ("<bytes>" if isinstance(source, bytes) else str(source))
    root = lxml.html.document_fromstring(read_html_table_page(source, file))
    _, rows = _find_table(root, file)
    records = [_parse_row(row, number, file) for number, row in enumerate(rows, start=1)]
    check_no_copied_rows(records, file)
    records = _cross_row_flags(records)
    version, warnings = _version(root, records)
    warnings.extend(_flag_summary(records))
    return ParsedSource(
        source=Source.DHL_VETO,
        version=version,
        location=source_location(source, name),
        records=tuple(records),
        warnings=tuple(warnings),
    )


def member_code(name: str) -> str | None:
    """The state code for a permanent member's name as the page writes it."""
    return MEMBER_CODES.get(_collapse(name).lower().replace(".", ""))


def parse_date(text: str) -> tuple[date, date, list[str]]:
    """``"14-15 December 2001"`` -> (first day, last day, flags); ValueError if unreadable."""
    match = _DATE.match(_collapse(text))
    if not match:
        raise ValueError(f"unreadable date {text.strip()!r}")
    first, last, month_name, year_text = match.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        raise ValueError(f"unknown month {month_name!r} in date {text.strip()!r}")
    flags = []
    year = int(year_text)
    if len(year_text) == 2:
        # The list starts in 1946, so 46-99 can only be the 1900s.
        year += 1900 if year >= 46 else 2000
        flags.append(f"{FLAG_TWO_DIGIT_YEAR} ({text.strip()!r}); read as {year}")
    start = date(year, month, int(first))
    end = date(year, month, int(last)) if last else start
    if end < start:
        raise ValueError(f"date range runs backwards in {text.strip()!r}")
    if last:
        flags.append(f"{FLAG_DATE_RANGE} ({text.strip()!r})")
    return start, end, flags


def _collapse(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _cell_text(cell: HtmlElement, br: str = " ") -> str:
    """The cell's text with <br> as ``br`` (a line break keeps member names apart)."""
    parts: list[str] = []

    def walk(element: HtmlElement) -> None:
        if not isinstance(element.tag, str):
            return  # a comment: its text is not shown (its tail is added by the caller)
        if element.tag == "br":
            parts.append(br)
        elif element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    if br == "\n":
        return "\n".join(_collapse(line) for line in "".join(parts).split("\n"))
    return _collapse("".join(parts))


def _find_table(root: HtmlElement, file: str) -> tuple[HtmlElement, list[HtmlElement]]:
    """The header row and the data rows under it; SourceError if the layout changed."""
    for row in root.iter("tr"):
        cells = [_cell_text(cell).lower() for cell in row if cell.tag in ("td", "th")]
        if not cells or cells[0] != "date":
            continue
        if tuple(cells) != EXPECTED_HEADER:
            raise SourceError(
                file,
                f"line {row.sourceline}",
                "the table header changed: expected "
                f"{' / '.join(EXPECTED_HEADER)!r}, found {' / '.join(cells)!r}",
            )
        table = next(row.iterancestors("table"), None)
        rows = list(table.iter("tr")) if table is not None else [row]
        return row, rows[rows.index(row) + 1 :]
    raise SourceError(
        file,
        "",
        "no table header 'Date / Draft / Written Record / Agenda Item / Permanent Member "
        "Casting Negative Vote' was found; the page layout may have changed",
    )


def _parse_row(row: HtmlElement, number: int, file: str) -> DraftRecord:
    where = f"table row {number} (line {row.sourceline})"
    cells = [cell for cell in row if cell.tag in ("td", "th")]
    if len(cells) != 5:
        raise SourceError(file, where, f"expected 5 cells, found {len(cells)}")
    date_cell, draft_cell, record_cell, agenda_cell, member_cell = cells
    flags: list[str] = []
    extra: dict = {"line": row.sourceline}

    start = _row_date(date_cell, file, where, flags, extra)

    draft_symbol, url = _draft(draft_cell, flags, extra)
    meeting_symbol = _record(record_cell, flags, extra)
    if draft_symbol.startswith("S/PV.") and meeting_symbol and draft_symbol != meeting_symbol:
        flags.append(f"{FLAG_PV_MISMATCH}: {draft_symbol} and {meeting_symbol}")

    agenda = _cell_text(agenda_cell)
    flags += _agenda_flags(agenda)

    vetoed_by = _members(member_cell, start, file, where, flags, extra)
    return DraftRecord(
        source=Source.DHL_VETO,
        location=f"table row {number}",
        date=start,
        draft_symbol=draft_symbol,
        meeting_symbol=meeting_symbol,
        agenda=agenda,
        outcome=Outcome.VETOED,
        vetoed_by=vetoed_by,
        url=url,
        flags=tuple(flags),
        extra=extra,
    )


def _row_date(cell: HtmlElement, file: str, where: str, flags: list[str], extra: dict) -> date:
    """The vote's day (the first of a range), kept as written too."""
    date_text = _cell_text(cell)
    try:
        start, end, date_flags = parse_date(date_text)
    except ValueError as error:
        raise SourceError(file, where, str(error)) from error
    check_council_date(start, file, where)
    flags += date_flags
    extra["date_as_written"] = date_text
    if end != start:
        extra["date_end"] = end
    return start


def _agenda_flags(agenda: str) -> list[str]:
    """Rows that are not a vote on a whole draft say so in the agenda text."""
    flags = [FLAG_PRELIMINARY] if _PRELIMINARY.search(agenda) else []
    return flags + ([FLAG_PART] if _PART_OF_DRAFT.search(agenda) else [])


def _links(cell: HtmlElement) -> list[tuple[str, str]]:
    """(text, href) of each link in the cell."""
    return [(_collapse(a.text_content()), (a.get("href") or "").strip()) for a in cell.iter("a")]


def _check_link(symbol: str, href: str, flags: list[str]) -> None:
    # undocs.org addresses may add a suffix such as "(OR)" or "ANDCORR.1", but
    # they must start with the symbol itself.
    target = _UNDOCS_PATH.sub("", href)
    if not target or target == href:
        return
    if not re.match(re.escape(symbol) + r"(?![0-9/])", target, re.IGNORECASE):
        flags.append(f"{FLAG_LINK_MISMATCH}: {symbol} links to {href}")


def _draft(cell: HtmlElement, flags: list[str], extra: dict) -> tuple[str, str]:
    """The draft symbol and its link, flagging meeting records and extra symbols."""
    text = _cell_text(cell)
    symbols = [normalise_symbol(s) for s in _SYMBOL.findall(text)]
    if not symbols:
        extra["draft_cell"] = text
        flags.append(f"{FLAG_NO_DRAFT}: {text!r}")
        return "", ""
    drafts = [s for s in symbols if not _MEETING.match(s)]
    symbol = drafts[0] if drafts else symbols[0]
    if not drafts:
        flags.append(FLAG_PV_IN_DRAFT)
    _draft_cell_flags(text, symbols, flags, extra)
    return symbol, _draft_link(cell, symbol, flags)


def _draft_cell_flags(text: str, symbols: list[str], flags: list[str], extra: dict) -> None:
    """Several symbols, or words beside the symbol, are flagged and kept as written."""
    if len(symbols) > 1:
        flags.append(f"{FLAG_SEVERAL_SYMBOLS}: {text!r}")
    leftover = _collapse(_SYMBOL.sub(" ", text))
    if leftover and len(symbols) == 1:
        flags.append(f"{FLAG_DRAFT_WORDS}: {text!r}")
    if len(symbols) > 1 or leftover:
        extra["draft_cell"] = text


def _draft_link(cell: HtmlElement, symbol: str, flags: list[str]) -> str:
    """The first link whose text names the draft; checked against its target."""
    for link_text, href in _links(cell):
        if symbol in (normalise_symbol(s) for s in _SYMBOL.findall(link_text)):
            _check_link(symbol, href, flags)
            return href
    return ""


def _record(cell: HtmlElement, flags: list[str], extra: dict) -> str:
    """The meeting record (S/PV.n); other documents go to extra["record_documents"]."""
    text = _cell_text(cell)
    symbols = [normalise_symbol(s) for s in _SYMBOL.findall(text)]
    meetings = [s for s in symbols if _MEETING.match(s)]
    if not symbols:
        extra["record_cell"] = text
        flags.append(f"{FLAG_NO_RECORD}: {text!r}")
    _record_symbols(text, symbols, meetings, flags, extra)
    _record_links(cell, meetings, flags, extra)
    return meetings[0] if meetings else ""


def _record_symbols(text: str, symbols: list, meetings: list, flags: list, extra: dict) -> None:
    """Documents other than meeting records, and several meeting records, are flagged."""
    documents = tuple(s for s in symbols if not _MEETING.match(s))
    if documents:
        extra["record_documents"] = documents
        flags.append(f"{FLAG_RECORD_DOCUMENTS}: {', '.join(documents)}")
    if len(meetings) > 1:
        extra["record_cell"] = text
        flags.append(f"{FLAG_SEVERAL_RECORDS}: {text!r}")


def _record_links(cell: HtmlElement, meetings: list[str], flags: list[str], extra: dict) -> None:
    """Every link is checked against its text; the meeting record's becomes meeting_url."""
    for link_text, href in _links(cell):
        for symbol in (normalise_symbol(s) for s in _SYMBOL.findall(link_text)):
            _check_link(symbol, href, flags)
        if meetings and meetings[0] in link_text:
            extra.setdefault("meeting_url", href)


def _members(
    cell: HtmlElement, when: date, file: str, where: str, flags: list[str], extra: dict
) -> tuple[str, ...]:
    """State codes of the vetoing members, in the page's order."""
    names = _member_names(cell)
    if not names:
        raise SourceError(file, where, "the 'Permanent Member Casting Negative Vote' cell is empty")
    extra["vetoed_by_as_written"] = tuple(names)
    codes: list[str] = []
    for written in names:
        code = member_code(written)
        if code is None:
            raise SourceError(file, where, f"unknown permanent member name {written!r}")
        flags += _seat_holder_flags(code, written, when)
        if code in codes:
            flags.append(f"{FLAG_MEMBER_TWICE}: {written!r}")
            continue
        codes.append(code)
    return tuple(codes)


def _member_names(cell: HtmlElement) -> list[str]:
    names: list[str] = []
    for piece in (_collapse(p) for p in _MEMBER_SPLIT.split(_cell_text(cell, br="\n"))):
        # "and" separates names, except inside "... Great Britain and Northern Ireland".
        if piece and member_code(piece) is None:
            names.extend(n for n in _AND.split(piece) if n)
        elif piece:
            names.append(piece)
    return names


def _seat_holder_flags(code: str, written: str, when: date) -> list[str]:
    """The USSR named after the Russian Federation took its seat, or the reverse."""
    if code == "SUN" and when >= RUSSIAN_SEAT_SUCCESSION:
        return [f"{FLAG_USSR_LATE}: {written!r} on {when.isoformat()}"]
    if code == "RUS" and when < RUSSIAN_SEAT_SUCCESSION:
        return [f"{FLAG_RUSSIA_EARLY}: {written!r} on {when.isoformat()}"]
    return []


def _cross_row_flags(records: list[DraftRecord]) -> list[DraftRecord]:
    """Flags that need the neighbouring rows: date order and repeated draft symbols."""
    rows_by_draft = _rows_by_draft(records)
    result = []
    for index, record in enumerate(records):
        more = _order_flags(records[index - 1] if index else None, record)
        more += _same_draft_flags(record, rows_by_draft)
        result.append(replace(record, flags=(*record.flags, *more)) if more else record)
    return result


def _rows_by_draft(records: list[DraftRecord]) -> dict[str, list[str]]:
    """The rows that name each draft symbol (not a meeting record's)."""
    rows_by_draft: dict[str, list[str]] = {}
    for record in records:
        if record.draft_symbol and not _MEETING.match(record.draft_symbol):
            rows_by_draft.setdefault(record.draft_symbol, []).append(record.location)
    return rows_by_draft


def _same_draft_flags(record: DraftRecord, rows_by_draft: dict[str, list[str]]) -> list[str]:
    """The other rows that name this row's draft."""
    others = [r for r in rows_by_draft.get(record.draft_symbol, []) if r != record.location]
    return [f"{FLAG_SAME_DRAFT}: {', '.join(others)}"] if others else []


def _order_flags(above: DraftRecord | None, record: DraftRecord) -> list[str]:
    """The page runs newest first: a row dated after the row above is out of order."""
    if above is None or not (record.date and above.date) or record.date <= above.date:
        return []
    return [f"{FLAG_ORDER}: dated after the row above ({above.location}, {above.date.isoformat()})"]


def _version(root: HtmlElement, records: list[DraftRecord]) -> tuple[str, list[str]]:
    """The page's 'last updated' text, else the latest date in the table (with a warning)."""
    written = _last_updated(root)
    if written:
        found = re.search(r"\d{1,2}(?:\s*-\s*\d{1,2})?\s+[A-Za-z]+\.?,?\s+\d{4}", written)
        iso = re.search(r"\d{4}-\d{2}-\d{2}", written)
        try:
            if found:
                return parse_date(found.group(0))[0].isoformat(), []
            if iso:
                return date.fromisoformat(iso.group(0)).isoformat(), []
        except ValueError:
            pass
        return written, [f"the page's 'last updated' text {written!r} holds no readable date"]
    dates = [r.date for r in records if r.date]
    if not dates:
        return "", ["the page has no 'last updated' text and no dated rows; version unknown"]
    latest = max(dates).isoformat()
    return latest, [
        f"the page has no 'last updated' text; the version is the latest date in the table, "
        f"{latest}"
    ]


def _last_updated(root: HtmlElement) -> str:
    """The text after 'last updated', in the same text node or the next non-blank one."""
    texts = [_collapse(t) for t in root.itertext()]
    for index, text in enumerate(texts):
        match = _LAST_UPDATED.search(text)
        if match:
            rest = match.group(1).strip()
            following = (t for t in texts[index + 1 :] if t)
            return rest or next(following, "")
    return ""


def flag_kind(flag: str) -> str:
    """The fixed phrase (one of the FLAG_ constants) a flag starts with."""
    return next((kind for kind in FLAG_KINDS if flag.startswith(kind)), flag)


def _flag_summary(records: list[DraftRecord]) -> list[str]:
    counts = Counter(flag_kind(flag) for record in records for flag in record.flags)
    return [f"{count} row(s): {kind}" for kind, count in sorted(counts.items())]
