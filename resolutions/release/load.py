"""Check a release whole, then load it into the database in one transaction.

Nothing is written until every file has been checked: its size and SHA-256
against ``datapackage.json``, its Table Schema against the models, its header
and every cell against the schema, and every reference between tables. A
tampered or truncated file is therefore a one-line ``ReleaseError`` and an
untouched database. Rows keep their ids (the permalinks ``/votes/<id>/``);
on PostgreSQL they go in with COPY and the id sequences are moved past them.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from resolutions.models import RecordVersion
from resolutions.release import ReleaseError
from resolutions.release.tables import TABLES, Table, decoder, field_type
from resolutions.search import refresh_search
from votes import yearly

csv.field_size_limit(2**31 - 1)  # a draft's provenance is one long JSON cell


@dataclass
class Release:
    folder: Path
    version: str
    package: dict
    # Per table: the model fields the file gives, and its rows as Python values.
    columns: dict[str, list] = field(default_factory=dict)
    rows: dict[str, list[list]] = field(default_factory=dict)

    def count(self, name: str) -> int:
        return len(self.rows[name])


def read(folder: Path) -> Release:
    """Every table of the release in ``folder``, checked; ReleaseError if anything is off."""
    folder = Path(folder)
    manifest = folder / "datapackage.json"
    package = _manifest(manifest, folder)
    resources = {r.get("name"): r for r in package.get("resources", [])}
    missing = [t.name for t in TABLES if t.name not in resources]
    if missing:
        raise ReleaseError(f"{manifest}: the release has no table {', '.join(missing)}")
    release = Release(folder, str(package.get("version", "")), package)
    # Every file's bytes first: a tampered release stops before any parsing.
    raw = {t.name: _checked_bytes(folder, resources[t.name]) for t in TABLES}
    for table in TABLES:
        resource = resources[table.name]
        columns = _checked_schema(table, resource)
        release.columns[table.name] = columns
        release.rows[table.name] = _decoded_rows(table, resource, columns, raw.pop(table.name))
    _check_references(release)
    return release


def _manifest(manifest: Path, folder: Path) -> dict:
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReleaseError(f"{manifest}: no such file (is {folder} a data release?)") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{manifest}: not valid JSON ({exc})") from None


def _checked_bytes(folder: Path, resource: dict) -> bytes:
    path = folder / str(resource.get("path", ""))
    if not path.is_file():
        raise ReleaseError(f"{path}: missing from the release")
    data = path.read_bytes()
    expected = str(resource.get("hash", ""))
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    if len(data) != resource.get("bytes") or digest != expected:
        raise ReleaseError(
            f"{path}: {len(data):,} bytes with {digest[:15]}…, but datapackage.json says "
            f"{resource.get('bytes', 0):,} bytes with {expected[:15]}…: the file was changed "
            "or cut short; rebuild the release (make release) or restore it"
        )
    return data


def _checked_schema(table: Table, resource: dict) -> list:
    """The model fields the file's schema gives, in its order; ReleaseError if they differ."""
    declared = resource.get("schema", {}).get("fields", [])
    ours = {f.attname: f for f in table.fields}
    columns, where = [], f"{table.path} (datapackage.json)"
    for item in declared:
        columns.append(ours.pop(_declared_field(table, item, ours, where)))
    # A field added after the release was built is filled with its default.
    unfilled = [f.attname for f in ours.values() if not (f.has_default() or f.null)]
    if unfilled:
        raise ReleaseError(
            f"{where}: no column for {', '.join(unfilled)}, which has no default: "
            "the release is older than the code; rebuild it (make release)"
        )
    return columns


def _declared_field(table: Table, item: dict, ours: dict, where: str) -> str:
    """The name of one declared column, which must be a field of ours, of its type."""
    name = item.get("name")
    if name not in ours:
        raise ReleaseError(
            f"{where}: column {name!r} is not a field of {table.model._meta.label} in "
            "this version of the code"
        )
    if item.get("type") != field_type(ours[name]):
        raise ReleaseError(
            f"{where}: column {name!r} is {item.get('type')}, "
            f"but {table.model._meta.label}.{name} is {field_type(ours[name])}"
        )
    return name


