"""Parser for UN DGACM's machine-readable adopted Security Council resolutions (2000 on).

Source: GitHub repository UNxml/SCresolutions, ``data_extract/<year>.json``: despite the
extension, JSON Lines, one object per adopted resolution with its symbol, adoption date,
meeting and type ("Adopted unanimously, 8956th meeting", "Adopted 13-0-2, ...", "Adopted
without vote"), draft, title, agenda item, subjects, and the members in favour, against and
abstaining by name (no codes), each list with a stated count. What a reader has to know:

* counts are text, zero-padded since 2024 ("014") and then blank where nobody took that
  position: a blank count beside an empty list is read as 0, unless the adoption type's
  tally says otherwise;
* resolutions adopted without a vote or by acclamation mostly state 0-0-0 with empty lists,
  which is no tally, so their totals stay unknown; a few list all 15 members in favour
  instead (as the Library's data does): kept so, and flagged;
* votes by letter (2020-2021) say "Voting by mail" and give the letter's symbol in
  ``outcome_letter``: there is no meeting record;
* four fields give the meeting number; where they disagree, ``adoption_meeting`` is used;
* a symbol may appear twice: an identical copy is dropped with a warning, a differing one
  keeps the first object and flags the difference;
* the files carry no version: the newest adoption date stands for it.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

from resolutions.sources.reading import check_total_size, read_text
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    check_council_date,
    normalise_symbol,
    parse_resolution_symbol,
)
from resolutions.sources.values import listed_sponsors
from votes.choices import Modality, Outcome, Source
from votes.names import normalise_name

SOURCE = Source.UNXML_ADOPTED
# Plain strings: reading an enum member costs more than the rest of a line's parsing.
VOTE, WITHOUT, ACCLAIM = (
    m.value for m in (Modality.RECORDED_VOTE, Modality.WITHOUT_VOTE, Modality.ACCLAMATION)
)
ADOPTED = Outcome.ADOPTED.value

# (position, list field, words); each list's count is in "<list field>_count".
POSITIONS = (
    ("Y", "MS_in_favour", "in favour"),
    ("N", "MS_against", "against"),
    ("A", "MS_abstaining", "abstaining"),
)
WORDS = {position: words for position, _, words in POSITIONS}
_FIRST_HALF = ("january", "february", "march", "april", "may", "june")
_SECOND_HALF = ("july", "august", "september", "october", "november", "december")
MONTHS = {month: number for number, month in enumerate((*_FIRST_HALF, *_SECOND_HALF), 1)}
# What follows "Adopted": (pattern, kind, modality). Misspellings seen in the files included.
HOW = (
    (re.compile(r"unanimously|unanimoulsy|unanimouly"), "unanimous", VOTE),
    (re.compile(r"non-unanimously"), "non-unanimous", VOTE),
    (re.compile(r"without (?:a )?vot(?:e|ing)"), "", WITHOUT),
    (re.compile(r"by consensus"), "", WITHOUT),
    (re.compile(r"by acclamation"), "", ACCLAIM),
    (re.compile(r"\((?P<p>\d+-\d+-\d+)(?:,\s*[^()]*)?\)|(?P<b>\d+-\d+-\d+)"), "tally", VOTE),
)
# The "outcome" field, filled in some years only, and the modality each value implies.
OUTCOME_FIELD = {
    "adoptedwithoutvote": WITHOUT,
    "adoptedbyacclamation": ACCLAIM,
    "adoptedrecordedvote": VOTE,
    "voting by mail": VOTE,
}

_LONG_DATE = re.compile(r"^(\d{1,2}) ([A-Za-z]+),? (\d{4})(?: (.+))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_TITLE_DATE = re.compile(r"\bon\s*(\d{1,2})\s*([A-Za-z]+)\s*(\d{4})")
_MEETING = re.compile(r"(\d+)\s*(?:st|nd|rd|th)\s*(?:\([^()]*\)\s*)?meeting", re.IGNORECASE)
_PV = re.compile(r"^S/PV\.?\s*(\d+)", re.IGNORECASE)
_COUNT = re.compile(r"\s*\d*\s*", re.ASCII)
_END = re.compile(r"\s*(?:[,;.]|$)")


# About a hundred distinct names recur 22,000 times; normalising each once keeps parsing fast.
_name_key = cache(normalise_name)


def _plain(text: str) -> str:
    return " ".join(text.split())  # str.split() also splits on no-break spaces


class _Line:
    """One object of one file, with typed access that names the line on error."""

    def __init__(self, obj: dict, file: str, number: int):
        self.obj, self.file, self.number = obj, file, number
        self.location = f"file {file}, line {number}"

    def error(self, reason: str) -> SourceError:
        return SourceError(self.file, f"line {self.number}", reason)

    def text(self, key: str) -> str:
        value = self.obj.get(key)
        if value is not None and not isinstance(value, str):
            raise self.error(f'the field "{key}" is {type(value).__name__}, not text')
        return _plain(value or "")

    def strings(self, key: str) -> list[str]:
        value = self.obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f'the field "{key}" is not a list of texts')
        return [_plain(v) for v in value]

    def count(self, key: str) -> int | None:
        """A stated count: an integer, or None where the file leaves it blank."""
        value = self.obj.get(key, "")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, str) and _COUNT.fullmatch(value):
            return int(value) if value.strip() else None
        raise self.error(f'the count "{key}" is {value!r}, not a whole number')

    def date(self) -> tuple[date, str]:
        """The adoption date ("9 July 2021" or "2021-07-09 00:00:00") and any words after it."""
        text = self.text("adoption_date")
        if not text:
            raise self.error('no adoption date (field "adoption_date")')
        long, iso = _LONG_DATE.match(text), _ISO_DATE.match(text)
        try:
            if iso:
                return date(*map(int, iso.groups())), ""
            if long and long.group(2).casefold() in MONTHS:
                month = MONTHS[long.group(2).casefold()]
                return date(int(long.group(3)), month, int(long.group(1))), long.group(4) or ""
        except ValueError:
            pass
        raise self.error(f'the adoption date "{text}" is not a date')


def _adoption_type(line: _Line, flags: list[str]) -> tuple[str, str, tuple, str]:
    """Modality, kind ("unanimous", "tally", ...), tally (y, n, a, text) and meeting number."""
    text = line.text("adoption_type")
    if not text:
        flags.append("The file gives no adoption type: modality left unknown.")
        return "", "", (), ""
    rest = re.sub(r"^adopted\s*", "", text, flags=re.IGNORECASE)
    match, kind, modality = _how_adopted(rest, line, text)
    tally: tuple = ()
    if kind == "tally":
        numbers = (int(n) for n in (match.group("p") or match.group("b")).split("-"))
        tally = (*numbers, rest[: match.end()].strip("()"))
    meeting = _MEETING.search(rest, match.end())
    return modality, kind, tally, meeting.group(1) if meeting else ""


def _how_adopted(rest: str, line: _Line, text: str) -> tuple[re.Match, str, str]:
    """The first wording in HOW that what follows "Adopted" begins with, up to a comma."""
    for pattern, kind, modality in HOW:
        match = pattern.match(rest.casefold())
        if match and _END.match(rest, match.end()):
            return match, kind, modality
    raise line.error(f'unknown adoption type "{text}"')


def _meeting(line: _Line, from_type: str, flags: list[str], extra: dict) -> str:
    """S/PV.n from adoption_meeting, checked against the three other fields naming it."""
    said = _meeting_numbers(line, flags, extra)
    if from_type:
        said["adoption_type"] = from_type
    if match := _MEETING.search(line.text("document_title")):
        said["document_title"] = match.group(1)
    number = said.get("adoption_meeting") or said.get("outcome_letter", "")
    if len(set(said.values())) > 1:
        named = ", ".join(f"{field} {value}" for field, value in said.items())
        flags.append(f"The meeting numbers disagree ({named}); S/PV.{number} is used.")
    return f"S/PV.{int(number)}" if number else ""


def _meeting_numbers(line: _Line, flags: list[str], extra: dict) -> dict[str, str]:
    """The meeting numbers that adoption_meeting and outcome_letter give, by field."""
    said = {}
    adoption_meeting = line.text("adoption_meeting")
    if match := _MEETING.search(adoption_meeting):
        said["adoption_meeting"] = match.group(1)
    elif adoption_meeting.casefold() == "voting by mail":
        extra["voting_by_mail"] = True
    elif adoption_meeting:
        flags.append(f'The adoption meeting "{adoption_meeting}" names no meeting.')
    letter = line.text("outcome_letter")
    if match := _PV.match(letter):
        said["outcome_letter"] = match.group(1)
    elif letter:
        extra["outcome_letter"] = letter  # the letter that recorded a vote by mail
    return said


def _check_dates(line: _Line, voted: date, year: int, flags: list[str], extra: dict) -> None:
    """The adoption date against the symbol's year, the document title and the draft's date."""
    if voted.year != year:
        flags.append(
            f"The adoption date {voted.isoformat()} is not in {year}, the year in the symbol; "
            "it is left out (probably a typo) and the record is dated by the other sources."
        )
    if match := _TITLE_DATE.search(line.text("document_title")):
        day, month, in_year = match.groups()
        number = MONTHS.get(month.casefold())
        if number and date(int(in_year), number, int(day)) != voted:
            flags.append(
                f"The document title gives {day} {month} {in_year} as the adoption date, "
                f"but adoption_date gives {voted.isoformat()}."
            )
    if match := _ISO_DATE.match(line.text("draft_resolution_date")):
        extra["draft_date"] = "-".join(match.groups())
        if extra["draft_date"] > voted.isoformat():
            flags.append(f"The draft is dated {extra['draft_date']}, after the adoption date.")


def _lists(line: _Line, flags: list[str]) -> dict[str, list[str]]:
    """The member names per position, with CÔTE D'IVOIRE rejoined where it was split."""
    lists = {}
    for position, field, words in POSITIONS:
        names = line.strings(field)
        for index, name in enumerate(names[:-1]):
            following = names[index + 1]
            if _name_key(name) == "cote." and _name_key(following) == "d'ivoire":
                names[index : index + 2] = [f"{name[:-1]} {following}"]
                flags.append(
                    f'The file splits CÔTE D\'IVOIRE into "{name}" and "{following}" in '
                    f"the {words} list; joined into one member."
                )
                break
        if "" in names:
            raise line.error(f"an empty member name in {field}")
        lists[position] = names
    return lists


