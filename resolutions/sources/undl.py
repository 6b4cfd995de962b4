"""Parser for the Dag Hammarskjöld Library's "Security Council Voting Data" CSV.

The file has one row per member vote on every *adopted* resolution (20 columns,
data dictionary ``2026_02_06_sc_voting_md.md``). The rows of one resolution are
grouped into one :class:`DraftRecord`. Plain or gzip-compressed input is read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from resolutions.sources.reading import check_last_line_ends, decode_text, gunzip, read_bytes
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    check_council_date,
    normalise_symbol,
    parse_resolution_symbol,
)
from votes.choices import Modality, Outcome, Position, Source

COLUMNS = (
    "undl_id", "ms_code", "ms_name", "permanent_member", "ms_vote", "date", "resolution",
    "draft", "meeting", "description", "agenda", "subjects", "vote_note", "total_yes",
    "total_no", "total_abstentions", "total_non_voting", "total_ms", "modality", "undl_link",
)  # fmt: skip
TOTALS = ("total_yes", "total_no", "total_abstentions", "total_non_voting", "total_ms")
# A disagreement here makes the resolution's core facts unknowable: an error.
MUST_AGREE = ("date", "resolution", "meeting", *TOTALS, "modality")
# Descriptive columns: the first row's value is kept and the disagreement flagged.
SHOULD_AGREE = ("draft", "description", "agenda", "subjects", "undl_link")
POSITIONS = frozenset(p.value for p in Position)
# Council size changed on 1 January 1966 (Article 23 as amended).
ENLARGED = date(1966, 1, 1)
# The USSR's seat passed to the Russian Federation on this day (domain.md).
USSR_SUCCEEDED = date(1991, 12, 24)

_VERSION = re.compile(r"(\d{4})_(\d{1,2})_(\d{1,2})_sc_voting", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d+")
_ABSENT = re.compile(r"\bnot\s+present\b|\babsen(?:t|ce)\b", re.IGNORECASE)
_NOT_PARTICIPATING = re.compile(
    r"\bnot\s+(?:participat|take\s+part|taking\s+part|vote\b|voting\b)|\bnon[-\s]?participat",
    re.IGNORECASE,
)
_ACCLAMATION = re.compile(r"acclamation", re.IGNORECASE)
_WITHOUT_VOTE = re.compile(r"without\s+(?:a\s+)?vote", re.IGNORECASE)
_DESC_NUMBER = re.compile(r"resolution\s+(\d+)\s*[(\[](\d{4})[)\]]", re.IGNORECASE)
# The topic opens with "[" (once "<"); "[2000)" is a mistyped year, not a topic.
_TOPIC_START = re.compile(r"[\[<](?!\d)")
_TRUNCATED = "[...]"


def version_from_name(name: str) -> str:
    """``2026_02_06_sc_voting.csv`` -> ``"2026-02-06"``; ``""`` when the name has no date."""
    found = _name_date(Path(str(name)).name, search=True)
    return found.isoformat() if found else ""


def _name_date(name: str, *, search: bool) -> date | None:
    match = (_VERSION.search if search else _VERSION.fullmatch)(name)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


_FILE_LIST = "UN Digital Library file list"


def newest_voting_file(file_list: bytes | str | list) -> dict:
    """The entry of the newest ``YYYY_MM_DD_sc_voting`` CSV in the Digital Library file list."""
    entries = _file_list_entries(file_list)
    candidates = [
        (found, entry)
        for number, entry in enumerate(entries, start=1)
        if (found := _voting_file_date(entry, number)) is not None
    ]
    if not candidates:
        raise SourceError(_FILE_LIST, "", "no YYYY_MM_DD_sc_voting CSV file is listed")
    newest = max(found for found, _ in candidates)
    best = [entry for found, entry in candidates if found == newest]
    urls = {entry["url"].strip() for entry in best}
    if len(urls) > 1:
        # Two different files for one date: choosing would be a guess.
        raise SourceError(
            _FILE_LIST, "", f"several voting files dated {newest}: {', '.join(sorted(urls))}"
        )
    return best[0]


def _file_list_entries(file_list: bytes | str | list) -> list:
    entries = file_list
    if isinstance(file_list, (bytes, str)):
        try:
            entries = json.loads(file_list)
        except (ValueError, UnicodeDecodeError) as error:
            raise SourceError(
                _FILE_LIST, "", f"the file list is not valid JSON ({error})"
            ) from None
    if not isinstance(entries, list):
        raise SourceError(_FILE_LIST, "", "the file list is not a JSON array")
    return entries


def _voting_file_date(entry, number: int) -> date | None:
    """The date of a listed voting CSV; None for any other file."""
    if not isinstance(entry, dict):
        raise SourceError(_FILE_LIST, f"entry {number}", "the entry is not a JSON object")
    name, fmt = _name_and_format(entry)
    found = _name_date(name, search=False)
    if fmt != "csv" or found is None:
        return None
    if not isinstance(entry.get("url"), str) or not entry["url"].strip():
        raise SourceError(_FILE_LIST, f"entry {number}", f"the voting file {name!r} has no url")
    return found


def _name_and_format(entry: dict) -> tuple[str, str]:
    """A listed file's name without ".csv", and its format (a .csv name says csv)."""
    name = str(entry.get("name") or "").strip()
    fmt = str(entry.get("format") or "").strip().lower().lstrip(".")
    if name.lower().endswith(".csv"):
        name, fmt = name[:-4], fmt or "csv"
    return name, fmt


