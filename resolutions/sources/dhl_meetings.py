"""Parser for the Dag Hammarskjöld Library's yearly meetings tables (HTML), 1946 onwards.

Each page ("Meetings conducted by the Security Council in YEAR") is one
hand-written table, one row per meeting: meeting record, date (day and month;
the year is the page's), press release (from 1994), topic and the outcome. The
2020 videoconference page and the 2021 page add recording and letter columns.
One :class:`DraftRecord` is made per *voted* decision in the outcome cell:
adopted resolutions, drafts not adopted, vetoed drafts. Presidential
statements, communiqués, notes, letters and elections are skipped.

``location`` is ``table row N``: N counts the table's rows below the header
from 1; a cell with several decisions adds ``decision k of m``. Peculiarities
are kept as written and described in ``flags``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import lxml.html
from lxml.html import HtmlElement

from resolutions.sources.dhl_outcome_cell import CellDecision, read_outcome_cell
from resolutions.sources.reading import check_total_size, read_html_table_page
from resolutions.sources.records import (
    FIRST_YEAR,
    DraftRecord,
    ParsedSource,
    SourceError,
    check_council_date,
    check_no_copied_rows,
)
from resolutions.sources.tally import (
    COUNT,
    UNANIMOUS,
    WITHOUT_VOTE,
    TallyReading,
    interpret_tally,
)
from votes.choices import Modality, Source

FILE_NAME = re.compile(r"^scact(\d{4})(_covid)?_table_en\.html?$", re.IGNORECASE)

# Header texts (lower case, spaces collapsed) and the role of their column.
COLUMNS = {
    "meeting record": "meeting",
    "date": "date",
    "press release": "press",
    "topic": "topic",
    "recording": "recording",
    "letter with vote procedure / briefings": "procedure_letter",
    "letter with vote outcome": "outcome_letter",
    "security council outcome / vote": "outcome",
}
REQUIRED = ("meeting", "date", "topic", "outcome")

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_DATE = re.compile(r"^(\d{1,2})(?:\s*(?:-|\u2013|/|\+|&|and)\s*(\d{1,2}))?\s+([A-Za-z]+)\.?$")
_MEETING = re.compile(r"S/PV\.\s*(\d+)", re.IGNORECASE)
_PRESS = re.compile(r"\bSC/\d+")
_UPDATED = re.compile(
    r"(?:last\s+)?updated(?:\s+on|\s+as\s+of)?\s*:?\s*"
    r"(\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}|[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_BLANK = {"", "--", "-", "\u2014"}


@dataclass
class _Meeting:
    """The cells a continuation row (rowspan or blank cells) inherits."""

    symbol: str
    text: str
    day: date
    date_text: str
    press: str
    press_text: str


def parse(source: Path, *, years: range | None = None) -> ParsedSource:
    """Parse every ``scactYEAR[_covid]_table_en.html`` in a directory, years ascending."""
    found = _year_pages(Path(source), years)
    records: list[DraftRecord] = []
    warnings: list[str] = []
    versions: list[str] = []
    for year, _covid, path in found:
        parsed = parse_year(path, year=year)
        records += [replace(r, location=f"{path.name}, {r.location}") for r in parsed.records]
        warnings += [f"{path.name}: {w}" for w in parsed.warnings]
        versions.append(parsed.version)
    records, duplicates = _flag_repeated_resolutions(records)
    warnings += duplicates
    if all(v.isdigit() for v in versions):
        version = f"{min(versions)}-{max(versions)}"
    else:
        version = "; ".join(sorted(set(versions)))
    return ParsedSource(
        source=Source.DHL_MEETINGS,
        version=version,
        location=str(source),
        records=tuple(records),
        warnings=tuple(warnings),
    )


def _year_pages(folder: Path, years: range | None) -> list[tuple[int, bool, Path]]:
    """(year, covid page?, path) of each yearly page in the folder, in order."""
    if not folder.is_dir():
        raise SourceError(str(folder), "", "not a folder of scactYEAR_table_en.html pages")
    found = []
    for path in sorted(folder.iterdir()):
        match = FILE_NAME.match(path.name)
        if match and (years is None or int(match.group(1)) in years):
            found.append((int(match.group(1)), bool(match.group(2)), path))
    if not found:
        raise SourceError(str(folder), "", "no scactYEAR_table_en.html files in this directory")
    check_total_size([path for _, _, path in found], str(folder))
    return sorted(found)


def parse_year(source: Path | bytes, *, year: int, name: str | None = None) -> ParsedSource:
    """Parse one year's page. ``name`` names the file in errors (default: its path)."""
    display = name or ("<bytes>" if isinstance(source, bytes) else str(source))
    _check_year(year, display)
    doc = lxml.html.document_fromstring(read_html_table_page(source, display))
    for br in doc.iter("br"):
        br.tail = "\n" + (br.tail or "")
    table, header_row, roles = _find_table(doc, display)
    warnings: list[str] = []
    records: list[DraftRecord] = []
    previous: _Meeting | None = None
    for n, cells in _rows(table, header_row, len(roles), display, warnings):
        cell = dict(zip(roles, cells, strict=True))
        previous = _meeting(cell, year, previous, display, n)
        records += _row_records(cell, previous, year, n, display, warnings)
    check_no_copied_rows(records, display)
    version, said = _version(doc, year)
    return ParsedSource(
        source=Source.DHL_MEETINGS,
        version=version,
        location=display,
        records=tuple(records),
        warnings=(said, *warnings),
    )