def _totals(line: _Line, lists: dict, modality: str, tally: tuple, flags: list[str]) -> dict:
    """The stated totals per position (None where unknown), each checked against its list."""
    stated = {p: line.count(f"{field}_count") for p, field, _ in POSITIONS}
    listed = {p: len(lists[p]) for p in WORDS}
    if not any(listed.values()) and _no_totals(stated, modality, flags):
        return dict.fromkeys(WORDS)
    return {
        position: _total(
            stated[position], listed[position], tally[index] if tally else 0, words, flags
        )
        for index, (position, words) in enumerate(WORDS.items())
    }


def _no_totals(stated: dict, modality: str, flags: list[str]) -> bool:
    """With no member lists: whether the file gives no totals either (flagged when a
    vote was taken; 0-0-0 for a decision without a vote means no vote, not a tally)."""
    if modality in (WITHOUT, ACCLAIM) and not any(stated.values()):
        return True
    if all(value is None for value in stated.values()):
        flags.append("The file gives neither counts nor member lists.")
        return True
    return False


def _total(count: int | None, listed: int, said: int, words: str, flags: list[str]) -> int | None:
    """One position's total: the stated count, or 0 for a blank beside an empty list."""
    if count is None:
        if not listed and not said:
            return 0  # blank beside an empty list: nobody took that position
        flags.append(
            f"The file gives no count of members {words}; it lists {listed} "
            f"and the adoption type says {said}."
        )
    elif count != listed:
        flags.append(f"The file states {count} {words} but lists {listed} members; both kept.")
    return count