@dataclass
class _Group:
    """The rows of one resolution while they are being read."""

    first_line: int
    raw: dict[str, str]  # the first row's values of the columns that must agree
    when: date
    number: int
    year: int
    totals: dict[str, int]
    undl_id: str
    modality: str
    last_line: int = 0
    contiguous: bool = True
    members: dict[str, int] = field(default_factory=dict)  # code -> line
    votes: list[VoteRecord] = field(default_factory=list)
    permanent: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def parse(
    source: Path | bytes, *, name: str | None = None, version: str | None = None
) -> ParsedSource:
    """Read the voting CSV (plain or gzip) into one adopted DraftRecord per resolution."""
    if isinstance(source, (bytes, bytearray)):
        display = location = name or "<bytes>"
    else:
        display, location = name or Path(source).name, str(source)
    text = decode_text(gunzip(read_bytes(source, display), display), display)
    check_last_line_ends(text, display)
    rows = csv.reader(io.StringIO(text, newline=""))
    col, width = _header(rows, display)
    records, warnings = _finish(_read_groups(rows, col, width, display))
    if not records:
        warnings.append(f"{display}: the file has no data rows")
    return ParsedSource(
        source=Source.UNDL.value,
        version=version if version is not None else version_from_name(display),
        location=location,
        records=tuple(records),
        warnings=tuple(warnings),
    )


def _read_groups(rows, col: dict[str, int], width: int, display: str) -> dict[str, _Group]:
    """The member rows grouped by resolution (its undl_id), in file order."""
    groups: dict[str, _Group] = {}
    previous_key = None
    line = rows.line_num + 1
    while (row := _next_row(rows, display, line)) is not None:
        next_line = rows.line_num + 1
        if row and not (len(row) == 1 and not row[0].strip()):
            previous_key = _add_row(groups, previous_key, row, line, col, width, display)
        line = next_line
    return groups


def _add_row(groups, previous_key, row, line: int, col, width: int, display: str) -> str:
    """Put one member row into its resolution's group; returns the group's key."""
    if len(row) != width:
        raise SourceError(
            display, f"line {line}", f"the row has {len(row)} fields, the header {width}"
        )
    values = {c: row[col[c]].strip() for c in COLUMNS}
    key = values["undl_id"] or "resolution " + values["resolution"]
    group = groups.get(key)
    if group is None:
        group = groups[key] = _start_group(line, values, display)
    else:
        _check_agreement(group, line, values, display)
        group.contiguous = group.contiguous and previous_key == key
    _add_member(group, line, values, row[col["ms_name"]], display)
    return key


def _next_row(rows, display: str, line: int) -> list[str] | None:
    try:
        return next(rows)
    except StopIteration:
        return None
    except csv.Error as error:
        raise SourceError(display, f"line {line}", f"the CSV is malformed ({error})") from None


def _header(rows, display: str) -> tuple[dict[str, int], int]:
    """Each column's place, and the header's width; every column once."""
    first = _next_row(rows, display, 1)
    if first is None:
        raise SourceError(display, "line 1", "the file is empty (no header line)")
    header = [cell.strip().lower() for cell in first]
    _check_columns(header, display)
    return {c: header.index(c) for c in COLUMNS}, len(header)


def _check_columns(header: list[str], display: str) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SourceError(display, "line 1", f"missing columns: {', '.join(missing)}")
    doubled = sorted({c for c in COLUMNS if header.count(c) > 1})
    if doubled:
        raise SourceError(display, "line 1", f"columns appear twice: {', '.join(doubled)}")


