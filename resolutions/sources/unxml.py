"""Parser for the UN DGACM Akoma Ntoso XML of Security Council drafts not adopted (2023 on).

Source: GitHub repository UNxml/SCresolutions, ``Not adopted/English/*.xml``; one file per
draft put to the vote and not adopted. What each file gives, and where:

* the draft symbol twice: in the FRBR identifiers (``/unsc/2023-03-27/2023-212/``) and in
  the cover page's ``<docNumber>``; they must agree;
* the outcome as a workflow ``<step>`` (``notAdopted`` or ``veto``), whose date is the
  vote's, whose ``as`` is the meeting record and whose ``by`` is the outcome statement;
* one ``<count refersTo="inFavour|against|abstaining" value="013">`` per position, listing
  the members by name (upper case, no codes) and stating a count;
* keywords: UNBIS subjects, the agenda item (dictionary ``S/``), and the title.

The files never list an empty position, so a missing list among in favour, against and
abstaining is recorded as a total of 0 once the file has any list at all.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from lxml import etree

from resolutions.sources.reading import check_total_size, decode_text, read_bytes
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    check_council_date,
    normalise_symbol,
)
from resolutions.sources.values import listed_sponsors
from votes.choices import Modality, Outcome, Position, Source

AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
NS = {"a": AKN}

# Both the upper-case names of the voting lists and the statement's "China", "United States".
PERMANENT_MEMBERS = {
    "china": "CHN",
    "france": "FRA",
    "russian federation": "RUS",
    "united kingdom": "GBR",
    "united kingdom of great britain and northern ireland": "GBR",
    "united states": "USA",
    "united states of america": "USA",
}

# refersTo of a <count>, case-folded -> (position, not_present, did_not_participate).
# The non-voting names are guesses at the vocabulary: no file so far has such a list.
POSITION_LISTS = {
    "infavour": (Position.YES.value, False, False),
    "against": (Position.NO.value, False, False),
    "abstaining": (Position.ABSTAIN.value, False, False),
    "notvoting": (Position.NON_VOTING.value, False, False),
    "nonvoting": (Position.NON_VOTING.value, False, False),
    "notparticipating": (Position.NON_VOTING.value, False, True),
    "absent": (Position.NON_VOTING.value, True, False),
    "notpresent": (Position.NON_VOTING.value, True, False),
}
POSITION_WORDS = {"Y": "in favour", "N": "against", "A": "abstaining", "X": "not voting"}

OUTCOME_STEPS = {"notadopted": Outcome.NOT_ADOPTED.value, "veto": Outcome.VETOED.value}
OTHER_STEPS = {"draftresolution", "draftresolutionadditionalsponsors"}

_FRBR_ID = re.compile(r"/unsc/(\d{4}-\d{2}-\d{2})/(\d{4})-(\d+)/")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _where(element: etree._Element) -> str:
    return f"line {element.sourceline}" if element.sourceline else ""


def _describe(element: etree._Element) -> str:
    attrs = " ".join(f'{etree.QName(k).localname}="{v}"' for k, v in element.attrib.items())
    return f"<{_local(element)}{' ' + attrs if attrs else ''}>"


def _load(source: Path | bytes, name: str | None) -> tuple[str, etree._Element]:
    """Read and parse the XML, refusing entities and network access."""
    file = name or ("<bytes>" if isinstance(source, bytes) else source.name)
    data = read_bytes(source, file)
    decode_text(data, file)  # empty, binary and non-UTF-8 files are refused alike
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        reason = f"not well-formed XML: {exc.msg}"
        if line >= data.count(b"\n") + 1:  # the error is at the very end
            reason += "; the file may be cut short"
        raise SourceError(file, f"line {line}", reason) from exc
    if root.tag != f"{{{AKN}}}akomaNtoso":
        raise SourceError(file, _where(root), f"root element {_describe(root)} is not akomaNtoso")
    return file, root


def _parse_date(file: str, element: etree._Element, value: str | None) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise SourceError(
            file, _where(element), f"{_describe(element)} has no valid date ({value!r})"
        ) from exc


def _symbol(file: str, root: etree._Element) -> tuple[str, set[str]]:
    """The draft symbol, checked between the FRBR identifiers and <docNumber>."""
    frbr_symbols, frbr_dates = _frbr_ids(root)
    if len(frbr_symbols) > 1:
        raise SourceError(
            file, "<identification>", f"the FRBR identifiers disagree: {sorted(frbr_symbols)}"
        )
    own = _doc_number(file, root, frbr_symbols)  # checked even when the FRBR ids give it
    symbols = frbr_symbols or own
    if not symbols:
        raise SourceError(
            file, "<identification>", "no draft symbol: no FRBR identifier nor <docNumber>"
        )
    return symbols.pop(), frbr_dates


def _doc_number(file: str, root: etree._Element, frbr_symbols: set[str]) -> set[str]:
    """The symbol <docNumber> gives (empty if none), which must agree with the FRBR ids."""
    numbers = root.findall(".//a:docNumber", NS)
    own = {normalise_symbol(n.text or "") for n in numbers} - {""}
    if len(own) > 1:
        raise SourceError(file, _where(numbers[0]), f"<docNumber> elements disagree: {own}")
    if frbr_symbols and own and frbr_symbols != own:
        raise SourceError(
            file,
            _where(numbers[0]),
            f"<docNumber> gives {own.pop()} but the FRBR identifiers give {frbr_symbols.pop()}",
        )
    return own


def _frbr_ids(root: etree._Element) -> tuple[set[str], set[str]]:
    """The draft symbols and dates the FRBR identifiers give (``/unsc/2023-03-27/2023-212/``)."""
    symbols: set[str] = set()
    dates: set[str] = set()
    for element in root.iterfind(".//a:meta/a:identification//*[@value]", NS):
        match = _FRBR_ID.search(element.get("value", ""))
        if match and _local(element) in {"FRBRthis", "FRBRuri"}:
            dates.add(match.group(1))
            symbols.add(f"S/{match.group(2)}/{int(match.group(3))}")
    return symbols, dates


def _outcome_step(file: str, root: etree._Element) -> etree._Element:
    """The one workflow step that states the outcome; any unknown step is an error."""
    found = []
    for step in root.iterfind(".//a:meta/a:workflow/a:step", NS):
        kind = (step.get("outcome") or "").strip().casefold()
        if kind in OUTCOME_STEPS:
            found.append(step)
        elif kind not in OTHER_STEPS:
            raise SourceError(file, _where(step), f"unknown workflow step {_describe(step)}")
    if len(found) != 1:
        message = f"expected one workflow step notAdopted or veto, found {len(found)}"
        raise SourceError(file, "<workflow>", message)
    return found[0]


def _codes_named(text: str) -> tuple[str, ...]:
    """Permanent members named in parentheses, as in "(China and Russian Federation)"."""
    codes: list[str] = []
    for group in _PARENTHESES.findall(text):
        for part in re.split(r",|\band\b", group):
            code = PERMANENT_MEMBERS.get(" ".join(part.split()).casefold())
            if code and code not in codes:
                codes.append(code)
    return tuple(codes)


def _read_voting(file: str, root: etree._Element, flags: list[str], extra: dict) -> tuple:
    """Votes and stated totals {position: int | None} from the <voting> element."""
    votings = root.findall(".//a:voting", NS)
    if len(votings) > 1:
        raise SourceError(file, _where(votings[1]), "more than one <voting> element")
    if not votings:
        flags.append("The XML has no <voting> element: no member votes or totals.")
        return (), {}
    stated: dict[str, int | None] = {}
    listed: list[VoteRecord] = []
    for child in votings[0]:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if _local(child) == "quorum":
            _read_quorum(child, extra)
        else:
            listed += _read_count(file, child, stated, flags)
    if not stated:
        flags.append("The voting data is empty: the <voting> element lists no votes or totals.")
        return (), {}
    return _check_lists(listed, stated, flags), stated


def _read_quorum(child: etree._Element, extra: dict) -> None:
    if (child.get("value") or "").strip():
        extra["quorum"] = child.get("value").strip()


def _read_count(file: str, child: etree._Element, stated: dict, flags: list[str]) -> list:
    """One <count> list: its stated count goes to ``stated``; its members are returned."""
    if _local(child) != "count":
        raise SourceError(file, _where(child), f"unknown element {_describe(child)} in voting")
    rule = POSITION_LISTS.get((child.get("refersTo") or "").strip().casefold())
    if rule is None:
        raise SourceError(file, _where(child), f"unknown position list {_describe(child)}")
    position, absent, no_part = rule
    if position in stated:
        raise SourceError(file, _where(child), f"second list for {POSITION_WORDS[position]}")
    stated[position] = _stated_count(file, child, flags, position)
    return [
        # The lists carry names only (no state codes), so code stays blank.
        VoteRecord(position, name=member, not_present=absent, did_not_participate=no_part)
        for member in _members(file, child)
    ]


def _stated_count(file: str, child: etree._Element, flags: list[str], position: str) -> int | None:
    value = (child.get("value") or "").strip()
    if value and not value.isdigit():
        raise SourceError(file, _where(child), f"{_describe(child)}: count is not a number")
    if not value:
        flags.append(f"The XML states no count for {POSITION_WORDS[position]}.")
    return int(value) if value else None


def _members(file: str, count: etree._Element) -> list[str]:
    members = []
    for organization in count.iter(f"{{{AKN}}}organization"):
        member = " ".join((organization.text or "").split())
        if not member:
            raise SourceError(file, _where(organization), "<organization> without a name")
        members.append(member)
    return members


def _check_lists(listed: list, stated: dict, flags: list[str]) -> tuple[VoteRecord, ...]:
    """Flag counts that disagree with their lists; note members listed more than once."""
    per_position = Counter(vote.position for vote in listed)
    for position, count in stated.items():
        if count is not None and count != per_position[position]:
            flags.append(
                f"The XML states {count} {POSITION_WORDS[position]} "
                f"but lists {per_position[position]} members."
            )
    return _note_listed_twice(listed, flags)


def _note_listed_twice(listed: list[VoteRecord], flags: list[str]) -> tuple[VoteRecord, ...]:
    """A member listed more than once keeps every listing, each noted; flagged once."""
    positions_of: dict[str, list[str]] = {}
    for vote in listed:
        positions_of.setdefault(vote.name.casefold(), []).append(vote.position)
    votes = []
    for vote in listed:
        positions = positions_of[vote.name.casefold()]
        if len(positions) > 1:
            words = " and ".join(POSITION_WORDS[p] for p in positions)
            vote = replace(vote, note=f"Listed {len(positions)} times: {words}")
            flag = f"{vote.name} is listed {len(positions)} times: {words}; all kept."
            if flag not in flags:
                flags.append(flag)
        votes.append(vote)
    return tuple(votes)


def _vetoers(outcome: str, votes: tuple, statement: str, flags: list[str]) -> tuple[str, ...]:
    """Permanent members voting against, checked against the statement and Article 27."""
    against = _permanent_against(votes)
    named = _codes_named(statement) if outcome == Outcome.VETOED.value else ()
    if not votes:
        if named:
            flags.append(
                f"No voting lists: vetoing member(s) {', '.join(named)} taken from the "
                "outcome statement."
            )
        return named
    yes = sum(vote.position == Position.YES.value for vote in votes)
    if outcome == Outcome.VETOED.value:
        flags += _veto_doubts(yes, against, named)
        return tuple(against)
    if against and yes >= 9:
        flags.append(
            f"The workflow says not adopted, but the lists have {yes} in favour and "
            f"{', '.join(against)} against, which would be a veto."
        )
    return ()


def _permanent_against(votes: tuple) -> list[str]:
    codes = (
        PERMANENT_MEMBERS.get(v.name.casefold()) for v in votes if v.position == Position.NO.value
    )
    return list(dict.fromkeys(code for code in codes if code))


def _veto_doubts(yes: int, against: list[str], named: tuple[str, ...]) -> list[str]:
    """What in the lists does not bear out a veto."""
    doubts = []
    if not against:
        doubts.append("The workflow says veto, but no permanent member is listed against.")
    if yes < 9:
        doubts.append(f"The workflow says veto, but only {yes} members are listed in favour.")
    if set(named) != set(against):
        doubts.append(
            f"The outcome statement names {', '.join(named) or 'no member'} as vetoing, "
            f"the lists have {', '.join(against) or 'none'} against."
        )
    return doubts


def _keywords(root: etree._Element, extra: dict) -> tuple[str, str, tuple[str, ...]]:
    """Title, agenda item and UNBIS subjects; the other keyword kinds go to ``extra``."""
    found: dict[str, list[str]] = {}
    for keyword in root.iterfind(".//a:meta/a:classification/a:keyword", NS):
        kind, text = _keyword(keyword)
        found.setdefault(kind, []).append(text)
    extra.update({k: v for k, v in found.items() if k not in ("title", "agenda", "subjects")})
    title = next((title for title in found.get("title", []) if title), "")
    return (
        title,
        "; ".join(found.get("agenda", [])),
        tuple(dict.fromkeys(found.get("subjects", []))),
    )


def _keyword(keyword: etree._Element) -> tuple[str, str]:
    """What one keyword is (title, agenda, subjects or a kind kept in extra) and its text."""
    value = " ".join((keyword.get("value") or "").split())
    shown = " ".join((keyword.get("showAs") or value).split())
    dictionary = keyword.get("dictionary") or ""
    refers = keyword.get("refersTo") or ""
    if refers == "title":
        return "title", value
    if refers == "agenda":
        return ("agenda" if dictionary == "S/" else "agenda_subjects"), shown
    if dictionary == "UNBIS Thesaurus":
        return "subjects", value
    if dictionary == "DHLAUTH":
        return "authorities", value
    return "other_keywords", f"{dictionary}: {value}"


_IDENTIFICATION = ".//a:meta/a:identification/"


def _dates_and_sponsors(
    file: str, root: etree._Element, voted: date, uri_dates: set[str], flags: list, extra: dict
) -> None:
    """Check the FRBR work date against the vote; keep markup and issue dates and sponsors."""
    _check_work_dates(root, voted, uri_dates, flags)
    markup = root.find(_IDENTIFICATION + "a:FRBRManifestation/a:FRBRdate[@name='markup']", NS)
    if markup is not None:
        extra["markup_date"] = _parse_date(file, markup, markup.get("date")).isoformat()
    issued = root.find(".//a:docDate", NS)
    if issued is not None and issued.get("date"):
        extra["issued"] = issued.get("date")
    extra.update(_sponsors(root))


def _check_work_dates(root: etree._Element, voted: date, uri_dates: set[str], flags: list) -> None:
    work_dates = set(uri_dates)
    for frbr_date in root.iterfind(_IDENTIFICATION + "a:FRBRWork/a:FRBRdate", NS):
        work_dates.add(frbr_date.get("date") or "")
        if frbr_date.get("name") not in {"voting", None}:
            flags.append(f'The FRBRWork date is labelled "{frbr_date.get("name")}", not "voting".')
    if work_dates - {voted.isoformat()}:
        flags.append(
            f"The FRBR work date(s) {', '.join(sorted(work_dates))} differ from the "
            f"vote date {voted.isoformat()} in the workflow step."
        )


def _sponsors(root: etree._Element) -> dict[str, str]:
    """The sponsors, and the additional sponsors, as the workflow steps name them."""
    found = {}
    for step in root.iterfind(".//a:meta/a:workflow/a:step", NS):
        kind = (step.get("outcome") or "").strip().casefold()
        sponsors = (step.get("by") or "").strip()
        if kind in OTHER_STEPS and sponsors:
            found["sponsors" if kind == "draftresolution" else "additional_sponsors"] = sponsors
    return found


def parse_file(source: Path | bytes, *, name: str | None = None) -> DraftRecord:
    """One Akoma Ntoso file -> the draft it describes, with its votes and flags."""
    file, root = _load(source, name)
    symbol, uri_dates = _symbol(file, root)
    step = _outcome_step(file, root)
    outcome = OUTCOME_STEPS[step.get("outcome").strip().casefold()]
    voted = check_council_date(
        _parse_date(file, step, step.get("date")), file, _where(step), "the vote date"
    )
    flags: list[str] = []
    extra: dict = {"workflow_outcome": step.get("outcome"), "statement": step.get("by") or ""}

    _dates_and_sponsors(file, root, voted, uri_dates, flags, extra)

    title, agenda, subjects = _keywords(root, extra)
    if not title:
        flags.append("The XML has no title keyword.")
    if not agenda:
        flags.append("The XML has no agenda item keyword (dictionary S/).")
    votes, stated = _read_voting(file, root, flags, extra)
    vetoed_by = _vetoers(outcome, votes, extra["statement"], flags)
    # Only the three lists these files use count as 0 when missing; non-voting stays unknown.
    if stated:
        totals = {p: stated.get(p, 0) for p in "YNA"} | {"X": stated.get("X")}
    else:
        totals = dict.fromkeys("YNAX")

    return DraftRecord(
        source=Source.UNXML.value,
        location=file,
        date=voted,
        draft_symbol=symbol,
        meeting_symbol=normalise_symbol(step.get("as") or ""),
        title=title,
        agenda=agenda,
        subjects=subjects,
        sponsors=listed_sponsors([extra.get("sponsors", ""), extra.get("additional_sponsors", "")]),
        modality=Modality.RECORDED_VOTE.value if votes else "",
        recorded_yes=totals["Y"],
        recorded_no=totals["N"],
        recorded_abstain=totals["A"],
        recorded_non_voting=totals["X"],
        outcome=outcome,
        vetoed_by=vetoed_by,
        votes=votes,
        url=f"https://undocs.org/en/{symbol}",
        flags=tuple(flags),
        extra=extra,
    )


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    """A directory of these files (all *.xml, sorted), one file, or the bytes of one file.

    The version is the newest FRBRManifestation markup date across the files.
    """
    location, records = _parse_files(source, name)
    _check_one_file_per_draft(records)
    warnings = tuple(
        f"{record.location}: no FRBRManifestation markup date"
        for record in records
        if "markup_date" not in record.extra
    )
    dates = [record.extra["markup_date"] for record in records if "markup_date" in record.extra]
    return ParsedSource(
        source=Source.UNXML.value,
        version=max(dates, default=""),
        location=location,
        records=tuple(records),
        warnings=warnings,
    )


def _parse_files(source: Path | bytes, name: str | None) -> tuple[str, list[DraftRecord]]:
    if isinstance(source, bytes):
        return name or "<bytes>", [parse_file(source, name=name)]
    location = name or str(source)
    if source.is_dir():
        files = sorted(source.glob("*.xml"))
        if not files:
            raise SourceError(location, "", "the directory holds no .xml files")
        check_total_size(files, location)
        return location, [parse_file(path) for path in files]
    if source.is_file():
        return location, [parse_file(source, name=name)]
    raise SourceError(location, "", "no such file or directory")


def _check_one_file_per_draft(records: list[DraftRecord]) -> None:
    seen: dict[str, str] = {}
    for record in records:
        if record.draft_symbol in seen:
            raise SourceError(
                record.location,
                "",
                f"{record.draft_symbol} is also described by {seen[record.draft_symbol]}",
            )
        seen[record.draft_symbol] = record.location