def _check_wording(kind: str, tally: tuple, totals: dict, lists: dict, how: str, flags: list):
    """The adoption type's words and tally against the stated totals and the lists."""
    shown = "-".join("?" if totals[p] is None else str(totals[p]) for p in WORDS)
    if tally and tuple(totals.values()) != tally[:3]:
        flags.append(f"The adoption type says {tally[3]}, but the stated counts are {shown}.")
    split = bool(totals["N"] or totals["A"] or lists["N"] or lists["A"])
    if (kind, split) in (("unanimous", True), ("non-unanimous", False)):
        flags.append(f"The adoption type says {kind}ly, but the file has {shown}.")
    _check_no_vote_lists(how, lists, flags)


def _check_no_vote_lists(how: str, lists: dict, flags: list) -> None:
    """Adopted without a vote, yet members are listed by position: kept, and said."""
    members = sum(len(names) for names in lists.values())
    if how in (WITHOUT, ACCLAIM) and members:
        how = "by acclamation" if how == ACCLAIM else "without a vote"
        flags.append(
            f"The adoption type says adopted {how}, yet the file lists {members} members "
            "by position; kept as listed."
        )


def _votes(lists: dict, flags: list[str]) -> tuple[VoteRecord, ...]:
    """One vote per listed name; a member listed more than once keeps every listing."""
    listed = [(p, name, _name_key(name)) for p, names in lists.items() for name in names]
    notes = _listed_twice(listed, flags)
    return tuple(VoteRecord(p, name=name, note=notes.get(k, "")) for p, name, k in listed)


