"""The readers of the reference CSVs beside this module: pure and cached.

They touch no database, so parsers and the name resolver (``votes.names``) can
use them. What each file holds is said in ``votes/reference/__init__.py``;
``votes.reference.load`` writes the rows to the database. Apart from the
package so that load.py reads them without importing the package that
imports it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from votes.seats import SEAT_NAMES

DIRECTORY = Path(__file__).resolve().parent


class ReferenceDataError(ValueError):
    """A reference CSV is malformed or contradicts itself."""


def _covers(start: date | None, end: date | None, on: date) -> bool:
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class StateRow:
    code: str
    name: str
    slug: str
    note: str


@dataclass(frozen=True)
class NameRow:
    code: str
    name: str
    start: date | None
    end: date | None
    note: str

    def covers(self, on: date) -> bool:
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class AliasRow:
    alias: str
    code: str
    start: date | None
    end: date | None
    note: str

    def covers(self, on: date) -> bool:
        return _covers(self.start, self.end, on)


@dataclass(frozen=True)
class PermanentTermRow:
    seat: str
    code: str
    start: date
    end: date | None
    note: str

    def covers(self, on: date) -> bool:
        return _covers(self.start, self.end, on)

    def overlaps_year(self, year: int) -> bool:
        return self.start <= date(year, 12, 31) and (self.end is None or self.end.year >= year)


@dataclass(frozen=True)
class CorrectionRow:
    year: int
    code: str
    reason: str


@dataclass(frozen=True)
class SuccessionRow:
    predecessor: str
    successor: str
    date: date
    note: str


def _read(filename: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """The rows of one CSV with their line numbers, after checking its header."""
    path = DIRECTORY / filename
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ReferenceDataError(
                f"{filename}: header must be {','.join(columns)}, not {reader.fieldnames}"
            )
        rows = []
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise ReferenceDataError(f"{filename}, line {reader.line_num}: wrong column count")
            rows.append((reader.line_num, {k: v.strip() for k, v in row.items()}))
        return rows


def _date(value: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReferenceDataError(f"{where}: {value!r} is not an ISO date") from None


def _span(start: date | None, end: date | None, where: str) -> None:
    if start and end and end < start:
        raise ReferenceDataError(f"{where}: ends ({end}) before it starts ({start})")


def _known(code: str, where: str) -> str:
    if code not in {state.code for state in member_states()}:
        raise ReferenceDataError(f"{where}: {code!r} is not in member_states.csv")
    return code


@cache
def member_states() -> tuple[StateRow, ...]:
    rows = []
    for line, row in _read("member_states.csv", ("code", "name", "slug", "note")):
        if len(row["code"]) != 3 or not row["code"].isupper() or not row["name"]:
            raise ReferenceDataError(f"member_states.csv, line {line}: bad code or name")
        rows.append(StateRow(row["code"], row["name"], row["slug"], row["note"]))
    for column in ("code", "slug"):
        values = [getattr(state, column) for state in rows]
        if len(values) != len(set(values)):
            raise ReferenceDataError(f"member_states.csv: repeated {column}")
    return tuple(rows)


@cache
def state_names() -> tuple[NameRow, ...]:
    rows = []
    for line, row in _read("names.csv", ("code", "name", "start", "end", "note")):
        where = f"names.csv, line {line}"
        start, end = _date(row["start"], where), _date(row["end"], where)
        _span(start, end, where)
        rows.append(NameRow(_known(row["code"], where), row["name"], start, end, row["note"]))
    return tuple(rows)


@cache
def aliases() -> tuple[AliasRow, ...]:
    rows = []
    for line, row in _read("aliases.csv", ("alias", "code", "start", "end", "note")):
        where = f"aliases.csv, line {line}"
        start, end = _date(row["start"], where), _date(row["end"], where)
        _span(start, end, where)
        rows.append(AliasRow(row["alias"], _known(row["code"], where), start, end, row["note"]))
    return tuple(rows)


@cache
def permanent_terms() -> tuple[PermanentTermRow, ...]:
    rows = []
    for line, row in _read("permanent_terms.csv", ("seat", "code", "start", "end", "note")):
        where = f"permanent_terms.csv, line {line}"
        if row["seat"] not in SEAT_NAMES:
            raise ReferenceDataError(f"{where}: {row['seat']!r} is not a permanent seat")
        start, end = _date(row["start"], where), _date(row["end"], where)
        if start is None:
            raise ReferenceDataError(f"{where}: a permanent term needs a start")
        _span(start, end, where)
        rows.append(
            PermanentTermRow(row["seat"], _known(row["code"], where), start, end, row["note"])
        )
    return tuple(rows)


@cache
def membership_corrections() -> tuple[CorrectionRow, ...]:
    rows = []
    for line, row in _read("membership_corrections.csv", ("year", "code", "reason")):
        where = f"membership_corrections.csv, line {line}"
        if not row["year"].isdigit() or not row["reason"]:
            raise ReferenceDataError(f"{where}: needs a year and a reason")
        rows.append(CorrectionRow(int(row["year"]), _known(row["code"], where), row["reason"]))
    return tuple(rows)


@cache
def successions() -> tuple[SuccessionRow, ...]:
    rows = []
    for line, row in _read("successions.csv", ("predecessor", "successor", "date", "note")):
        where = f"successions.csv, line {line}"
        on = _date(row["date"], where)
        if on is None:
            raise ReferenceDataError(f"{where}: needs a date")
        rows.append(
            SuccessionRow(
                _known(row["predecessor"], where), _known(row["successor"], where), on, row["note"]
            )
        )
    return tuple(rows)


def permanent_codes() -> frozenset[str]:
    """Every state that ever held a permanent seat (SUN and RUS, CHN, FRA, GBR, USA)."""
    return frozenset(term.code for term in permanent_terms())