def _start_group(line: int, values: dict[str, str], display: str) -> _Group:
    where = f"line {line}"
    text = values["date"]
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError
        when = date.fromisoformat(text)
    except ValueError:
        raise SourceError(display, where, f"date {text!r} is not a YYYY-MM-DD date") from None
    check_council_date(when, display, where)
    symbol = parse_resolution_symbol(values["resolution"])
    if symbol is None:
        raise SourceError(
            display, where, f"resolution {values['resolution']!r} is not of the form S/RES/n (year)"
        )
    totals = {}
    for column in TOTALS:
        if not _WHOLE.fullmatch(values[column]):
            raise SourceError(display, where, f"{column} {values[column]!r} is not a whole number")
        totals[column] = int(values[column])
    return _Group(
        first_line=line,
        raw={c: values[c] for c in MUST_AGREE + SHOULD_AGREE},
        when=when,
        number=symbol[0],
        year=symbol[1],
        totals=totals,
        undl_id=values["undl_id"],
        modality=_modality(values["modality"], display, where),
    )


def _modality(text: str, display: str, where: str) -> str:
    plain = " ".join(text.lower().split())
    if _ACCLAMATION.search(plain):
        return Modality.ACCLAMATION.value
    if _WITHOUT_VOTE.fullmatch(plain.removeprefix("adopted ")):
        return Modality.WITHOUT_VOTE.value
    if plain in ("vote", "recorded vote"):
        return Modality.RECORDED_VOTE.value
    raise SourceError(display, where, f"unknown modality {text!r} (expected Vote or Without vote)")


def _check_agreement(group: _Group, line: int, values: dict[str, str], display: str) -> None:
    for column in MUST_AGREE:
        if values[column] != group.raw[column]:
            raise SourceError(
                display,
                f"line {line}",
                f"{column} {values[column]!r} differs from {group.raw[column]!r} on line "
                f"{group.first_line} for the same resolution",
            )
    for column in SHOULD_AGREE:
        if values[column] != group.raw[column]:
            note = f"{column} differs between its rows (line {line}: {values[column]!r})"
            if not any(flag.startswith(f"{column} differs") for flag in group.flags):
                group.flags.append(note + "; the first row's value is kept")


def _add_member(group: _Group, line: int, values: dict[str, str], name: str, display: str) -> None:
    code, position, note = values["ms_code"], values["ms_vote"].upper(), values["vote_note"]
    _check_member(group, line, values, display)
    group.members[code] = group.last_line = line
    absent = bool(note and _ABSENT.search(note))
    # Absence already explains the missing vote; "did not participate" means present.
    silent = bool(note and not absent and _NOT_PARTICIPATING.search(note))
    if (absent or silent) and position != Position.NON_VOTING:
        group.flags.append(f"{code} has the note {note!r} but the vote {position}")
    if values["permanent_member"].lower() == "true":
        group.permanent.append(code)
    group.votes.append(
        VoteRecord(
            position, code, name.strip(), note, not_present=absent, did_not_participate=silent
        )
    )


def _check_member(group: _Group, line: int, values: dict[str, str], display: str) -> None:
    """A member code, a known vote code, and each member once per resolution."""
    where, code = f"line {line}", values["ms_code"]
    if not code:
        raise SourceError(display, where, "the member code (ms_code) is blank")
    if values["ms_vote"].upper() not in POSITIONS:
        raise SourceError(
            display, where, f"unknown vote code {values['ms_vote']!r} (expected Y, N, A or X)"
        )
    if code in group.members:
        raise SourceError(
            display,
            where,
            f"member {code} appears twice for {values['resolution']} "
            f"(lines {group.members[code]} and {line})",
        )


def _finish(groups: dict[str, _Group]) -> tuple[list[DraftRecord], list[str]]:
    """One record per resolution, with its flags; one resolution under two ids is warned of."""
    repeated = _repeated_resolutions(groups)
    records = []
    for group in groups.values():
        flags = list(group.flags)
        if (group.number, group.year) in repeated:
            flags.append(repeated[(group.number, group.year)])
        if not group.contiguous:
            flags.append("the rows of this resolution are not together in the file")
        records.append(_record(group, flags))
    return records, list(repeated.values())


def _repeated_resolutions(groups: dict[str, _Group]) -> dict[tuple[int, int], str]:
    ids: dict[tuple[int, int], list[str]] = {}
    for group in groups.values():
        ids.setdefault((group.number, group.year), []).append(group.undl_id)
    return {
        key: f"S/RES/{key[0]} ({key[1]}) appears under more than one undl_id ({', '.join(found)})"
        for key, found in ids.items()
        if len(found) > 1
    }


