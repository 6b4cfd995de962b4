"""Parser for UN DPPA's dataset of Security Council vetoes (official), DPPA-SCVETOES.

Source: the UN Peace and Security Data Hub, ``https://api.psdata.un.org/public/data/
DPPA-SCVETOES/CSV``: one row per vetoed draft since 1946, kept up to date.

**The layout is taken from public code that reads this dataset, not checked against the
real file**: no copy of it is stored, so this parser has never read one. That code uses
the columns of :data:`COLUMNS`, in that order, reads ``date`` and ``last_update`` as ISO
dates and ``record`` as a bare meeting number, and takes a member column holding ``1``
as that member's veto. How the member columns mark a veto is a guess: ``1`` (or
``1.0``), ``x``, ``yes``/``y``/``true``, ``veto``/``vetoed`` or the member's own name
mark one; a blank, ``0``, ``no``/``n``/``false`` marks none; any other value is refused.
A file whose header differs in any way is refused with a message naming the difference,
so a change of layout is seen, not guessed through.

``russian_federation_ussr`` is the Russian seat: the USSR (SUN) before 24 December 1991,
the Russian Federation (RUS) from then, as the other parsers give state codes.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date, datetime
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

COLUMNS = (
    "id",
    "date",
    "draft_res#",
    "record",
    "agenda",
    "short_agenda",
    "#_of_pms",
    "url_for_res#",
    "china",
    "russian_federation_ussr",
    "france",
    "united_states",
    "united_kingdom",
    "last_update",
)
# Member columns and their state codes; the Russian seat's code depends on the date.
MEMBER_COLUMNS = {
    "china": "CHN",
    "russian_federation_ussr": "RUS",
    "france": "FRA",
    "united_states": "USA",
    "united_kingdom": "GBR",
}
RUSSIAN_SEAT_SUCCESSION = date(1991, 12, 24)

VETO_MARKS = frozenset({"1", "1.0", "x", "yes", "y", "true", "veto", "vetoed"})
NO_MARKS = frozenset({"", "0", "0.0", "no", "n", "false"})
# A member column may also hold the member's own name.
OWN_NAMES = {
    "china": {"china", "people's republic of china", "republic of china"},
    "russian_federation_ussr": {"russian federation", "russia", "ussr", "soviet union"},
    "france": {"france"},
    "united_states": {"united states", "united states of america", "usa", "us"},
    "united_kingdom": {
        "united kingdom",
        "uk",
        "united kingdom of great britain and northern ireland",
    },
}

FAULTS = {
    "pms_count": "#_of_pms differs from the number of members marked",
    "no_member": "no member column marks a veto",
    "several_drafts": "draft_res# holds several symbols; the first is used",
    "no_draft": "draft_res# holds no document symbol",
    "record_documents": "record holds documents, not a meeting number (a vote by letter)",
    "repeated_draft": "the same draft symbol as another row",
}

_SYMBOL = re.compile(r"S/[0-9A-Za-z.]+(?:/[0-9A-Za-z.]+)*")


def check_header(header: list[str], file: str) -> None:
    """SourceError naming how ``header`` differs from :data:`COLUMNS`, if it does."""
    found = tuple(h.strip() for h in header)
    if found == COLUMNS:
        return
    raise SourceError(
        file,
        "header",
        "not the DPPA-SCVETOES layout this parser knows (taken from public code): "
        + "; ".join(_header_problems(found)),
    )


def _header_problems(found: tuple[str, ...]) -> list[str]:
    missing = [c for c in COLUMNS if c not in found]
    unexpected = [c for c in found if c not in COLUMNS]
    parts = []
    if missing:
        parts.append(f"missing {', '.join(missing)}")
    if unexpected:
        parts.append(f"unexpected {', '.join(repr(c) for c in unexpected)}")
    return parts or [_misplaced(found)]


def _misplaced(found: tuple[str, ...]) -> str:
    """Every column there and none unknown: one is repeated, or out of place."""
    repeated = [c for c, n in Counter(found).items() if n > 1]
    if repeated:
        return f"repeated {', '.join(repeated)}"
    first = next(i for i, (a, b) in enumerate(zip(found, COLUMNS, strict=True)) if a != b)
    return f"column {first + 1} is {found[first]!r}, expected {COLUMNS[first]!r}"


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """The CSV -> one vetoed DraftRecord per row; the version is the newest last_update."""
    data, file = source_bytes(source, name)
    text = utf8_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SourceError(file, "", "the file is empty")
    check_header(header, file)
    records = _records(reader, file)
    if not records:
        raise SourceError(file, "", "the file holds no vetoes")
    records = _repeats(records)
    updates = [r.extra["last_update"] for r in records if r.extra["last_update"]]
    warnings = fault_summary(records, FAULTS)
    return ParsedSource(
        source=Source.DPPA_VETOES.value,
        version=max(updates).isoformat() if updates else "",
        location=source_location(source, name),
        records=tuple(records),
        warnings=tuple(warnings if updates else ["no last_update: version unknown", *warnings]),
    )


def _records(reader, file: str) -> list[DraftRecord]:
    """One record per row after the header; blank rows skipped, ids unique."""
    records, ids, start = [], {}, reader.line_num + 1
    for values in reader:
        where = f"line {start}"
        start = reader.line_num + 1
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(COLUMNS):
            raise SourceError(file, where, f"{len(values)} cells, not {len(COLUMNS)}")
        cells = dict(zip(COLUMNS, (v.strip() for v in values), strict=True))
        record = _record(cells, where, file)
        if record.extra["id"] in ids:
            other = ids[record.extra["id"]]
            raise SourceError(file, where, f"id {record.extra['id']} is also at {other}")
        ids[record.extra["id"]] = where
        records.append(record)
    return records


def _iso(text: str, column: str, file: str, where: str) -> date | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1)).date()
    except ValueError:
        raise SourceError(file, where, f"{column} {text!r} is not an ISO date") from None


def _marked(cells: dict, voted: date, file: str, where: str) -> tuple[str, ...]:
    codes = []
    for column in MEMBER_COLUMNS:  # in the file's order
        value = cells[column].casefold()
        if value in NO_MARKS:
            continue
        if value not in VETO_MARKS and value not in OWN_NAMES[column]:
            raise SourceError(
                file,
                where,
                f"{column} holds {cells[column]!r}: neither a veto mark "
                f"({', '.join(sorted(VETO_MARKS))}, or the member's name) nor a blank/0",
            )
        code = MEMBER_COLUMNS[column]
        codes.append("SUN" if code == "RUS" and voted < RUSSIAN_SEAT_SUCCESSION else code)
    return tuple(codes)


def _id_and_date(cells: dict, where: str, file: str) -> tuple[int, date]:
    """The row's id and date, which every row must have."""
    try:
        row_id = int(cells["id"])
    except ValueError:
        raise SourceError(file, where, f"id {cells['id']!r} is not a number") from None
    voted = _iso(cells["date"], "date", file, where)
    if voted is None:
        raise SourceError(file, where, "no date")
    return row_id, voted


