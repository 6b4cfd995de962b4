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

from resolutions.sources.records import MembershipRecord, ParsedSource, SourceError
from votes import reference
from votes.choices import Source
from votes.names import NameResolver, default_resolver
from votes.outcome import ENLARGEMENT
from votes.reference import CorrectionRow

COLUMNS = ("id", "year", "security_council_member", "last_update")


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            file, f"line {line}", f"the file is not UTF-8 (byte {data[error.start]:#04x})"
        ) from None


def _parse_date(value: str, file: str, where: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SourceError(
            file, where, f"last_update {value!r} is not a date (YYYY-MM-DD)"
        ) from None


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """Read a DPPA membership CSV into :class:`MembershipRecord` rows, in file order."""
    file = name or (str(source) if isinstance(source, Path) else "DPPA membership CSV")
    data = source.read_bytes() if isinstance(source, Path) else source
    reader = csv.DictReader(io.StringIO(_decode(data, file), newline=""))
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise SourceError(file, "line 1", f"missing column(s): {', '.join(missing)}")

    records, warnings = [], []
    seen: dict[tuple[int, str], str] = {}
    next_line = 2
    for row in reader:
        line, next_line = next_line, reader.line_num + 1
        where = f"row id {(row['id'] or '?').strip()} (line {line})"
        year_text = (row["year"] or "").strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            raise SourceError(file, where, f"year {year_text!r} is not a year")
        year = int(year_text)
        member = " ".join((row["security_council_member"] or "").split())
        updated = _parse_date((row["last_update"] or "").strip(), file, where)
        if member:
            earlier = seen.setdefault((year, member.casefold()), where)
            if earlier != where:
                warnings.append(f"{where}: {member} is listed twice for {year} (also {earlier})")
        records.append(MembershipRecord(where, year, member, updated))

    dates = [record.last_update for record in records if record.last_update]
    return ParsedSource(
        source=Source.DPPA,
        version=max(dates).isoformat() if dates else "",
        location=str(source) if isinstance(source, Path) else file,
        records=tuple(records),
        warnings=tuple(warnings),
    )


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
    for seat in reference.SEAT_NAMES:
        codes = {term.code for term in holders if term.seat == seat}
        if not codes & listed.keys():
            plan.problems.append(f"{year}: no holder of the {seat} seat is listed.")


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

    by_year: dict[int, list[MembershipRecord]] = defaultdict(list)
    for record in records:
        by_year[record.year].append(record)

    if by_year:
        gaps = sorted(set(range(min(by_year), max(by_year) + 1)) - by_year.keys())
        plan.problems += [f"{year}: the file lists nobody for this year." for year in gaps]

    years_by_code: dict[str, set[int]] = defaultdict(set)
    for year in sorted(by_year):
        elected: dict[str, str] = {}
        listed_permanent: dict[str, str] = {}
        blanks = []
        for record in by_year[year]:
            if not record.name:
                plan.blank.append((record.location, year))
                blanks.append(record.location)
                continue
            # A name must mean the same state all year, or it is not mapped.
            code = resolver.resolve(record.name, date(year, 1, 1))
            if code is None or code != resolver.resolve(record.name, date(year, 12, 31)):
                plan.unmapped.append((record.location, year, record.name))
                continue
            target = listed_permanent if code in permanent else elected
            if code in target:
                plan.problems.append(f"{record.location}: {code} is listed twice for {year}.")
            target.setdefault(code, record.location)

        for row in (c for c in corrections if c.year == year):
            if row.code in elected:
                if blanks:
                    plan.problems.append(
                        f"{year}: the correction to {row.code} is already listed; blanks remain."
                    )
                continue
            if not blanks:
                plan.problems.append(f"{year}: a correction names {row.code} but no row is blank.")
                continue
            location = blanks.pop(0)
            elected[row.code] = location
            plan.corrected.append((location, row))

        _check_permanent(year, listed_permanent, plan)
        if len(elected) != _elected_seats(year):
            plan.problems.append(
                f"{year}: {len(elected)} elected members, not {_elected_seats(year)}"
                + (f" ({len(blanks)} blank)" if blanks else "")
                + "."
            )
        for code in elected:
            years_by_code[code].add(year)

    plan.terms = _split_successions(_merge(years_by_code), plan)
    return plan