def _check_year(year: int, display: str) -> None:
    """The page's year (from its name) lies within the Council's life."""
    if year > date.today().year:
        raise SourceError(display, "", f"the table's year {year} is in the future")
    if year < FIRST_YEAR:
        raise SourceError(display, "", f"the table's year {year} is before the Council first met")


def _row_records(cell, meeting, year, n, display, warnings) -> list[DraftRecord]:
    """One record per voted decision in the row's outcome cell."""
    flags = _row_flags(cell, meeting)
    voted, notes = read_outcome_cell(_text(cell["outcome"]), on=meeting.day)
    warnings += [f"table row {n}: {note}" for note in notes]
    records = []
    for k, decision in enumerate(voted, start=1):
        where = f"table row {n}" + (f", decision {k} of {len(voted)}" if len(voted) > 1 else "")
        records.append(_record(decision, cell, meeting, year, where, flags, display))
    return records


def _find_table(doc: HtmlElement, display: str) -> tuple[HtmlElement, HtmlElement, list[str]]:
    """The table whose header row names the expected columns, and the column roles."""
    for table in doc.iter("table"):
        for tr in table.iter("tr"):
            heads = [" ".join(_text(c).lower().split()) for c in tr.xpath("./th|./td")]
            if "meeting record" in heads and "date" in heads:
                return table, tr, _roles(heads, display)
    raise SourceError(
        display, "", "no table with the expected columns (Meeting Record, Date, Topic, Outcome)"
    )


def _roles(heads: list[str], display: str) -> list[str]:
    unknown = [h for h in heads if h not in COLUMNS]
    if unknown:
        raise SourceError(display, "header row", f"unknown column(s): {unknown}")
    roles = [COLUMNS[h] for h in heads]
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        raise SourceError(display, "header row", f"no column for: {', '.join(missing)}")
    return roles


def _rows(table, header_row, width: int, display: str, warnings: list[str]):
    """Yield (row number, cells) with rowspans filled in; odd rows are checked here."""
    rows = table.xpath(".//tr")
    carry: dict[int, list] = {}  # column -> [cell, rows still to cover]
    for n, tr in enumerate(rows[rows.index(header_row) + 1 :], start=1):
        cells = tr.xpath("./td|./th")
        if (not cells and not carry) or _is_note_row(cells, n, warnings):
            continue
        given = iter(cells)
        grid = [_next_cell(col, carry, given) for col in range(width)]
        extra = [_text(c) for c in given]
        _check_row(grid, extra, width, display, n, warnings)
        if any(c is not None for c in grid):
            yield n, grid


def _is_note_row(cells: list, n: int, warnings: list[str]) -> bool:
    """One cell across the table is a note to readers, not a meeting."""
    if len(cells) == 1 and int(cells[0].get("colspan") or 1) > 1:
        warnings.append(f"table row {n}: a note across the table, skipped: {_text(cells[0])!r}")
        return True
    return False


