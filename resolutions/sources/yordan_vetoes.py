"""Parser for the Yordán veto list, 1946 to July 2022 (World Politics Data Lab; secondary).

Source: GitHub repository world-politics-datalab/vetoes-un-security-council,
``unsc_vetoes_1946_sept2022.csv`` (MIT licence), scraped from the Library's Veto List
(PROVENANCE.md section 5). One row per vetoed draft: date (M/D/YYYY), draft, meeting
record, agenda item, topic and region, the vetoing members by name (``member_veto1..3``)
and columns derived from those names upstream: a 0/1 column per permanent member, pair
columns (``usa_uk``...) and ``single_veto``/``multiple_vetoes``.

Some records span several physical lines (a quoted cell with a line break); ``location``
is the line a record starts on. The vetoing members are read from the names, given as
state codes (USSR is SUN, Russia RUS); the derived columns are checked against them and
each disagreement is a fault (``extra["faults"]``, as ``(kind, detail)``), summarised by
kind in the warnings. A value a check finds wrong is left out of its field.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    fault_flags,
    fault_summary,
    normalise_symbol,
    source_bytes,
    source_location,
    utf8_text,
)
from votes.choices import Outcome, Source
from votes.names import NameResolver, default_resolver

COLUMNS = (
    "year",
    "date",
    "month",
    "draft",
    "meeting_record",
    "agenda_item",
    "crisis_topic",
    "region",
    "member_veto1",
    "member_veto2",
    "member_veto3",
    "single_veto",
    "multiple_vetoes",
    "China",
    "France",
    "Russia",
    "USSR",
    "USA",
    "UK",
    "russia_china",
    "usa_uk",
    "usa_france",
    "usa_france_uk",
    "france_uk",
)
# The 0/1 column of each permanent member's name, and the members of each pair column.
MEMBER_COLUMNS = {
    "China": "CHN",
    "France": "FRA",
    "Russia": "RUS",
    "USSR": "SUN",
    "USA": "USA",
    "UK": "GBR",
}
PAIR_COLUMNS = {
    "russia_china": {"RUS", "CHN"},
    "usa_uk": {"USA", "GBR"},
    "usa_france": {"USA", "FRA"},
    "usa_france_uk": {"USA", "FRA", "GBR"},
    "france_uk": {"FRA", "GBR"},
}
PERMANENT = {"CHN", "FRA", "GBR", "RUS", "SUN", "USA"}

# The seat passed from the USSR to the Russian Federation on this day (domain.md).
RUSSIAN_SEAT_SUCCESSION = date(1991, 12, 24)

FAULTS = {
    "year_column_disagrees": "the year column is not the date's year",
    "month_column_disagrees": "the month column is not the date's month",
    "meeting_in_draft_column": "the draft column holds a meeting record, not a draft symbol",
    "several_symbols": "the draft column holds several symbols; the first draft is used",
    "no_draft_symbol": "the draft column holds no document symbol",
    "record_documents": "the meeting record column holds documents (a vote by letter)",
    "several_meetings": "the meeting record column holds several meeting records",
    "name_anachronistic": "a member named under a name it did not have that day",
    "unknown_member": "a vetoing member's name is not a permanent member's",
    "member_twice": "the same member named twice",
    "dummies_disagree": "the 0/1 member columns disagree with the names",
    "pair_disagrees": "a pair column disagrees with the names",
    "not_zero_or_one": "a 0/1 column holds another value",
    "counts_disagree": "single_veto/multiple_vetoes disagree with the number of names",
    "out_of_order": "dated before the row above (the file runs oldest first)",
    "repeated_draft": "the same draft symbol as another row",
}

_SYMBOL = re.compile(r"S/[0-9A-Za-z.]+(?:/[0-9A-Za-z.]+)*")
_MEETING = re.compile(r"^S/PV\.\d+$")
_PRELIMINARY = re.compile(r"preliminary\s+question", re.IGNORECASE)


def parse(
    source: Path | bytes, *, name: str | None = None, resolver: NameResolver | None = None
) -> ParsedSource:
    """The CSV -> one vetoed DraftRecord per record, oldest first as in the file."""
    data, file = source_bytes(source, name)
    text = utf8_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise SourceError(
            file, "line 1", f"not the Yordán layout: expected {','.join(COLUMNS)}, found {header}"
        )
    records = _records(reader, file, resolver or default_resolver())
    if not records:
        raise SourceError(file, "", "the file holds no vetoes")
    records = _cross_record_checks(records)
    latest = max(r.date for r in records).isoformat()
    return ParsedSource(
        source=Source.YORDAN_VETOES.value,
        version=latest,
        location=source_location(source, name),
        records=tuple(records),
        warnings=(
            f"the file states no version; the latest date in it, {latest}, is used",
            *fault_summary(records, FAULTS),
        ),
    )


def _records(reader, file: str, resolver: NameResolver) -> list[DraftRecord]:
    """One record per row after the header, each knowing its first and last line."""
    records, start = [], reader.line_num + 1
    for values in reader:
        if len(values) != len(COLUMNS):
            raise SourceError(file, f"line {start}", f"{len(values)} cells, not {len(COLUMNS)}")
        cells = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
        records.append(_record(cells, start, reader.line_num, file, resolver))
        start = reader.line_num + 1
    return records


def _record(cells: dict, first: int, last: int, file: str, resolver) -> DraftRecord:
    where = f"line {first}"
    faults: list[tuple[str, str]] = []
    extra: dict = {"lines": (first, last), "faults": faults, "date_as_written": cells["date"]}
    try:
        month, day, year = (int(part) for part in cells["date"].split("/"))
        voted = date(year, month, day)
    except ValueError:
        raise SourceError(file, where, f"unreadable date {cells['date']!r} (M/D/YYYY)") from None
    if cells["year"] != str(voted.year):
        faults.append(("year_column_disagrees", f"year {cells['year']!r}, date {cells['date']}"))
    if cells["month"] != str(voted.month):
        faults.append(("month_column_disagrees", f"month {cells['month']!r}, date {cells['date']}"))

    draft = _draft(cells["draft"], faults, extra)
    meeting = _meeting(cells["meeting_record"], faults, extra)
    vetoed_by = _vetoers(cells, voted, file, where, resolver, faults, extra)
    _check_derived(cells, vetoed_by, faults)
    agenda = " ".join(cells["agenda_item"].split())
    extra["vote_on"] = "preliminary_question" if _PRELIMINARY.search(agenda) else "draft"
    extra.update(topic=cells["crisis_topic"], region=cells["region"])
    return DraftRecord(
        source=Source.YORDAN_VETOES.value,
        location=where,
        date=voted,
        draft_symbol=draft,
        meeting_symbol=meeting,
        agenda=agenda,
        outcome=Outcome.VETOED.value,
        vetoed_by=vetoed_by,
        flags=fault_flags(faults, FAULTS),
        extra=extra,
    )


def _draft(text: str, faults: list, extra: dict) -> str:
    """The draft symbol; a meeting record standing in for it is kept, as the Library does."""
    cell = " ".join(text.split())
    symbols = [normalise_symbol(s) for s in _SYMBOL.findall(cell)]
    if not symbols:
        faults.append(("no_draft_symbol", repr(cell)))
        extra["draft_cell"] = cell
        return ""
    drafts = [s for s in symbols if not _MEETING.match(s)]
    if not drafts:
        faults.append(("meeting_in_draft_column", repr(cell)))
    if len(symbols) > 1:
        faults.append(("several_symbols", repr(cell)))
        extra["draft_cell"] = cell
    return drafts[0] if drafts else symbols[0]


def _meeting(text: str, faults: list, extra: dict) -> str:
    symbols = [normalise_symbol(s) for s in _SYMBOL.findall(text)]
    meetings = [s for s in symbols if _MEETING.match(s)]
    documents = tuple(s for s in symbols if not _MEETING.match(s))
    if documents:
        extra["record_documents"] = documents
        faults.append(("record_documents", ", ".join(documents)))
    if len(meetings) > 1:
        extra["meeting_records"] = tuple(meetings)
        faults.append(("several_meetings", ", ".join(meetings)))
    return meetings[0] if len(meetings) == 1 else ""


def _vetoers(cells, voted: date, file: str, where: str, resolver, faults, extra) -> tuple:
    names = [cells[f"member_veto{n}"] for n in (1, 2, 3) if cells[f"member_veto{n}"]]
    if not names:
        raise SourceError(file, where, "no vetoing member named")
    extra["vetoed_by_as_written"] = tuple(names)
    codes: list[str] = []
    for written in names:
        code = _permanent_member(written, voted, resolver, faults)
        if code in codes:
            faults.append(("member_twice", repr(written)))
        elif code:
            codes.append(code)
    return tuple(codes)


def _permanent_member(written: str, voted: date, resolver, faults: list) -> str:
    """The permanent member a name stands for ("" if none); a name of the seat's other
    holder (the USSR after 1991, Russia before) is kept and flagged."""
    code = resolver.resolve(written)
    if code not in PERMANENT:
        faults.append(("unknown_member", repr(written)))
        return ""
    before = voted < RUSSIAN_SEAT_SUCCESSION
    if (code == "SUN" and not before) or (code == "RUS" and before):
        faults.append(("name_anachronistic", f"{written!r} on {voted.isoformat()}"))
    return code


def _flag(value: str, column: str, faults: list) -> bool | None:
    if value in ("0", "1"):
        return value == "1"
    faults.append(("not_zero_or_one", f"{column} {value!r}"))
    return None


def _check_derived(cells: dict, vetoed_by: tuple, faults: list) -> None:
    """The upstream columns derived from the names, against the names."""
    marked = {
        code for column, code in MEMBER_COLUMNS.items() if _flag(cells[column], column, faults)
    }
    if marked != set(vetoed_by):
        faults.append(
            (
                "dummies_disagree",
                f"the names give {', '.join(vetoed_by)}; the 0/1 columns mark "
                f"{', '.join(sorted(marked)) or 'none'}",
            )
        )
    _check_pairs(cells, vetoed_by, faults)
    single = _flag(cells["single_veto"], "single_veto", faults)
    multiple = _flag(cells["multiple_vetoes"], "multiple_vetoes", faults)
    if (single, multiple) != (len(vetoed_by) == 1, len(vetoed_by) > 1):
        faults.append(
            (
                "counts_disagree",
                f"{len(vetoed_by)} member(s) named; single_veto {cells['single_veto']!r}, "
                f"multiple_vetoes {cells['multiple_vetoes']!r}",
            )
        )


def _check_pairs(cells: dict, vetoed_by: tuple, faults: list) -> None:
    """Each pair column says whether exactly that pair vetoed."""
    for column, pair in PAIR_COLUMNS.items():
        value = _flag(cells[column], column, faults)
        if value is not None and value != (set(vetoed_by) == pair):
            faults.append(("pair_disagrees", f"{column} {cells[column]!r}"))


def _cross_record_checks(records: list[DraftRecord]) -> list[DraftRecord]:
    seen: dict[str, list[str]] = {}
    for record in records:
        if record.draft_symbol and not _MEETING.match(record.draft_symbol):
            seen.setdefault(record.draft_symbol, []).append(record.location)
    checked = []
    for index, record in enumerate(records):
        more = _faults_across(record, records[index - 1] if index else None, seen)
        if more:
            record.extra["faults"].extend(more)
            flags = fault_flags(more, FAULTS)
            record = replace(record, flags=record.flags + flags)
        checked.append(record)
    return checked


def _faults_across(record: DraftRecord, above: DraftRecord | None, seen: dict) -> list:
    """Out of the file's date order, or the same draft as another record."""
    more = []
    if above is not None and record.date < above.date:
        more.append(("out_of_order", f"after {above.location} ({above.date.isoformat()})"))
    others = [loc for loc in seen.get(record.draft_symbol, ()) if loc != record.location]
    if others:
        more.append(("repeated_draft", f"{record.draft_symbol} also at {', '.join(others)}"))
    return more