def _listed_twice(listed: list[tuple[str, str, str]], flags: list[str]) -> dict[str, str]:
    """A note for each member listed more than once, by name key; each also flagged."""
    seen: dict[str, list[str]] = {}
    for position, _, key in listed:
        seen.setdefault(key, []).append(position)
    notes = {}
    for key, positions in seen.items():
        if len(positions) > 1:
            words = " and ".join(WORDS[p] for p in positions)
            name = next(name for _, name, k in listed if k == key)
            flags.append(f"{name} is listed {len(positions)} times: {words}; all kept.")
            notes[key] = f"Listed {len(positions)} times: {words}"
    return notes


def _subjects(line: _Line, extra: dict) -> tuple[str, ...]:
    """UNBIS Thesaurus terms; the other entries (authorities, agenda, title) go to extra."""
    entries = line.obj.get("subjects", [])
    if not isinstance(entries, list) or not all(_is_subject_pair(e) for e in entries):
        raise line.error('the field "subjects" is not a list of [term, dictionary] pairs')
    extra["other_subjects"] = [[_plain(t), d] for t, d in entries if d != "UNBIS Thesaurus"]
    terms = (_plain(term) for term, dictionary in entries if dictionary == "UNBIS Thesaurus")
    return tuple(dict.fromkeys(term for term in terms if term))


def _is_subject_pair(entry) -> bool:
    return isinstance(entry, list) and len(entry) == 2 and all(isinstance(v, str) for v in entry)


def _resolution(line: _Line) -> tuple[int, int]:
    """The resolution's number and year, from its symbol."""
    written = line.text("symbol")
    if not written:
        raise line.error('no symbol (field "symbol")')
    parsed = parse_resolution_symbol(normalise_symbol(written))
    if parsed is None:
        raise line.error(f'the symbol "{written}" is not a resolution symbol S/RES/n (year)')
    return parsed


