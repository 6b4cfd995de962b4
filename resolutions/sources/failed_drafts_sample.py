"""Parser for the unsc_for_us hand-collected sample of failed votes, 1947–2022 (secondary).

Source: GitHub repository emilytong123/unsc_for_us, ``cleaned_data_unsc.xlsx``, here as
``cleaned_data_unsc_DERIVED.csv`` (PROVENANCE.md section 6): 53 votes that failed, picked
by hand (S/2022/431 is not among them). Each row gives the meeting number, what was voted
on (a draft symbol, a paragraph of one, or "174th Meeting Draft Resolution"), the year
(no day), sponsors, the members in favour, abstaining and against, the whole Council
("Members"), all as Python-list strings of country names, and a "(for, abstain,
against)" tuple. The lists are read with ``ast.literal_eval`` (literals only, never
code) and must be lists of strings.

The position lists call the USSR "Russian Federation" before 1991 (the Members list has
"Union of Soviet Socialist Republics"); such a name is given the code of the seat's
holder that year (SUN) and flagged. What the file says is checked against itself (lists
against the tuple, the Members list, the derived columns) and against Article 27; every
fault goes to ``extra["faults"]`` as ``(kind, detail)``, summarised by kind in the
warnings, and a value a check finds wrong is left out of its field.

Outcome: a row's note "Negative vote ..." says vetoed; any other row is in the sample
because it failed, so not adopted (``extra["outcome_basis"]`` says which).
"""

from __future__ import annotations

import ast
import csv
import io
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    fault_flags,
    fault_summary,
    source_bytes,
    source_location,
    utf8_text,
)
from resolutions.sources.values import listed_sponsors
from votes.choices import Outcome, Source
from votes.names import NameResolver, default_resolver
from votes.outcome import SEAT_ORDER, Ballot, Decision, council_size, decide

COLUMNS = (
    "Meeting Number",
    "Voting On",
    "Year",
    "Submitted By",
    "In Favor",
    "Abstain",
    "Against",
    "Note",
    "For,Abstain,Against",
    "Members",
    "Joint Submission",
    "Lone/None/Multiple For",
    "Lone/None/Multiple Abstain",
    "Lone/None/Multiple Against",
    "Meeting Number: Voting On",
)
LISTS = (("In Favor", "Y"), ("Abstain", "A"), ("Against", "N"))
LONE_COLUMNS = {
    "Y": "Lone/None/Multiple For",
    "A": "Lone/None/Multiple Abstain",
    "N": "Lone/None/Multiple Against",
}
RUSSIAN_SEAT_SUCCESSION = date(1991, 12, 24)

FAULTS = {
    "symbol_spaces": "the 'Voting On' cell has stray spaces; tidied",
    "no_draft_symbol": "'Voting On' names no draft symbol",
    "name_anachronistic": "a member named under a later name (the USSR as Russian Federation)",
    "unknown_member": "a member name the name resolver does not know",
    "member_twice": "a member in two position lists; the member votes are withheld",
    "tuple_disagrees": "the (for, abstain, against) tuple disagrees with the lists",
    "not_in_members": "a member votes but is not in the Members list (or named otherwise)",
    "in_no_list": "a member of the Members list is in no position list",
    "members_count": "the Members list is not the size of the Council that year",
    "joint_disagrees": "'Joint Submission' disagrees with the number of sponsors",
    "lone_disagrees": "a Lone/None/Multiple column disagrees with its list",
    "combined_disagrees": "the 'Meeting Number: Voting On' column disagrees with the two",
    "outcome_contradicts_votes": "the outcome contradicts Article 27 on the listed votes",
    "repeated_vote": "the same meeting and 'Voting On' as another row",
}

_SYMBOL = re.compile(r"\bS/[0-9A-Za-z.]+(?:/[0-9A-Za-z.]+)*")
_PART = re.compile(r"\b(?:last\s+)?paragraphs?\b", re.IGNORECASE)
_VETO_NOTE = re.compile(r"negative\s+vote", re.IGNORECASE)


def parse(
    source: Path | bytes, *, name: str | None = None, resolver: NameResolver | None = None
) -> ParsedSource:
    """The CSV -> one DraftRecord per row, in the file's order."""
    data, file = source_bytes(source, name)
    text = utf8_text(data, file)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != COLUMNS:
        raise SourceError(file, "line 1", f"not the unsc_for_us layout: found {header}")
    resolver = resolver or default_resolver()
    records, start = [], reader.line_num + 1
    for values in reader:
        if len(values) != len(COLUMNS):
            raise SourceError(file, f"line {start}", f"{len(values)} cells, not {len(COLUMNS)}")
        cells = dict(zip(COLUMNS, values, strict=True))
        records.append(_record(cells, start, file, resolver))
        start = reader.line_num + 1
    if not records:
        raise SourceError(file, "", "the file holds no votes")
    records = _repeats(records)
    return ParsedSource(
        source=Source.FAILED_DRAFTS_SAMPLE.value,
        version="",
        location=source_location(source, name),
        records=tuple(records),
        warnings=(
            "the file states no version and no dates (years only)",
            *fault_summary(records, FAULTS),
        ),
    )


