"""UN DPPA "Security Council membership": which states sat on the Council each year.

The CSV has one row per member per calendar year (``id, year,
security_council_member, last_update``), permanent members included, names in
today's UN form with a few historical exceptions ("USSR (Union of Soviet
Socialist Republics)"). Some names are blank in the published files; those are
filled only from ``votes/reference/membership_corrections.csv``, never guessed.

:func:`parse` reads the file; :func:`build_terms` turns its records into
elected terms and reports everything it could not account for.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from resolutions.sources.reading import check_last_line_ends, read_text
from resolutions.sources.records import (
    FIRST_YEAR,
    MembershipRecord,
    ParsedSource,
    SourceError,
    check_council_date,
)
from votes.choices import Source
from votes.names import NameResolver, default_resolver
from votes.outcome import ENLARGEMENT
from votes.reference import rows as reference
from votes.reference.rows import CorrectionRow
from votes.seats import SEAT_NAMES

COLUMNS = ("id", "year", "security_council_member", "last_update")


def _parse_date(value: str, file: str, where: str) -> date | None:
    if not value:
        return None
    try:
        updated = date.fromisoformat(value)
    except ValueError:
        raise SourceError(
            file, where, f"last_update {value!r} is not a date (YYYY-MM-DD)"
        ) from None
    return check_council_date(updated, file, where, "last_update")


def _year(text: str, file: str, where: str) -> int:
    """A membership year: 1946 to next year (members are elected a year ahead)."""
    if not (text.isdigit() and len(text) == 4):
        raise SourceError(file, where, f"year {text!r} is not a year")
    year = int(text)
    if year > date.today().year + 1:
        raise SourceError(file, where, f"year {year} is in the future")
    if year < FIRST_YEAR:
        raise SourceError(file, where, f"year {year} is before the Council first met")
    return year


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """Read a DPPA membership CSV into :class:`MembershipRecord` rows, in file order."""
    file = name or (str(source) if isinstance(source, Path) else "DPPA membership CSV")
    text = read_text(source, file)
    check_last_line_ends(text, file)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(reader.fieldnames or [], file)
    records = _read_rows(reader, file)
    dates = [record.last_update for record in records if record.last_update]
    return ParsedSource(
        source=Source.DPPA,
        version=max(dates).isoformat() if dates else "",
        location=str(source) if isinstance(source, Path) else file,
        records=tuple(records),
        warnings=tuple(_listed_twice(records)),
    )


def _check_header(header: list[str], file: str) -> None:
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise SourceError(file, "line 1", f"missing column(s): {', '.join(missing)}")


def _read_rows(reader: csv.DictReader, file: str) -> list[MembershipRecord]:
    """One record per row; a row id given twice is a repeated row, refused."""
    records, lines_by_id = [], {}
    next_line = 2
    for row in reader:
        line, next_line = next_line, reader.line_num + 1
        row_id = (row["id"] or "?").strip()
        where = f"row id {row_id} (line {line})"
        if None in row or None in row.values():
            raise SourceError(
                file, where, f"the row does not have the header's {len(COLUMNS)} fields"
            )
        if row_id in lines_by_id:
            raise SourceError(
                file, where, f"the row repeats row id {row_id} of line {lines_by_id[row_id]}"
            )
        lines_by_id[row_id] = line
        records.append(_record(row, file, where))
    return records


def _record(row: dict, file: str, where: str) -> MembershipRecord:
    year = _year((row["year"] or "").strip(), file, where)
    member = " ".join((row["security_council_member"] or "").split())
    updated = _parse_date((row["last_update"] or "").strip(), file, where)
    return MembershipRecord(where, year, member, updated)


def _listed_twice(records: list[MembershipRecord]) -> list[str]:
    """One state on two rows of one year: a warning (build_terms counts it once)."""
    warnings, seen = [], {}
    for record in records:
        if not record.name:
            continue
        earlier = seen.setdefault((record.year, record.name.casefold()), record.location)
        if earlier != record.location:
            twice = f"{record.name} is listed twice for {record.year} (also {earlier})"
            warnings.append(f"{record.location}: {twice}")
    return warnings


class Term(NamedTuple):
    code: str
    start: date
    end: date


@dataclass
class TermPlan:
    """Elected terms derived from DPPA records, and all that could not be derived."""

    terms: list[Term] = field(default_factory=list)
    unmapped: list[tuple[str, int, str]] = field(default_factory=list)  # location, year, name
    blank: list[tuple[str, int]] = field(default_factory=list)  # location, year
    corrected: list[tuple[str, CorrectionRow]] = field(default_factory=list)  # location, row
    successions: list[tuple[str, str, date]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _elected_seats(year: int) -> int:
    return 6 if date(year, 12, 31) < ENLARGEMENT else 10


def _merge(years_by_code: dict[str, set[int]]) -> list[Term]:
    """Consecutive years of one state become one term, 1 January to 31 December."""
    terms = []
    for code, years in years_by_code.items():
        ordered = sorted(years)
        first = previous = ordered[0]
        for year in [*ordered[1:], None]:
            if year is not None and year == previous + 1:
                previous = year
                continue
            terms.append(Term(code, date(first, 1, 1), date(previous, 12, 31)))
            if year is not None:
                first = previous = year
    return sorted(terms, key=lambda t: (t.start, t.code))


def _split_successions(terms: list[Term], plan: TermPlan) -> list[Term]:
    """A term straddling a succession (successions.csv) is split between the two states."""
    result = []
    for term in terms:
        for row in reference.successions():
            if term.code == row.successor and term.start < row.date <= term.end:
                result.append(Term(row.predecessor, term.start, row.date - timedelta(days=1)))
                term = Term(row.successor, row.date, term.end)
                plan.successions.append((row.predecessor, row.successor, row.date))
        result.append(term)
    return sorted(result, key=lambda t: (t.start, t.code))


def _check_permanent(year: int, listed: dict[str, str], plan: TermPlan) -> None:
    """Permanent members in the file must be the seats' holders that year, all five."""
    holders = [term for term in reference.permanent_terms() if term.overlaps_year(year)]
    holding = {term.code for term in holders}
    for code, where in listed.items():
        if code not in holding:
            plan.problems.append(f"{where}: {code} is listed for {year} but held no seat then.")
    plan.problems += [
        f"{year}: no holder of the {seat} seat is listed."
        for seat in SEAT_NAMES
        if not _holders_of(seat, holders) & listed.keys()
    ]