def _check_outcome_field(line: _Line, modality: str, flags: list[str], extra: dict) -> None:
    """The "outcome" field, filled in some years only, must agree with the adoption type."""
    said = line.text("outcome")
    if not said:
        return
    extra["outcome_field"] = said
    implied = OUTCOME_FIELD.get(said.casefold())
    if implied is None or (modality and implied != modality):
        flags.append(f'The outcome field "{said}" does not match the adoption type.')


def record_from_object(obj: dict, *, file: str, number: int) -> DraftRecord:
    """One JSON object (line ``number`` of ``file``) -> the resolution it describes."""
    line = _Line(obj, file, number)
    res_number, res_year = _resolution(line)
    symbol = f"S/RES/{res_number} ({res_year})"
    voted, place = line.date()
    check_council_date(voted, file, f"line {number}", "the adoption date")
    flags: list[str] = []
    extra: dict = {key: line.strings(key) for key in ("sponsors", "additional_sponsors", "SDGs")}
    extra.update(adoption_type=line.text("adoption_type"), chapter_vii=line.text("chapter_VII"))
    if place:
        extra["adoption_date_note"] = place  # "in Nairobi"
    own = line.text("resolution_number")
    if own and normalise_symbol(re.sub(r"(?i)^resolution\s*", "S/RES/", own)) != symbol:
        flags.append(f'The field resolution_number says "{own}", not {symbol}.')
    _check_dates(line, voted, res_year, flags, extra)
    modality, kind, tally, meeting_in_type = _adoption_type(line, flags)
    meeting = _meeting(line, meeting_in_type, flags, extra)
    _check_outcome_field(line, modality, flags, extra)
    lists = _lists(line, flags)
    totals = _totals(line, lists, modality, tally, flags)
    _check_wording(kind, tally, totals, lists, modality, flags)
    if voted.year != res_year:
        # A resolution numbered for one year is adopted in it: this date is a typo
        # (S/RES/2423 (2018) "29 June 2016"), kept as written but never used.
        extra["date_as_written"] = voted.isoformat()
        voted = None
    return DraftRecord(
        source=SOURCE,
        location=line.location,
        date=voted,
        draft_symbol=normalise_symbol(line.text("draft_resolution")),
        resolution_number=res_number,
        resolution_year=res_year,
        meeting_symbol=meeting,
        title=line.text("resolution_title"),
        agenda=line.text("agenda_item_name"),
        subjects=_subjects(line, extra),
        sponsors=listed_sponsors([*extra["sponsors"], *extra["additional_sponsors"]]),
        modality=modality,
        recorded_yes=totals["Y"],
        recorded_no=totals["N"],
        recorded_abstain=totals["A"],
        outcome=ADOPTED,
        votes=_votes(lists, flags),
        url=f"https://undocs.org/en/{symbol.replace(' ', '')}",
        tally_text=tally[3] if tally else "",
        flags=tuple(flags),
        extra=extra,
    )


def _objects(text: str, file: str):
    """(line number, object) for each non-blank line of one file."""
    # Newlines only: str.splitlines would also break at a U+2028 inside a string.
    lines = text.split("\n")
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            yield number, _object(raw, file, number, last=number == len(lines))


def _object(raw: str, file: str, number: int, *, last: bool) -> dict:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        reason = f"not valid JSON: {exc.msg} (column {exc.colno})"
        if last:  # the file ends inside this line, with no line break
            reason += "; the file may be cut short"
        raise SourceError(file, f"line {number}", reason) from exc
    if not isinstance(obj, dict):
        raise SourceError(file, f"line {number}", "the line is not a JSON object")
    return obj


def _files(source: Path | bytes, name: str | None) -> tuple[str, list[tuple[str, str]]]:
    """Where the data came from, and (display name, text) per file, years in order."""
    if isinstance(source, bytes):
        file = name or "<bytes>"
        return file, [(file, read_text(source, file))]
    if source.is_dir():
        return _folder(source, name or str(source))
    file = name or source.name
    return name or str(source), [(file, read_text(source, file))]