def _decoded_rows(table: Table, resource: dict, columns: list, data: bytes) -> list[list]:
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise ReleaseError(f"{table.path}: not a gzip'd UTF-8 file ({exc})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    names = [f.attname for f in columns]
    if header != names:
        raise ReleaseError(f"{table.path}: header {header} does not match its schema {names}")
    decoders = [decoder(f) for f in columns]
    rows = [
        _decoded_row(table, number, names, decoders, cells)
        for number, cells in enumerate(reader, start=1)
    ]
    if resource.get("sc_votes:rows") not in (None, len(rows)):
        raise ReleaseError(
            f"{table.path}: {len(rows)} rows, datapackage.json says {resource['sc_votes:rows']}"
        )
    return rows


def _decoded_row(table: Table, number: int, names: list, decoders: list, cells: list) -> list:
    if len(cells) != len(decoders):
        raise ReleaseError(
            f"{table.path}, row {number}: {len(cells)} cells, {len(decoders)} expected"
        )
    row = []
    for name, read, cell in zip(names, decoders, cells, strict=True):
        try:
            row.append(read(cell))
        except ValueError as exc:
            raise ReleaseError(
                f"{table.path}, row {number}, column {name}: {cell[:40]!r}: {exc}"
            ) from None
    return row


def _check_references(release: Release) -> None:
    """Ids are unique, and every reference names a row of the release."""
    ids: dict[str, set] = {}
    for table in TABLES:
        names = [f.attname for f in release.columns[table.name]]
        pk = names.index(table.model._meta.pk.attname)
        seen = {row[pk] for row in release.rows[table.name]}
        if len(seen) != release.count(table.name):
            raise ReleaseError(f"{table.path}: the same id appears twice")
        ids[table.name] = seen
        for position, column in enumerate(release.columns[table.name]):
            if column.is_relation:
                _check_reference(release, table, position, column, ids)


def _check_reference(release: Release, table: Table, position: int, column, ids: dict) -> None:
    """Every value of one reference column names a row of a table loaded before."""
    target = next(t for t in TABLES if t.model is column.related_model)
    known = ids.get(target.name)
    if known is None:
        raise ReleaseError(f"{table.path}: refers to {target.name}, which loads later")
    dangling = {r[position] for r in release.rows[table.name]} - known - {None}
    if dangling:
        raise ReleaseError(
            f"{table.path}, column {column.attname}: {len(dangling)} id(s) not in "
            f"{target.path}, e.g. {min(dangling)}"
        )


# Writing -------------------------------------------------------------------------
def held() -> dict[str, int]:
    """Rows in the database's record tables, by table, leaving out the empty ones."""
    counts = {t.name: t.model._base_manager.count() for t in TABLES}
    return {name: n for name, n in counts.items() if n}


def write(release: Release, *, replace: bool = False) -> None:
    """Load a checked release, in one transaction: all of it, or nothing."""
    with transaction.atomic():
        if replace:
            empty_record()
        elif held():
            raise ReleaseError(
                "the database already holds a record; load_release --replace empties it first "
                "(editors' changes in it included)"
            )
        now = timezone.now()
        try:
            for table in TABLES:
                _insert(table, release, now)
        except DatabaseError as exc:
            reason = str(exc).strip().splitlines()[0]
            raise ReleaseError(f"the database refused table {table.name}: {reason}") from None
        _move_sequences_past_ids()
        refresh_search()
        # Derived tables left out of the release (NOT_RELEASED): counted from it.
        yearly.recount()
        # Pages and caches keyed on the record's version must see a new one.
        RecordVersion.objects.update_or_create(
            pk=1, defaults={"changed_at": now, "release": release.version}
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as sync_un_data does after a bulk load


def empty_record() -> None:
    """Delete every row of the released tables (not the history, which is an audit log)."""
    yearly.empty()  # the derived counts refer to member states and seats
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in reversed(TABLES):
            cursor.execute(f"DELETE FROM {quote(table.model._meta.db_table)}")  # noqa: S608


def _insert(table: Table, release: Release, now) -> None:
    given = release.columns[table.name]
    given_names = {f.attname for f in given}
    # Write stamps, and fields newer than the release: one value for every row.
    defaults = [f for f in table.model._meta.concrete_fields if f.attname not in given_names]
    fixed = [
        f.get_db_prep_save(now if f in table.stamps else f.get_default(), connection)
        for f in defaults
    ]
    preparers = [_preparer(f) for f in given]
    prepared = [_prepared(preparers, row) + fixed for row in release.rows[table.name]]
    if prepared:
        _write_rows(table, given + defaults, prepared)


def _prepared(preparers: list, row: list) -> list:
    return [prep(v) if prep else v for prep, v in zip(preparers, row, strict=True)]


def _write_rows(table: Table, columns: list, prepared: list[list]) -> None:
    """The prepared rows into the table: COPY on PostgreSQL, else one executemany."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    target = quote(table.model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {target} ({names}) VALUES ({marks})", prepared)  # noqa: S608


def _preparer(field):
    """How a decoded value reaches the driver: as it is when both drivers take it as such.

    Django's get_db_prep_save is right for every field but costs seconds over the
    whole record, so it is kept for the types that need it (JSON, timestamps).
    """
    kind = field_type(field)
    if kind in ("integer", "string", "boolean"):
        return None
    if kind == "date":
        return lambda value: None if value is None else value.isoformat()
    return lambda value: field.get_db_prep_save(value, connection)


def _move_sequences_past_ids() -> None:
    """On PostgreSQL, the next new row of each table gets an id above every loaded one.

    Sequences only move forward, so an id once used (a deleted draft's) is never
    handed out again. SQLite does this by itself for rows given their ids.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in TABLES:
            meta = table.model._meta
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, meta.pk.column])
            (sequence,) = cursor.fetchone()
            if not sequence:
                continue
            cursor.execute(f"SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)}")  # noqa: S608
            (highest,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
            last, called = cursor.fetchone()
            if highest is not None and highest > (last if called else last - 1):
                cursor.execute("SELECT setval(%s, %s)", [sequence, highest])