def _holders_of(seat: str, terms) -> set[str]:
    return {term.code for term in terms if term.seat == seat}


def build_terms(
    records: Iterable[MembershipRecord],
    resolver: NameResolver | None = None,
    corrections: tuple[CorrectionRow, ...] | None = None,
) -> TermPlan:
    """Elected terms from DPPA records; permanent members are checked, not turned into terms."""
    resolver = resolver or default_resolver()
    corrections = reference.membership_corrections() if corrections is None else corrections
    permanent = reference.permanent_codes()
    plan = TermPlan()
    by_year = _by_year(records)
    plan.problems += _years_missing(by_year)
    years_by_code: dict[str, set[int]] = defaultdict(set)
    for year in sorted(by_year):
        listed = _YearListing(year)
        for record in by_year[year]:
            _list_member(record, listed, resolver, permanent, plan)
        _apply_corrections(listed, [c for c in corrections if c.year == year], plan)
        _check_permanent(year, listed.permanent, plan)
        _check_elected_count(listed, plan)
        for code in listed.elected:
            years_by_code[code].add(year)
    plan.terms = _split_successions(_merge(years_by_code), plan)
    return plan


@dataclass
class _YearListing:
    """What one year's rows name: elected and permanent members, and blank rows."""

    year: int
    elected: dict[str, str] = field(default_factory=dict)  # code -> location
    permanent: dict[str, str] = field(default_factory=dict)
    blanks: list[str] = field(default_factory=list)  # locations


def _by_year(records: Iterable[MembershipRecord]) -> dict[int, list[MembershipRecord]]:
    by_year: dict[int, list[MembershipRecord]] = defaultdict(list)
    for record in records:
        by_year[record.year].append(record)
    return by_year


def _years_missing(by_year: dict) -> list[str]:
    if not by_year:
        return []
    gaps = sorted(set(range(min(by_year), max(by_year) + 1)) - by_year.keys())
    return [f"{year}: the file lists nobody for this year." for year in gaps]


def _list_member(record, listed: _YearListing, resolver, permanent, plan: TermPlan) -> None:
    year = listed.year
    if not record.name:
        plan.blank.append((record.location, year))
        listed.blanks.append(record.location)
        return
    # A name must mean the same state all year, or it is not mapped.
    code = resolver.resolve(record.name, date(year, 1, 1))
    if code is None or code != resolver.resolve(record.name, date(year, 12, 31)):
        plan.unmapped.append((record.location, year, record.name))
        return
    target = listed.permanent if code in permanent else listed.elected
    if code in target:
        plan.problems.append(f"{record.location}: {code} is listed twice for {year}.")
    target.setdefault(code, record.location)


def _apply_corrections(listed: _YearListing, corrections: list, plan: TermPlan) -> None:
    """Fill blank rows from the cited corrections, and only those."""
    year = listed.year
    for row in corrections:
        if row.code in listed.elected:
            if listed.blanks:
                plan.problems.append(
                    f"{year}: the correction to {row.code} is already listed; blanks remain."
                )
            continue
        if not listed.blanks:
            plan.problems.append(f"{year}: a correction names {row.code} but no row is blank.")
            continue
        location = listed.blanks.pop(0)
        listed.elected[row.code] = location
        plan.corrected.append((location, row))


def _check_elected_count(listed: _YearListing, plan: TermPlan) -> None:
    seats = _elected_seats(listed.year)
    if len(listed.elected) != seats:
        blank = f" ({len(listed.blanks)} blank)" if listed.blanks else ""
        plan.problems.append(
            f"{listed.year}: {len(listed.elected)} elected members, not {seats}{blank}."
        )