def literal_list(text: str, file: str, where: str, column: str) -> list[str]:
    """``"['Poland', 'Russian Federation']"`` -> the list; SourceError unless a list of str."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError) as exc:
        raise SourceError(file, where, f"{column}: not a list literal ({exc})") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(file, where, f"{column}: not a list of names: {text[:60]!r}")
    return [" ".join(v.split()) for v in value]


def _tuple(text: str, file: str, where: str) -> tuple[int, int, int]:
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        value = None
    if not (isinstance(value, tuple) and len(value) == 3 and all(type(v) is int for v in value)):
        raise SourceError(file, where, f"'For,Abstain,Against' {text!r} is not three numbers")
    return value


def _code(name: str, year: int, resolver: NameResolver, faults: list) -> str:
    code = resolver.resolve(name) or ""
    if not code:
        faults.append(("unknown_member", repr(name)))
    elif code == "RUS" and year < RUSSIAN_SEAT_SUCCESSION.year:
        # The seat was the USSR's: the sample writes today's name for it.
        faults.append(("name_anachronistic", f"{name!r} in {year}: the USSR's seat, SUN"))
        code = "SUN"
    return code


def _record(cells: dict, line: int, file: str, resolver: NameResolver) -> DraftRecord:
    where = f"line {line}"
    faults: list[tuple[str, str]] = []
    try:
        year, meeting = int(cells["Year"]), int(cells["Meeting Number"])
    except ValueError:
        raise SourceError(file, where, "Year and Meeting Number must be numbers") from None
    lists = {p: literal_list(cells[c], file, where, c) for c, p in LISTS}
    members = literal_list(cells["Members"], file, where, "Members")
    sponsors = literal_list(cells["Submitted By"], file, where, "Submitted By")
    stated = _tuple(cells["For,Abstain,Against"], file, where)
    extra: dict = {"year": year, "faults": faults, "sponsors": tuple(sponsors)}
    extra.update(note=cells["Note"].strip(), members_list=tuple(members))

    draft, vote_on = _voting_on(cells["Voting On"], faults, extra)
    votes = [
        VoteRecord(p, code=_code(n, year, resolver, faults), name=n)
        for p, names in lists.items()
        for n in names
    ]
    member_codes = {_code(n, year, resolver, []): n for n in members}
    _check_lists(lists, stated, votes, member_codes, year, faults)
    _check_derived(cells, lists, sponsors, meeting, faults)
    withheld = any(kind == "member_twice" for kind, _ in faults)
    if withheld:
        extra["votes_as_written"] = tuple(votes)

    outcome, vetoed_by = _outcome(cells["Note"], votes, len(members), year, faults, extra)
    return DraftRecord(
        source=Source.FAILED_DRAFTS_SAMPLE.value,
        location=where,
        date=None,
        draft_symbol=draft,
        meeting_symbol=f"S/PV.{meeting}",
        sponsors=listed_sponsors(extra["sponsors"]),
        recorded_yes=stated[0],
        recorded_abstain=stated[1],
        recorded_no=stated[2],
        outcome=outcome,
        vetoed_by=vetoed_by,
        votes=() if withheld else tuple(votes),
        tally_text=cells["For,Abstain,Against"],
        flags=fault_flags(faults, FAULTS),
        extra={**extra, "vote_on": vote_on},
    )


def _outcome(note: str, votes, members: int, year: int, faults: list, extra: dict):
    """(outcome, vetoed_by): what the note says (a veto, or a failed vote), checked
    against the listed votes."""
    veto_note = bool(_VETO_NOTE.search(note))
    extra["outcome_basis"] = "the note" if veto_note else "in a sample of failed votes"
    outcome = Outcome.VETOED if veto_note else Outcome.NOT_ADOPTED
    if any(kind == "member_twice" for kind, _ in faults):  # the votes are withheld
        return outcome, ()
    return _check_outcome(outcome, votes, members, year, faults)


def _voting_on(raw: str, faults: list, extra: dict) -> tuple[str, str]:
    text = " ".join(raw.split())
    if raw != text:
        faults.append(("symbol_spaces", repr(raw)))
    symbols = _SYMBOL.findall(text)
    if not symbols:
        faults.append(("no_draft_symbol", repr(text)))
        return "", "draft"
    if _PART.search(text):
        # A vote on paragraphs is not a vote on the draft: it names the draft it is part of.
        extra.update(part_of=symbols[0], part=" ".join(text.replace(symbols[0], "").split()))
        return "", "part"
    return symbols[0], "draft"


def _check_lists(lists, stated, votes, member_codes, year: int, faults: list) -> None:
    counts = {p: len(names) for p, names in lists.items()}
    if (counts["Y"], counts["A"], counts["N"]) != stated:
        faults.append(
            (
                "tuple_disagrees",
                f"tuple {stated}, lists {counts['Y']} for, {counts['A']} abstaining, "
                f"{counts['N']} against",
            )
        )
    _check_members(votes, member_codes, year, faults)


def _check_members(votes, member_codes: dict, year: int, faults: list) -> None:
    """Each member in one list, every one in the Members list, as many as sat that year."""
    codes = Counter(v.code or v.name for v in votes)
    faults += [("member_twice", f"{code} in {n} lists") for code, n in codes.items() if n > 1]
    _check_listed(votes, member_codes, codes, faults)
    _check_members_count(len(member_codes), year, faults)


def _check_listed(votes, member_codes: dict, codes: Counter, faults: list) -> None:
    """A voter missing from the Members list, and a member in no list of votes."""
    outside = sorted(v.name for v in votes if (v.code or v.name) not in member_codes)
    if outside:
        faults.append(("not_in_members", ", ".join(outside)))
    unlisted = sorted(name for code, name in member_codes.items() if code not in codes)
    if unlisted:
        faults.append(("in_no_list", ", ".join(unlisted)))


def _check_members_count(listed: int, year: int, faults: list) -> None:
    size = council_size(date(year, 1, 1))
    if listed != size:
        faults.append(("members_count", f"{listed} members, {size} sat in {year}"))


def _check_derived(cells, lists, sponsors, meeting: int, faults: list) -> None:
    joint = cells["Joint Submission"].strip()
    if joint not in ("0", "1") or (joint == "1") != (len(sponsors) > 1):
        faults.append(("joint_disagrees", f"{joint!r} with {len(sponsors)} sponsor(s)"))
    for position, column in LONE_COLUMNS.items():
        n = len(lists[position])
        expected = "None" if n == 0 else "Lone" if n == 1 else "Multiple"
        if cells[column].strip() != expected:
            faults.append(("lone_disagrees", f"{column} {cells[column]!r} with {n} names"))
    combined = f"Meeting #: {meeting} Voting On: {cells['Voting On']}"
    if " ".join(cells["Meeting Number: Voting On"].split()) != " ".join(combined.split()):
        faults.append(("combined_disagrees", repr(cells["Meeting Number: Voting On"])))


def _seat(code: str) -> str | None:
    if code == "SUN":
        return "RUS"
    return code if code in SEAT_ORDER else None


def _check_outcome(outcome, votes, members: int, year: int, faults: list):
    on = date(year, 7, 1)  # the year is all the file gives; the majority needed is the year's
    # The USSR held the Russian seat (RUS), which is what Article 27 counts.
    ballots = [Ballot(v.position, seat=_seat(v.code)) for v in votes]
    result = decide(Decision(on=on, ballots=ballots, members=members or council_size(on)))
    if result.outcome in (outcome, Outcome.UNKNOWN):
        return outcome, _permanent_no(votes) if outcome == Outcome.VETOED else ()
    faults.append(
        (
            "outcome_contradicts_votes",
            f"{'the note says vetoed' if outcome == Outcome.VETOED else 'a failed vote'}, but "
            f"the listed votes make it {Outcome(result.outcome).label.lower()}",
        )
    )
    return "", ()


def _permanent_no(votes) -> tuple[str, ...]:
    """The permanent members listed against (the USSR's seat as SUN)."""
    return tuple(v.code for v in votes if v.position == "N" and v.code in (*SEAT_ORDER, "SUN"))


def _repeats(records: list[DraftRecord]) -> list[DraftRecord]:
    def key(record: DraftRecord) -> tuple:
        what = record.draft_symbol or record.extra.get("part_of", "")
        return record.meeting_symbol, what, record.extra.get("part", "")

    locations = Counter(key(r) for r in records)
    checked = []
    for record in records:
        if locations[key(record)] > 1:
            others = ", ".join(
                r.location for r in records if key(r) == key(record) and r is not record
            )
            record.extra["faults"].append(("repeated_vote", f"also at {others}"))
            flag = f"repeated_vote: {FAULTS['repeated_vote']}: also at {others}"
            record = replace(record, flags=(*record.flags, flag))
        checked.append(record)
    return checked