def _next_cell(col: int, carry: dict[int, list], given):
    """The cell of column ``col``: one spanning down from above, else the row's next cell."""
    if col in carry:
        cell = carry[col][0]
        carry[col][1] -= 1
        if carry[col][1] == 0:
            del carry[col]
        return cell
    cell = next(given, None)
    if cell is not None and int(cell.get("rowspan") or 1) > 1:
        carry[col] = [cell, int(cell.get("rowspan")) - 1]
    return cell


def _check_row(grid, extra, width, display, n, warnings) -> None:
    """Tolerate only a missing outcome cell or empty trailing cells; anything else is an error."""
    missing = [i for i, c in enumerate(grid) if c is None]
    where = f"table row {n}"
    if missing and missing != [width - 1]:
        given = width - len(missing)
        raise SourceError(display, where, f"{given} cells where the header has {width} columns")
    if missing:
        warnings.append(f"{where}: no outcome cell; read as no decision")
    if any(t.strip() not in _BLANK for t in extra):
        raise SourceError(
            display, where, f"{width + len(extra)} cells where the header has {width}"
        )
    if extra:
        warnings.append(f"{where}: {len(extra)} extra empty cell(s) after the outcome, ignored")


def _meeting(cell: dict, year: int, previous: _Meeting | None, display: str, n: int) -> _Meeting:
    """Read meeting, date and press release, inheriting blank cells from the row above."""
    meeting_text = " ".join(_text(cell["meeting"]).split())
    date_text = " ".join(_text(cell["date"]).split())
    press_text = " ".join(_text(cell["press"]).split()) if "press" in cell else ""
    if not meeting_text and not date_text:
        if previous is None:
            raise SourceError(display, f"table row {n}", "no meeting and no date, and no row above")
        return previous
    day = _day(date_text, year, display, f"table row {n}")
    numbers = list(dict.fromkeys(_MEETING.findall(meeting_text)))
    press = _PRESS.search(press_text)
    return _Meeting(
        symbol=f"S/PV.{numbers[0]}" if numbers else "",
        text=meeting_text,
        day=day,
        date_text=date_text,
        press=press.group(0) if press else "",
        press_text=press_text,
    )


def _day(date_text: str, year: int, display: str, where: str) -> date:
    """ "14 October" (or "14-15 October", the first day) in the page's year."""
    match = _DATE.match(date_text)
    month = MONTHS.get(match.group(3).lower()) if match else None
    if not match or not month:
        raise SourceError(display, where, f"cannot read the date {date_text!r}")
    try:
        day = date(year, month, int(match.group(1)))
    except ValueError as error:
        raise SourceError(display, where, f"impossible date {date_text!r}") from error
    return check_council_date(day, display, where)


def _row_flags(cell: dict, meeting: _Meeting) -> list[str]:
    """Peculiarities of the meeting cells, shared by every decision in the row."""
    flags = []
    numbers = list(dict.fromkeys(_MEETING.findall(meeting.text)))
    if not numbers:
        flags.append(f"no meeting record (the table gives {meeting.text or 'nothing'!r})")
    elif len(numbers) > 1:
        flags.append(f"several meeting records in one cell ({meeting.text}); the first is used")
    match = _DATE.match(meeting.date_text)
    if match and match.group(2):
        flags.append(f"the date is given as {meeting.date_text!r}; the first day is used")
    return flags


def _record(
    d: CellDecision, cell, meeting: _Meeting, year, where, row_flags, display
) -> DraftRecord:
    """One DraftRecord for one voted decision."""
    reading = _read_tally(d, meeting.day)
    flags = [*row_flags, *d.flags, *_tally_flags(d, reading)]
    if d.resolution_year and d.resolution_year != year:
        flags.append(f"resolution year {d.resolution_year} differs from the table's year {year}")
    return DraftRecord(
        source=Source.DHL_MEETINGS,
        location=where,
        date=meeting.day,
        draft_symbol=d.draft_symbol,
        resolution_number=d.resolution_number,
        resolution_year=d.resolution_year,
        meeting_symbol=meeting.symbol,
        press_release=meeting.press,
        agenda=_topic(cell["topic"]),
        modality=_MODALITY_OF_TALLY.get(reading.kind, "") if reading is not None else "",
        **_recorded_totals(reading),
        outcome=d.outcome,
        vetoed_by=d.vetoed_by,
        tally_text=d.tally_text,
        flags=tuple(flags),
        extra=_extra(d, cell, meeting, reading, display),
    )


