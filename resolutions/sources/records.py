"""What every source parser produces, and how it reports bad input.

Parsers (one module per official source in this package) are pure: they read
a file (a path or bytes) and return these plain records, or raise
:class:`SourceError`. They touch no database. Matching, merging, validation
against the Council's membership and writing are done by the import pipeline.
Reading a file (size limit, encoding) is ``resolutions.sources.reading``.

Conventions shared by all parsers:

* Symbols are normalised with :func:`normalise_symbol`: ``S/RES/2627(2022)``
  and ``S/RES/2627 (2022)`` both give resolution 2627 of 2022; draft symbols
  keep the UN's form (``S/2022/431``, ``S/9696``); meeting records are
  ``S/PV.9048``.
* Vote positions use the Library's codes Y, N, A, X.
* Outcomes use the values of ``votes.choices.Outcome``.
* Vetoing members are given as *state codes* (SUN, RUS, CHN, FRA, GBR, USA);
  the loader turns them into seats.
* ``location`` is where in the file the record came from (``line 12``,
  ``row 5``, ``table row 40``), so an error or a disagreement can point at it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# The Council first met in January 1946; no source can date a vote before that
# year, nor after today.
FIRST_YEAR = 1946


class SourceError(Exception):
    """Bad input: names the file, the place in it and the reason."""

    def __init__(self, file: str, location: str, reason: str):
        self.file = file
        self.location = location
        self.reason = reason
        where = f"{file}, {location}" if location else file
        super().__init__(f"{where}: {reason}")


def source_bytes(source: Path | bytes, name: str | None) -> tuple[bytes, str]:
    """A source given as a path or as bytes: (its bytes, the file name errors cite)."""
    if isinstance(source, bytes):
        return source, name or "<bytes>"
    file = name or str(source)
    try:
        return Path(source).read_bytes(), file
    except OSError as exc:
        raise SourceError(file, "", f"cannot read the file: {exc.strerror}") from exc


def utf8_text(data: bytes, file: str) -> str:
    """The bytes as text, a byte-order mark dropped; SourceError when they are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(file, "", f"not UTF-8 text: {exc.reason}") from exc


def source_location(source: Path | bytes, name: str | None) -> str:
    """Where the records came from (``ParsedSource.location``): the name given, else the path."""
    return name or (str(source) if isinstance(source, Path) else "")


def fault_flags(faults: Iterable[tuple[str, str]], descriptions: Mapping[str, str]) -> tuple:
    """Each ``(kind, detail)`` fault as a record's flag: "kind: what it means: detail"."""
    return tuple(f"{kind}: {descriptions[kind]}: {detail}" for kind, detail in faults)


def check_council_date(on: date, file: str, where: str, what: str = "the date") -> date:
    """``on``, refused when outside the Council's life (1946 to today)."""
    if on > date.today():
        raise SourceError(file, where, f"{what} {on.isoformat()} is in the future")
    if on.year < FIRST_YEAR:
        raise SourceError(
            file, where, f"{what} {on.isoformat()} is before the Council first met ({FIRST_YEAR})"
        )
    return on


@dataclass(frozen=True)
class VoteRecord:
    """One member's vote as a source gives it."""

    position: str  # Y, N, A or X
    code: str = ""  # UN three-letter code, when the source has one
    name: str = ""  # the name as written in the source
    note: str = ""  # the source's note, e.g. "Not present"
    not_present: bool = False  # the source says the member was absent
    did_not_participate: bool = False  # the source says present but not voting
    # Where the vote came from, as this site's own dump states it (vote_source): kept when
    # an editor's file restores a dump, so a deduced or compiled vote stays labelled so.
    source: str = ""


