"""Read the site's own export format back (``manage.py import_votes``).

Editors bulk-enter votes from a spreadsheet saved in the export's CSV layout
(see ``resolutions.exports`` and the data dictionary page), or load a JSON
export. Rows become DraftRecords from the editor, validated and loaded like
any official source: bad input names the file, the line and the reason, and
nothing is written. The computed columns (outcome, vetoed_by, tally_*) are
not read as facts: outcomes are always recomputed by the engine. The one use
of ``outcome`` is "unknown", which lets a record the sources do not settle be
published as undecided instead of refused.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from resolutions.export_format import VOTES_COLUMNS, restore
from resolutions.sources.reading import check_last_line_ends, read_text
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    check_council_date,
    parse_resolution_symbol,
)
from votes.choices import Modality, NonVoting, Outcome, Position, Source
from votes.outcome import SEAT_ORDER

REQUIRED = ("date",)
IDENTIFYING = ("record_id", "resolution", "draft_symbol")
# The columns that say which draft a row is about: every row of one draft agrees on them.
DRAFT_KEY = ("record_id", "resolution", "draft_symbol", "date", "meeting")
LONGEST = (("draft_symbol", 60), ("meeting", 40), ("press_release", 40), ("title", 1000))


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    display = name or (source.name if isinstance(source, Path) else "<bytes>")
    text = read_text(source, display)
    if text.lstrip().startswith("{"):
        groups = _json_groups(text, display)
    else:
        groups = _csv_groups(text, display)
    records = tuple(_record(rows, where, display) for where, rows in groups)
    return ParsedSource(
        source=Source.EDITOR, version=date.today().isoformat(), location=display, records=records
    )


# CSV --------------------------------------------------------------------------


def _csv_groups(text: str, display: str) -> list[tuple[str, list[dict]]]:
    check_last_line_ends(text, display)
    reader = csv.DictReader(io.StringIO(text))
    _check_columns(reader.fieldnames or [], display)
    # Rows of one draft need not be next to each other: a spreadsheet sorted by
    # member code interleaves drafts. They are grouped by the draft's key.
    groups: dict[tuple, tuple[str, list[dict]]] = {}
    for line, row in enumerate(reader, start=2):
        _check_width(row, display, line)
        row = {k: restore(v or "") for k, v in row.items()}
        group = groups.setdefault(_key(row), (f"line {line}", []))[1]
        _check_not_repeated(group, row, display, f"line {line}")
        group.append({**row, "_line": line})
    return list(groups.values())


def _check_columns(columns: list[str], display: str) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    missing += ["ms_vote"] if "ms_code" in columns and "ms_vote" not in columns else []
    if missing or not any(c in columns for c in IDENTIFYING):
        wanted = missing or [" or ".join(IDENTIFYING)]
        raise SourceError(display, "line 1", "missing columns: " + ", ".join(wanted))
    _check_known(columns, display)


def _check_known(columns: list[str], display: str) -> None:
    unknown = [c for c in columns if c not in VOTES_COLUMNS]
    if unknown:
        raise SourceError(display, "line 1", "unknown columns: " + ", ".join(unknown))


def _check_width(row: dict, display: str, line: int) -> None:
    if None in row:
        raise SourceError(display, f"line {line}", "more fields than the header has")
    if None in row.values():
        raise SourceError(
            display, f"line {line}", "fewer fields than the header has: the file may be cut short"
        )


def _check_not_repeated(rows: list[dict], row: dict, display: str, where: str) -> None:
    """One row per member of a draft (or one row for a draft with no member votes)."""
    code = row.get("ms_code", "").strip().upper()
    for earlier in rows:
        if earlier.get("ms_code", "").strip().upper() == code:
            said = f"{code}'s vote" if code else "the draft"
            first = f"line {earlier['_line']}" if where.startswith("line") else "earlier"
            raise SourceError(display, where, f"{said} is given twice (also {first})")


# JSON -------------------------------------------------------------------------


def _json_groups(text: str, display: str) -> list[tuple[str, list[dict]]]:
    drafts = _json_drafts(text, display)
    groups, seen = [], {}
    for number, item in enumerate(drafts, start=1):
        where = f"draft {number}"
        rows = _json_rows(item, display, where)
        key = _key(rows[0])
        if key in seen:
            raise SourceError(display, where, f"the draft is given twice (also draft {seen[key]})")
        seen[key] = number
        groups.append((where, rows))
    return groups


def _json_drafts(text: str, display: str) -> list:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        if not text.rstrip().endswith("}"):  # an export ends with its document's "}"
            raise SourceError(
                display, f"line {exc.lineno}", "the JSON ends early: the file may be cut short"
            ) from exc
        raise SourceError(display, "", f"not an SC Votes JSON export ({exc})") from exc
    drafts = document.get("drafts") if isinstance(document, dict) else None
    if not isinstance(drafts, list):
        raise SourceError(display, "", "not an SC Votes JSON export (no list of drafts)")
    return drafts


def _json_rows(item, display: str, where: str) -> list[dict]:
    """A draft object as the CSV's rows: its fields beside each of its votes."""
    if not isinstance(item, dict):
        raise SourceError(display, where, "not an object")
    votes = _json_votes(item, display, where)
    fields = {k: "" if v is None else str(v) for k, v in item.items() if k != "votes"}
    rows: list[dict] = []
    for number, vote in enumerate(votes, start=1):
        row = {**fields, **{k: str(v) for k, v in vote.items()}, "_line": number}
        _check_not_repeated(rows, row, display, where)
        rows.append(row)
    return rows