def _record(group: _Group, flags: list[str]) -> DraftRecord:
    modality = _check_modality(group, group.modality, flags)
    _check_counts(group, modality, flags)
    title = _title(group.raw["description"], flags)
    _check_description(group, f"S/RES/{group.number} ({group.year})", flags)
    first, last = group.first_line, group.last_line
    raw = group.raw
    return DraftRecord(
        source=Source.UNDL.value,
        location=f"lines {first}\u2013{last}" if last != first else f"line {first}",
        date=group.when,
        draft_symbol=normalise_symbol(raw["draft"]),
        resolution_number=group.number,
        resolution_year=group.year,
        meeting_symbol=normalise_symbol(raw["meeting"]),
        title=title,
        description=raw["description"],
        agenda=raw["agenda"],
        subjects=tuple(s.strip() for s in raw["subjects"].split("|") if s.strip()),
        modality=modality,
        recorded_yes=group.totals["total_yes"],
        recorded_no=group.totals["total_no"],
        recorded_abstain=group.totals["total_abstentions"],
        recorded_non_voting=group.totals["total_non_voting"],
        recorded_members=group.totals["total_ms"],
        outcome=Outcome.ADOPTED.value,
        votes=tuple(group.votes),
        undl_id=group.undl_id,
        url=raw["undl_link"],
        flags=tuple(flags),
        extra={"permanent_members": tuple(group.permanent)},
    )


def _check_modality(group: _Group, modality: str, flags: list[str]) -> str:
    notes = [v.note for v in group.votes if v.note]
    if any(_ACCLAMATION.search(n) for n in notes):
        if modality == Modality.RECORDED_VOTE:
            flags.append("the modality column says 'Vote' but a vote note says acclamation")
        return Modality.ACCLAMATION.value
    if modality == Modality.RECORDED_VOTE and any(_WITHOUT_VOTE.search(n) for n in notes):
        flags.append("the modality column says 'Vote' but a vote note says without a vote")
    return modality


_PAIRS = (("Y", "total_yes"), ("N", "total_no"), ("A", "total_abstentions"))
_PAIRS += (("X", "total_non_voting"),)


def _check_counts(group: _Group, modality: str, flags: list[str]) -> None:
    """Flag totals that disagree with the member rows or with the Council on that day."""
    counted = Counter(v.position for v in group.votes)
    _check_totals(group, counted, flags)
    _check_member_rows(group, counted, modality, flags)
    if group.when >= USSR_SUCCEEDED and "SUN" in group.members:
        flags.append("a vote is coded SUN (USSR) after the seat passed on 24 December 1991")
    if group.year != group.when.year:
        flags.append(f"the resolution's year {group.year} is not the year of the vote date")


def _check_member_rows(group: _Group, counted: Counter, modality: str, flags: list[str]) -> None:
    """As many member rows as the Council had seats; all Y for a decision without a vote."""
    members = len(group.votes)
    size = 11 if group.when < ENLARGED else 15
    if members != size:
        flags.append(f"{members} member rows; the Council had {size} members on this date")
    if modality != Modality.RECORDED_VOTE and counted["Y"] != members:
        flags.append("adopted without a vote, yet not every member is recorded as Y")


def _check_totals(group: _Group, counted: Counter, flags: list[str]) -> None:
    recorded = group.totals
    if any(counted[p] != recorded[c] for p, c in _PAIRS):
        said = "-".join(str(recorded[c]) for _, c in _PAIRS)
        found = "-".join(str(counted[p]) for p, _ in _PAIRS)
        flags.append(f"recorded totals {said} (Y-N-A-X) disagree with the member rows {found}")
    if sum(recorded[c] for _, c in _PAIRS) != recorded["total_ms"]:
        flags.append(f"the recorded totals do not add up to total_ms {recorded['total_ms']}")
    if recorded["total_ms"] != len(group.votes):
        flags.append(
            f"total_ms is {recorded['total_ms']} but there are {len(group.votes)} member rows"
        )


def _title(description: str, flags: list[str]) -> str:
    """The Library's bracketed topic, e.g. ``on admission of Botswana``; "" if none."""
    topic = description.strip()
    truncated = topic.endswith(_TRUNCATED)
    if truncated:
        flags.append("the description is cut short in the source (it ends with [...])")
        topic = topic[: -len(_TRUNCATED)].rstrip()
    start = _TOPIC_START.search(topic)
    if not start:
        return ""
    topic = topic[start.end() :].strip()
    if truncated:
        return topic + "…"
    if topic.endswith(("]", ">")):
        return topic[:-1].strip()
    flags.append("the description's bracketed topic is not closed with ']'")
    if topic.endswith(")") and topic.count(")") > topic.count("("):
        topic = topic[:-1]  # a ")" typed for the closing "]"
    return topic.strip()


def _check_description(group: _Group, symbol: str, flags: list[str]) -> None:
    named = _DESC_NUMBER.search(group.raw["description"])
    if named and (int(named.group(1)), int(named.group(2))) != (group.number, group.year):
        flags.append(
            f"the description names resolution {named.group(1)} ({named.group(2)}), "
            f"the resolution column {symbol}"
        )