@dataclass(frozen=True)
class DraftRecord:
    """One draft put to the vote, as one source describes it."""

    source: str  # a votes.choices.Source value
    location: str
    date: date | None
    draft_symbol: str = ""
    resolution_number: int | None = None
    resolution_year: int | None = None
    meeting_symbol: str = ""
    press_release: str = ""
    title: str = ""
    description: str = ""
    agenda: str = ""
    subjects: tuple[str, ...] = ()
    sponsors: tuple[str, ...] = ()  # who submitted it, one name each, as written
    modality: str = ""  # a votes.choices.Modality value, or "" if the source doesn't say
    procedural: bool | None = None  # None: the source doesn't say
    # Totals as the source states them. None where the source gives none.
    recorded_yes: int | None = None
    recorded_no: int | None = None
    recorded_abstain: int | None = None
    recorded_non_voting: int | None = None
    recorded_members: int | None = None
    outcome: str = ""  # the outcome the source states ("" if none)
    vetoed_by: tuple[str, ...] = ()  # state codes the source names as vetoing
    votes: tuple[VoteRecord, ...] = ()
    undl_id: str = ""
    url: str = ""  # the record's own page at the source
    tally_text: str = ""  # the tally exactly as written, when the source writes one
    flags: tuple[str, ...] = ()  # plain-words notes on peculiarities of this row
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def check_no_copied_rows(records, file: str) -> None:
    """A row that repeats another's draft word for word is a copy, refused.

    Two rows on one draft symbol and day are two votes (on parts of S/552 in
    1947), and the Library's pages do repeat some rows exactly: vetoes known
    only by their meeting (three at S/PV.49) and resolutions (S/RES/1996 in
    2011, matched by number and counted once). But an exact copy of a row
    naming a draft would become a second, published vote on that draft.
    """
    seen: dict[tuple, str] = {}
    for record in records:
        symbol = record.draft_symbol
        if record.resolution_number or not symbol or symbol.startswith("S/PV."):
            continue
        key = (record.date, symbol, record.meeting_symbol, record.agenda, record.vetoed_by)
        key += (record.outcome, record.tally_text)
        if key in seen:
            raise SourceError(
                file, record.location, f"the row repeats {seen[key]} ({symbol}, {record.date})"
            )
        seen[key] = record.location


@dataclass(frozen=True)
class MembershipRecord:
    """One state on the Council for one calendar year, as DPPA lists it."""

    location: str
    year: int
    name: str  # as written; may be blank in the source
    last_update: date | None = None


@dataclass(frozen=True)
class ParsedSource:
    """A whole parsed file: its records and the dataset's version."""

    source: str
    version: str  # the dataset's date or version label, e.g. "2026-02-06"
    location: str  # the path or URL read
    records: tuple = ()
    warnings: tuple[str, ...] = ()


_RES = re.compile(r"^S/RES/(\d+)\s*\((\d{4})\)$", re.IGNORECASE)


def parse_resolution_symbol(symbol: str) -> tuple[int, int] | None:
    """``S/RES/2627 (2022)`` or ``S/RES/2627(2022)`` -> (2627, 2022)."""
    match = _RES.match(" ".join(symbol.split()))
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def normalise_symbol(symbol: str) -> str:
    """Tidy whitespace and case of a UN document symbol (not its meaning)."""
    cleaned = " ".join(symbol.replace("\xa0", " ").split()).strip().rstrip(".,;")
    if cleaned.upper().startswith("S/"):
        cleaned = "S/" + cleaned[2:]
    parsed = parse_resolution_symbol(cleaned)
    if parsed:
        return f"S/RES/{parsed[0]} ({parsed[1]})"
    return cleaned


def fault_summary(records: Iterable[DraftRecord], descriptions: Mapping[str, str]) -> list[str]:
    """One warning per kind of fault in ``extra["faults"]`` (pairs of kind and detail).

    The secondary sources' parsers record each fault they catch as such a pair, so the
    whole file's faults can be counted by kind: "326 record(s): day_month_swapped (...)".
    """
    counts = Counter(
        kind for record in records for kind in {kind for kind, _ in record.extra.get("faults", ())}
    )
    return [
        f"{count} record(s): {kind} ({descriptions.get(kind, 'no description')})"
        for kind, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