def _recorded_totals(reading: TallyReading | None) -> dict:
    """The totals as recorded, all None unless the tally could be read as a count."""
    names = ("recorded_yes", "recorded_no", "recorded_abstain", "recorded_non_voting")
    if reading is None or not reading.usable:
        return dict.fromkeys(names)
    totals = (reading.yes, reading.no, reading.abstain, reading.non_voting)
    return dict(zip(names, totals, strict=True))


_MODALITY_OF_TALLY = {WITHOUT_VOTE: Modality.WITHOUT_VOTE, COUNT: Modality.RECORDED_VOTE}


def _read_tally(d: CellDecision, on: date) -> TallyReading | None:
    if not d.tally_text:
        return None
    return interpret_tally(d.tally_text, outcome=d.outcome, vetoers=len(d.vetoed_by), on=on)


def _tally_flags(d: CellDecision, reading: TallyReading | None) -> list[str]:
    """What a reader of the totals must know about how the tally was read."""
    if reading is None:
        return ["no tally given"]
    if reading.ambiguous:
        return [
            f"tally {d.tally_text!r} is ambiguous: {reading.reason}; the order is taken "
            "from another source that agrees, else read as yes-no-abstain"
        ]
    if reading.inconsistent:
        return [
            f"tally {d.tally_text!r} is inconsistent: {reading.reason}; neither the tally "
            "nor this row's outcome is relied on"
        ]
    if reading.kind == UNANIMOUS:
        return [f"the table says {d.tally_text!r} without numbers; totals unknown"]
    if reading.kind not in (COUNT, WITHOUT_VOTE):
        return [f"the table says {d.tally_text!r}; modality and totals left unknown"]
    return []


def _extra(d: CellDecision, cell, meeting: _Meeting, reading, display: str) -> dict:
    """The row as written, kept beside the record."""
    extra = {
        "file": display,
        "line": cell["outcome"].sourceline if cell["outcome"] is not None else None,
        "meeting_text": meeting.text,
        "date_text": meeting.date_text,
        "press_release_text": meeting.press_text,
        "outcome_text": d.text,
        "tally_reading": reading.as_dict() if reading is not None else None,
        "closed": bool(re.search(r"closed|privada", meeting.text, re.IGNORECASE)),
        **d.extra,
    }
    for role in ("procedure_letter", "outcome_letter"):
        if role in cell:
            extra[role] = " ".join(_text(cell[role]).split())
    return extra


def _flag_repeated_resolutions(records: list[DraftRecord]) -> tuple[list[DraftRecord], list[str]]:
    """A resolution listed in two rows (or two pages) is flagged on each, not dropped."""
    repeated = _places_of_repeated_resolutions(records)
    out = []
    for r in records:
        places = repeated.get((r.resolution_number, r.resolution_year))
        if places:
            others = "; ".join(p for p in places if p != r.location)
            r = replace(r, flags=(*r.flags, f"the same resolution is also listed at {others}"))
        out.append(r)
    warnings = [
        f"S/RES/{num} ({yr}) is listed {len(places)} times: {'; '.join(places)}"
        for (num, yr), places in sorted(repeated.items())
    ]
    return out, warnings


def _places_of_repeated_resolutions(records: list[DraftRecord]) -> dict[tuple, list[str]]:
    where: dict[tuple, list[str]] = {}
    for r in records:
        if r.resolution_number is not None:
            where.setdefault((r.resolution_number, r.resolution_year), []).append(r.location)
    return {key: places for key, places in where.items() if len(places) > 1}


def _version(doc: HtmlElement, year: int) -> tuple[str, str]:
    """The page's "last updated" date if it gives one, else the table's year."""
    match = _UPDATED.search(" ".join(doc.text_content().split()))
    if match:
        return match.group(1), f"version {match.group(1)!r} is the page's 'last updated' date"
    return str(year), f"no 'last updated' date on the page; version is the table's year {year}"


def _text(element: HtmlElement | None) -> str:
    if element is None:
        return ""
    return element.text_content().replace("\xa0", " ")


def _topic(element: HtmlElement | None) -> str:
    """The topic cell. A blank line (two breaks) separates agenda items: joined with "; "."""
    items = re.split(r"\n\s*\n", _text(element))
    return "; ".join(" ".join(item.split()) for item in items if item.strip())