def _folder(folder: Path, location: str) -> tuple[str, list[tuple[str, str]]]:
    paths = sorted(folder.glob("*.json"), key=lambda p: (len(p.stem), p.stem))
    if not paths:
        raise SourceError(location, "", "the directory holds no .json files")
    check_total_size(paths, location)
    return location, [(path.name, read_text(path, path.name)) for path in paths]


def _flag(records: list[DraftRecord], index: int, flag: str) -> None:
    records[index] = replace(records[index], flags=(*records[index].flags, flag))


def _differences(first: dict, second: dict) -> str:
    """The fields two objects disagree on, with both values where they are short."""
    shown = []
    for key in sorted(k for k in {*first, *second} if first.get(k) != second.get(k)):
        one, other = first.get(key), second.get(key)
        short = len(str(one)) < 20 and len(str(other)) < 20
        shown.append(f"{key} ({one!r} vs {other!r})" if short else key)
    return ", ".join(shown)


def _check_order(records: list[DraftRecord]) -> None:
    """Flag a date out of order with the resolutions numbered around it, where they agree."""
    # Records whose date was left out (a typo) take no part.
    order = sorted(
        (i for i in range(len(records)) if records[i].date is not None),
        key=lambda i: records[i].resolution_number,
    )
    dates = [records[i].date for i in order]
    for at, index in enumerate(order):
        if _out_of_order(dates, at):
            _flag(
                records,
                index,
                f"The adoption date {dates[at].isoformat()} is out of order with the "
                "resolutions numbered just before and after it.",
            )


def _out_of_order(dates: list[date], at: int) -> bool:
    """Whether a date falls outside its neighbours, when they are themselves in order."""
    before = dates[at - 1] if at else date.min
    after = dates[at + 1] if at + 1 < len(dates) else date.max
    return before <= after and not before <= dates[at] <= after


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """A directory of the yearly files (all *.json, by year), one file, or one file's bytes."""
    location, files = _files(source, name)
    records: list[DraftRecord] = []
    kept: dict[str, tuple[int, dict]] = {}  # symbol -> (index in records, its object)
    warnings: list[str] = []
    for file, text in files:
        for number, obj in _objects(text, file):
            record = record_from_object(obj, file=file, number=number)
            warning = _keep_first(records, kept, record, obj)
            if warning:
                warnings.append(warning)
    _check_order(records)
    warnings += _missing_numbers(records)
    version = max((r.date for r in records if r.date), default=None)
    if version:
        warnings.append(
            f"The files carry no version; the newest adoption date, {version.isoformat()}, "
            "is used as the version."
        )
    return ParsedSource(
        source=SOURCE,
        version=version.isoformat() if version else "",
        location=location,
        records=tuple(records),
        warnings=tuple(warnings),
    )


def _keep_first(records: list, kept: dict, record: DraftRecord, obj: dict) -> str:
    """Add the record unless its symbol came before; a warning when it did."""
    symbol = f"S/RES/{record.resolution_number} ({record.resolution_year})"
    if symbol not in kept:
        kept[symbol] = (len(records), obj)
        records.append(record)
        return ""
    index, first = kept[symbol]
    where = f"{records[index].location} and {record.location}"
    if obj == first:
        return f"{symbol} appears twice ({where}), identical: the first is kept."
    _flag(
        records,
        index,
        f"The file describes {symbol} again at {record.location}, differing in "
        f"{_differences(first, obj)}; this first object is kept.",
    )
    return f"{symbol} appears twice ({where}) and differs: the first is kept."


def _missing_numbers(records: list[DraftRecord]) -> list[str]:
    numbers = {r.resolution_number for r in records}
    if not numbers:
        return []
    missing = sorted(set(range(min(numbers), max(numbers) + 1)) - numbers)
    if not missing:
        return []
    return [
        f"No object for resolution(s) {', '.join(map(str, missing))} "
        f"between {min(numbers)} and {max(numbers)}."
    ]
