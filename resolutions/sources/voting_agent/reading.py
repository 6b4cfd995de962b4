"""Reading the Voting-Agent file, CSV or .xlsx, into one VoteGroup per vote ID."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

try:  # optional (the dev extra): only the .xlsx needs it, the CSV does not
    import openpyxl
except ImportError:
    openpyxl = None

from resolutions.sources.records import SourceError, utf8_text
from resolutions.sources.voting_agent.cells import read_cells
from resolutions.sources.voting_agent.group import Member, VoteGroup
from votes.names import NameResolver

COLUMNS = (
    "Year",
    "Date",
    "Resolution",
    "Meeting",
    "Draft",
    "Agenda item",
    "Category",
    "Region",
    "Submitted by",
    "Outcome results",
    "Vote",
    "Member State",
    "ID",
    "Membership_Status",
    "Topic",
)
DERIVED_DATE = "date_iso"  # added by our CSV conversion: the Excel serial as a date
PER_MEMBER = ("Vote", "Member State", "Membership_Status")
SHARED = tuple(c for c in COLUMNS if c not in PER_MEMBER)
POSITIONS = {"yes": "Y", "no": "N", "abstain": "A"}

EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, as the 1900 date system counts


def _check_header(header: list[str], file: str) -> dict[str, int]:
    # The spreadsheet's own header reads "Date," (a stray comma); the CSV's "Date".
    names = [h.strip().rstrip(",") for h in header]
    problems = _header_problems(names)
    if problems:
        raise SourceError(file, "header", "not the Voting-Agent layout: " + "; ".join(problems))
    return {n: i for i, n in enumerate(names) if n}


def _header_problems(names: list[str]) -> list[str]:
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n and n not in COLUMNS and n != DERIVED_DATE]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}")
    return problems


def csv_rows(data: bytes, file: str) -> list[tuple[int, dict[str, str], date]]:
    text = utf8_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise SourceError(file, "", "the file is empty")
    index = _check_header(header, file)
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise SourceError(file, f"line {line}", f"{len(values)} cells, not {len(header)}")
        cells = {name: values[i] for name, i in index.items()}
        rows.append((line, cells, _csv_date(cells, file, line)))
    return rows


def _serial_date(text: str, file: str, where: str) -> date:
    try:
        serial = float(text)
    except ValueError:
        raise SourceError(file, where, f"the Date cell {text!r} is not an Excel date") from None
    if serial != int(serial) or serial < 1:
        raise SourceError(file, where, f"the Date cell {text!r} is not a whole day")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def _csv_date(cells: dict[str, str], file: str, line: int) -> date:
    where = f"line {line}"
    serial = _serial_date(cells["Date"], file, where)
    if DERIVED_DATE in cells:
        try:
            derived = date.fromisoformat(cells[DERIVED_DATE].strip())
        except ValueError:
            message = f"unreadable {DERIVED_DATE} {cells[DERIVED_DATE]!r}"
            raise SourceError(file, where, message) from None
        if derived != serial:
            raise SourceError(
                file, where, f"{DERIVED_DATE} {derived} is not the Date serial's day {serial}"
            )
    return serial


def xlsx_rows(data: bytes, file: str) -> tuple[list[tuple[int, dict[str, str], date]], int]:
    book = _workbook(data, file)
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_cell_text(v) for v in next(values, ())]
    index = _check_header(header, file)
    rows, skipped = [], 0
    for number, row in enumerate(values, start=2):
        if all(v is None or _cell_text(v).strip() == "" for v in row):
            skipped += 1
            continue
        cells = {name: _cell_text(row[i] if i < len(row) else None) for name, i in index.items()}
        raw = row[index["Date"]]
        if isinstance(raw, datetime):
            day = raw.date()
        else:
            day = _serial_date(cells["Date"], file, f"sheet row {number}")
        rows.append((number, cells, day))
    book.close()
    return rows, skipped


def _workbook(data: bytes, file: str):
    if openpyxl is None:
        raise SourceError(
            file, "", "reading the .xlsx needs openpyxl, which is not installed; read the CSV"
        )
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken archive
        raise SourceError(file, "", f"not a readable .xlsx: {exc}") from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value)


def groups_of(rows, file: str, resolver: NameResolver) -> list[VoteGroup]:
    """One VoteGroup per run of rows sharing an ID; an ID may not come back later."""
    groups: list[VoteGroup] = []
    seen: set[int] = set()
    for line, cells, day in rows:
        try:
            vote_id = int(cells["ID"].strip())
        except ValueError:
            message = f"ID {cells['ID']!r} is not a number"
            raise SourceError(file, f"line {line}", message) from None
        if groups and groups[-1].id == vote_id:
            group = groups[-1]
            _one_more_row(group, cells, line)
        else:
            if vote_id in seen:
                raise SourceError(file, f"line {line}", f"ID {vote_id} comes back after others")
            seen.add(vote_id)
            group = VoteGroup(vote_id, (line, line), day, {c: cells[c] for c in SHARED}, members=[])
            groups.append(group)
            read_cells(group, file)
        group.members.append(_member(cells, line, file, resolver, group))
    return groups


def _one_more_row(group: VoteGroup, cells: dict, line: int) -> None:
    """A further row of the same vote: its shared cells must agree with the first's."""
    group.lines = (group.lines[0], line)
    differ = [c for c in SHARED if cells[c] != group.cells[c]]
    if differ and not group.extra.get("rows_disagree"):
        group.extra["rows_disagree"] = True
        group.fault("rows_disagree", f"line {line} differs in {', '.join(differ)}")


def _member(cells, line: int, file: str, resolver: NameResolver, group: VoteGroup) -> Member:
    position = POSITIONS.get(cells["Vote"].strip().lower())
    if position is None:
        raise SourceError(file, f"line {line}", f"unknown vote {cells['Vote']!r}")
    name = " ".join(cells["Member State"].split())
    if not name:
        raise SourceError(file, f"line {line}", "no member state")
    code = resolver.resolve(name) or ""
    if not code:
        group.fault("unknown_member", f"{name!r} (line {line})")
    return Member(name, code, position, line)