def _json_votes(item: dict, display: str, where: str) -> list[dict]:
    votes = item.get("votes") or [{}]  # a draft with no member votes is one row
    if not isinstance(votes, list) or not all(isinstance(v, dict) for v in votes):
        raise SourceError(display, where, "votes must be a list of objects")
    return votes


# Records ------------------------------------------------------------------------


def _key(row: dict) -> tuple:
    return tuple(row.get(column, "") for column in DRAFT_KEY)


def _int(row: dict, column: str, display: str, where: str) -> int | None:
    value = row.get(column, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise SourceError(display, where, f"{column} {value!r} is not a whole number") from exc


def _choice(value: str, allowed, column: str, display: str, where: str) -> str:
    if value and value not in allowed:
        raise SourceError(
            display, where, f"{column} {value!r} is not one of {', '.join(sorted(allowed))}"
        )
    return value


def _row_place(row: dict, where: str) -> str:
    """A CSV row is named by its line; a JSON vote by its draft."""
    return f"line {row['_line']}" if where.startswith("line") else where


def _record(rows: list[dict], where: str, display: str) -> DraftRecord:
    first = rows[0]
    _check_rows_agree(rows, where, display)
    on = _date(first, display, where)
    number, year = _resolution(first, display, where)
    stated = _choice(
        first.get("stated_outcome", ""), Outcome.values, "stated_outcome", display, where
    )
    if number is not None and stated and stated != Outcome.ADOPTED:
        raise SourceError(
            display,
            where,
            f"a resolution number on a draft stated as {stated}: only adopted drafts have one",
        )
    _check_lengths(first, display, where)
    return DraftRecord(
        source=Source.EDITOR,
        location=where,
        date=on,
        draft_symbol=first.get("draft_symbol", "").strip(),
        resolution_number=number,
        resolution_year=year,
        meeting_symbol=first.get("meeting", "").strip(),
        press_release=first.get("press_release", "").strip(),
        # A title this site built is not a source's title: left out on import.
        title="" if first.get("title_built") == "yes" else first.get("title", ""),
        description=first.get("description", ""),
        agenda=first.get("agenda", ""),
        subjects=tuple(s for s in first.get("subjects", "").split("|") if s),
        sponsors=tuple(s for s in first.get("sponsors", "").split("|") if s),
        modality=_choice(first.get("modality", ""), Modality.values, "modality", display, where),
        procedural=_procedural(first, display, where),
        **_recorded(first, display, where),
        outcome=stated,
        vetoed_by=_vetoers(first, display, where),
        votes=tuple(_vote(row, display, where) for row in rows if row.get("ms_code", "").strip()),
        undl_id=_undl_id(first, display, where),
        extra=_extra(first, display, where),
    )


def _check_rows_agree(rows: list[dict], where: str, display: str) -> None:
    first = rows[0]
    for row in rows:
        for column in DRAFT_KEY:
            if row.get(column, "") != first.get(column, ""):
                raise SourceError(
                    display, _row_place(row, where), f"{column} differs from the draft's first row"
                )


def _date(first: dict, display: str, where: str) -> date:
    try:
        on = date.fromisoformat(first.get("date", "").strip())
    except ValueError as exc:
        raise SourceError(display, where, f"date {first.get('date')!r} is not YYYY-MM-DD") from exc
    return check_council_date(on, display, where)


def _resolution(first: dict, display: str, where: str) -> tuple[int | None, int | None]:
    resolution = first.get("resolution", "").strip()
    if not resolution:
        return None, None
    parsed = parse_resolution_symbol(resolution)
    if parsed is None:
        raise SourceError(display, where, f"resolution {resolution!r} is not S/RES/n (year)")
    return parsed


def _procedural(first: dict, display: str, where: str) -> bool | None:
    procedural = first.get("procedural", "").strip().lower()
    _choice(procedural, {"yes", "no"}, "procedural", display, where)
    return {"yes": True, "no": False}.get(procedural)


def _recorded(first: dict, display: str, where: str) -> dict[str, int | None]:
    columns = ("recorded_yes", "recorded_no", "recorded_abstain", "recorded_non_voting")
    return {c: _int(first, c, display, where) for c in (*columns, "recorded_members")}


def _vetoers(first: dict, display: str, where: str) -> tuple[str, ...]:
    vetoers = tuple(s for s in first.get("stated_vetoed_by", "").split("|") if s)
    unknown = [s for s in vetoers if s not in SEAT_ORDER]
    if unknown:
        raise SourceError(
            display,
            where,
            f"stated_vetoed_by {'|'.join(unknown)!r}: seats are {', '.join(SEAT_ORDER)}",
        )
    return vetoers


def _undl_id(first: dict, display: str, where: str) -> str:
    undl_id = first.get("undl_record_id", "").strip()
    if undl_id and not (undl_id.isdigit() and len(undl_id) <= 20):
        raise SourceError(display, where, f"undl_record_id {undl_id!r} is not a record number")
    return undl_id


def _check_lengths(first: dict, display: str, where: str) -> None:
    for column, limit in LONGEST:
        if len(first.get(column, "")) > limit:
            raise SourceError(display, where, f"{column} is longer than {limit} characters")


def _extra(first: dict, display: str, where: str) -> dict:
    provenance = [first.get("source", ""), first.get("source_version", "")]
    return {
        "record_id": _int(first, "record_id", display, where),
        "provenance": provenance if any(provenance) else None,
        # Our dumps say "unknown" where the sources do not settle a vote
        # (S/5095); such a record may be published so (check_votes).
        "outcome_unknown": first.get("outcome", "").strip().lower() == Outcome.UNKNOWN,
        # Whose list of sponsors the file gives (kept, so an export reads back the same).
        "sponsor_source": _choice(
            first.get("sponsor_source", ""), Source.values, "sponsor_source", display, where
        ),
    }


def _vote(row: dict, display: str, where: str) -> VoteRecord:
    at = _row_place(row, where)
    position = _choice(row.get("ms_vote", "").strip(), Position.values, "ms_vote", display, at)
    if not position:
        raise SourceError(display, at, "ms_vote is empty (use Y, N, A or X)")
    reason = _choice(row.get("non_voting", ""), NonVoting.values, "non_voting", display, at)
    return VoteRecord(
        position=position,
        code=row["ms_code"].strip().upper(),
        name=row.get("ms_name", ""),
        note=row.get("vote_note", ""),
        not_present=reason == NonVoting.NOT_PRESENT,
        did_not_participate=reason == NonVoting.DID_NOT_PARTICIPATE,
        source=_choice(row.get("vote_source", ""), Source.values, "vote_source", display, at),
    )
