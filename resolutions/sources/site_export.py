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

from resolutions.exports import VOTES_COLUMNS, restore
from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    parse_resolution_symbol,
)
from votes.choices import Modality, NonVoting, Outcome, Position, Source
from votes.outcome import SEAT_ORDER

REQUIRED = ("date",)
IDENTIFYING = ("record_id", "resolution", "draft_symbol")


def parse(source: Path | bytes, *, name: str | None = None) -> ParsedSource:
    display = name or (source.name if isinstance(source, Path) else "<bytes>")
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(display, f"line {line}", "the file is not UTF-8 text") from exc
    if text.lstrip().startswith("{"):
        groups = _json_groups(text, display)
    else:
        groups = _csv_groups(text, display)
    records = tuple(_record(rows, where, display) for where, rows in groups)
    return ParsedSource(
        source=Source.EDITOR, version=date.today().isoformat(), location=display, records=records
    )


def _csv_groups(text: str, display: str) -> list[tuple[str, list[dict]]]:
    reader = csv.DictReader(io.StringIO(text))
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in columns]
    if "ms_code" in columns and "ms_vote" not in columns:
        missing.append("ms_vote")
    if missing or not any(c in columns for c in IDENTIFYING):
        wanted = missing or [" or ".join(IDENTIFYING)]
        raise SourceError(display, "line 1", "missing columns: " + ", ".join(wanted))
    unknown = [c for c in columns if c not in VOTES_COLUMNS]
    if unknown:
        raise SourceError(display, "line 1", "unknown columns: " + ", ".join(unknown))
    # Rows of one draft need not be next to each other: a spreadsheet sorted by
    # member code interleaves drafts. They are grouped by the draft's key.
    groups: dict[tuple, tuple[str, list[dict]]] = {}
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise SourceError(display, f"line {line}", "more fields than the header has")
        row = {k: restore(v or "") for k, v in row.items()}
        groups.setdefault(_key(row), (f"line {line}", []))[1].append({**row, "_line": line})
    return list(groups.values())


def _json_groups(text: str, display: str) -> list[tuple[str, list[dict]]]:
    try:
        document = json.loads(text)
        drafts = document["drafts"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(display, "", f"not an SC Votes JSON export ({exc})") from exc
    groups = []
    for number, item in enumerate(drafts, start=1):
        if not isinstance(item, dict):
            raise SourceError(display, f"draft {number}", "not an object")
        votes = item.get("votes") or [{}]
        if not isinstance(votes, list) or not all(isinstance(v, dict) for v in votes):
            raise SourceError(display, f"draft {number}", "votes must be a list of objects")
        fields = {k: "" if v is None else str(v) for k, v in item.items() if k != "votes"}
        groups.append(
            (
                f"draft {number}",
                [
                    {**fields, **{k: str(v) for k, v in vote.items()}, "_line": number}
                    for vote in votes
                ],
            )
        )
    return groups


def _key(row: dict) -> tuple:
    return (
        row.get("record_id", ""),
        row.get("resolution", ""),
        row.get("draft_symbol", ""),
        row.get("date", ""),
        row.get("meeting", ""),
    )


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


def _record(rows: list[dict], where: str, display: str) -> DraftRecord:
    first = rows[0]
    for row in rows:
        at = f"line {row['_line']}" if where.startswith("line") else where
        for column in ("date", "resolution", "draft_symbol", "meeting", "record_id"):
            if row.get(column, "") != first.get(column, ""):
                raise SourceError(display, at, f"{column} differs from the draft's first row")
    try:
        on = date.fromisoformat(first.get("date", "").strip())
    except ValueError as exc:
        raise SourceError(display, where, f"date {first.get('date')!r} is not YYYY-MM-DD") from exc
    resolution = first.get("resolution", "").strip()
    number = year = None
    if resolution:
        parsed = parse_resolution_symbol(resolution)
        if parsed is None:
            raise SourceError(display, where, f"resolution {resolution!r} is not S/RES/n (year)")
        number, year = parsed
    votes = tuple(_vote(row, display, where) for row in rows if row.get("ms_code", "").strip())
    modality = _choice(first.get("modality", ""), Modality.values, "modality", display, where)
    stated = _choice(
        first.get("stated_outcome", ""), Outcome.values, "stated_outcome", display, where
    )
    procedural = first.get("procedural", "").strip().lower()
    _choice(procedural, {"yes", "no"}, "procedural", display, where)
    record_id = _int(first, "record_id", display, where)
    if on > date.today():
        raise SourceError(display, where, f"the date {on} is in the future")
    undl_id = first.get("undl_record_id", "").strip()
    if undl_id and not (undl_id.isdigit() and len(undl_id) <= 20):
        raise SourceError(display, where, f"undl_record_id {undl_id!r} is not a record number")
    vetoers = tuple(s for s in first.get("stated_vetoed_by", "").split("|") if s)
    unknown = [s for s in vetoers if s not in SEAT_ORDER]
    if unknown:
        raise SourceError(
            display,
            where,
            f"stated_vetoed_by {'|'.join(unknown)!r}: seats are {', '.join(SEAT_ORDER)}",
        )
    if number is not None and stated and stated != Outcome.ADOPTED:
        raise SourceError(
            display,
            where,
            f"a resolution number on a draft stated as {stated}: only adopted drafts have one",
        )
    for column, limit in (
        ("draft_symbol", 60),
        ("meeting", 40),
        ("press_release", 40),
        ("title", 1000),
    ):
        if len(first.get(column, "")) > limit:
            raise SourceError(display, where, f"{column} is longer than {limit} characters")
    provenance = [first.get("source", ""), first.get("source_version", "")]
    return DraftRecord(
        source=Source.EDITOR,
        location=where,
        date=on,
        draft_symbol=first.get("draft_symbol", "").strip(),
        resolution_number=number,
        resolution_year=year,
        meeting_symbol=first.get("meeting", "").strip(),
        press_release=first.get("press_release", "").strip(),
        title=first.get("title", ""),
        description=first.get("description", ""),
        agenda=first.get("agenda", ""),
        subjects=tuple(s for s in first.get("subjects", "").split("|") if s),
        modality=modality,
        procedural={"yes": True, "no": False}.get(procedural),
        recorded_yes=_int(first, "recorded_yes", display, where),
        recorded_no=_int(first, "recorded_no", display, where),
        recorded_abstain=_int(first, "recorded_abstain", display, where),
        recorded_non_voting=_int(first, "recorded_non_voting", display, where),
        recorded_members=_int(first, "recorded_members", display, where),
        outcome=stated,
        vetoed_by=vetoers,
        votes=votes,
        undl_id=undl_id,
        extra={
            "record_id": record_id,
            "provenance": provenance if any(provenance) else None,
            # Our dumps say "unknown" where the sources do not settle a vote
            # (S/5095); such a record may be published so (check_votes).
            "outcome_unknown": first.get("outcome", "").strip().lower() == Outcome.UNKNOWN,
        },
    )


def _vote(row: dict, display: str, where: str) -> VoteRecord:
    at = f"line {row['_line']}" if where.startswith("line") else where
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
    )
