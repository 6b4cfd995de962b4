"""The record grown N times, for benchmarks and query budgets (``manage.py bench_scale``).

Each copy k (1 … N-1) repeats every meeting, draft, member vote, veto, standing,
disagreement and subject link under new, clearly fake symbols: S/2022/431
becomes S/X1/2022/431, S/PV.9048 becomes S/X1/PV.9048, resolution 2627 becomes
12627 (the number plus k times the next power of ten). Dates are kept, so every
year holds N times its votes, as a record N times as dense would. Ids are
shifted by k times the largest id, so every unique constraint holds.

The copy is set-based: one ``INSERT … SELECT`` per table and copy, on
PostgreSQL and SQLite alike, with no model instance per row. The command
refreshes the outcomes afterwards, through the one writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from resolutions.models import Disagreement, Draft, Meeting, Standing
from votes.models import MemberVote, Veto

# Symbols a copy is given start with this: "S/X1/…".
FAKE = "S/X"


class AlreadyGrown(Exception):
    """The database already holds copies: growing it again would copy the copies."""


@dataclass(frozen=True)
class Shift:
    """How copy k moves ids and numbers: k times each offset."""

    draft: int
    meeting: int
    resolution: int


def shift_of() -> Shift:
    """Offsets larger than any id or resolution number held."""
    top = Draft.objects.aggregate(Max("resolution_number"))["resolution_number__max"] or 0
    return Shift(
        draft=Draft.objects.aggregate(Max("pk"))["pk__max"] or 0,
        meeting=Meeting.objects.aggregate(Max("pk"))["pk__max"] or 0,
        resolution=10 ** len(str(top)),
    )


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _fake(column: str, k: int) -> str:
    """SQL renaming a symbol for copy k: S/2022/431 -> S/X1/2022/431 ('' stays '')."""
    col = _q(column)
    return (
        f"CASE WHEN {col} = '' THEN '' WHEN SUBSTR({col}, 1, 2) = 'S/' "
        f"THEN '{FAKE}{k}/' || SUBSTR({col}, 3) ELSE '{FAKE}{k}/' || {col} END"
    )


def _fake_json(column: str, k: int) -> str:
    """SQL renaming the symbols inside a JSON column for copy k ("S/…" strings become
    "S/Xk/…"), as ``_fake`` renames the symbol columns.

    Copied verbatim, each draft's ``sources`` was stored N times over, so ANALYZE found
    the copies' duplicates as the column's most common values (100 of them at 10x, none
    at 1x, where every draft's sources differ) and the planner weighed each ``sources ?
    '…'`` against them: the eighteen index lookups of the sources' spans
    (resolutions.coverage.source_spans, on /data/ and every counting page) took twice
    the planning time at 10x. Renamed, each copy's sources name its own symbols, as a
    denser record's would.
    """
    # JSON text on SQLite; jsonb on PostgreSQL, replaced as text and cast back.
    postgres = connection.vendor == "postgresql"
    text = f"{_q(column)}::text" if postgres else _q(column)
    replaced = f"""REPLACE({text}, '"S/', '"{FAKE}{k}/')"""
    return f"({replaced})::jsonb" if postgres else replaced


def _copy(model: type[models.Model], replaced: dict[str, str], where: str, params=()) -> None:
    """INSERT … SELECT of every row matching ``where``, some columns replaced by SQL.

    The id is copied only when ``replaced`` shifts it; otherwise the table numbers it.
    """
    # A generated column (GeneratedField) is computed by the database, never inserted.
    columns = [f.column for f in model._meta.concrete_fields if not f.generated]
    columns = [c for c in columns if c != "id" or "id" in replaced]
    select = ", ".join(replaced.get(c, _q(c)) for c in columns)
    table = _q(model._meta.db_table)
    names = ", ".join(_q(c) for c in columns)
    # Every name is a model's own column and every value an integer or a parameter.
    sql = f"INSERT INTO {table} ({names}) SELECT {select} FROM {table} WHERE {where}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def _shifted(column: str, offset: int) -> str:
    return f"{_q(column)} + {offset}"


def _copy_drafts(k: int, shift: Shift) -> None:
    _copy(
        Meeting,
        {"id": _shifted("id", k * shift.meeting), "symbol": _fake("symbol", k)},
        f"id <= {shift.meeting}",
    )
    _copy(
        Draft,
        {
            "id": _shifted("id", k * shift.draft),
            "draft_symbol": _fake("draft_symbol", k),
            "sources": _fake_json("sources", k),
            "resolution_number": _shifted("resolution_number", k * shift.resolution),
            "meeting_id": _shifted("meeting_id", k * shift.meeting),
            # A new updated_at: the data version moves, so no cached page survives.
            "updated_at": "%s",
        },
        f"id <= {shift.draft}",
        [timezone.now()],
    )


def _copy_dependents(k: int, shift: Shift) -> None:
    draft_id = {"draft_id": _shifted("draft_id", k * shift.draft)}
    for model in (MemberVote, Veto, Standing, Disagreement):
        _copy(model, draft_id, f"draft_id <= {shift.draft}")
    _copy(Draft.subjects.through, draft_id, f"draft_id <= {shift.draft}")


def _reset_sequences() -> None:
    """PostgreSQL's id sequences past the copied ids (nothing to do on SQLite)."""
    tables = [Meeting, Draft, MemberVote, Veto, Standing, Disagreement, Draft.subjects.through]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), tables):
            cursor.execute(sql)


def grow(factor: int) -> list[int]:
    """Copy the record so that it holds ``factor`` times its drafts; the new drafts' ids.

    Refused (AlreadyGrown) when copies are already there. One transaction.
    """
    if factor < 2:
        return []
    if Draft.objects.filter(draft_symbol__startswith=FAKE).exists():
        raise AlreadyGrown("this database already holds copies (symbols starting S/X)")
    with transaction.atomic():
        shift = shift_of()
        for k in range(1, factor):
            _copy_drafts(k, shift)
            _copy_dependents(k, shift)
        _reset_sequences()
    return list(Draft.objects.filter(pk__gt=shift.draft).values_list("pk", flat=True))