def _record(cells: dict, where: str, file: str) -> DraftRecord:
    row_id, voted = _id_and_date(cells, where, file)
    faults: list[tuple[str, str]] = []
    extra: dict = {"id": row_id, "faults": faults, "short_agenda": cells["short_agenda"]}
    extra["last_update"] = _iso(cells["last_update"], "last_update", file, where)

    def flag(kind: str, detail: str = "") -> None:
        faults.append((kind, detail))

    vetoed_by = _marked(cells, voted, file, where)
    if not vetoed_by:
        flag("no_member")
    stated = cells["#_of_pms"]
    if stated and (not stated.isdigit() or int(stated) != len(vetoed_by)):
        flag("pms_count", f"{stated!r}, {len(vetoed_by)} marked")
    symbols = [normalise_symbol(s) for s in _SYMBOL.findall(cells["draft_res#"])]
    if not symbols:
        flag("no_draft", repr(cells["draft_res#"]))
    elif len(symbols) > 1:
        flag("several_drafts", repr(cells["draft_res#"]))
    meeting = _meeting(cells["record"], extra, flag)
    return DraftRecord(
        source=Source.DPPA_VETOES.value,
        location=where,
        date=voted,
        draft_symbol=symbols[0] if symbols else "",
        meeting_symbol=meeting,
        agenda=cells["agenda"],
        outcome=Outcome.VETOED.value,
        vetoed_by=vetoed_by,
        url=cells["url_for_res#"],
        flags=fault_flags(faults, FAULTS),
        extra=extra,
    )


def _meeting(record: str, extra: dict, flag) -> str:
    """The meeting record's symbol from the record cell: a number or S/PV.n. Some
    rows give documents instead (a vote by letter): kept in ``extra``, flagged."""
    if record.isdigit():
        return f"S/PV.{int(record)}"
    if re.fullmatch(r"S/PV\.\d+", record):
        return record
    if record:
        extra["record_documents"] = tuple(normalise_symbol(s) for s in _SYMBOL.findall(record))
        flag("record_documents", repr(record))
    return ""


def _repeats(records: list[DraftRecord]) -> list[DraftRecord]:
    where = Counter(r.draft_symbol for r in records if r.draft_symbol)
    checked = []
    for record in records:
        if record.draft_symbol and where[record.draft_symbol] > 1:
            record.extra["faults"].append(("repeated_draft", record.draft_symbol))
            flag = f"repeated_draft: {FAULTS['repeated_draft']}: {record.draft_symbol}"
            record = replace(record, flags=(*record.flags, flag))
        checked.append(record)
    return checked
