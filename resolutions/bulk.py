"""Set-based writes of many rows at once.

Django's ``bulk_update`` builds one CASE expression per field and row, and even an
``UPDATE ... FROM (VALUES ...)`` of a few thousand drafts is a statement of a hundred
thousand placeholders, which psycopg's client-side binding splits and quotes in Python
(seconds of a sync). On PostgreSQL the rows are instead streamed with COPY into a
temporary table, and one ``UPDATE ... FROM`` that table (or ``INSERT ... SELECT``)
applies them: no SQL text grows with the rows. Other databases (SQLite for local use)
keep Django's way.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable, Sequence

from django.db import connections, router, transaction
from django.db.models import Field

# Field types whose get_db_prep_save returns a value of these Python types unchanged
# (to_python and get_prep_value of a str, int, bool or date are the identity): such a
# value goes to COPY as it is, which spares three calls per value on 40,000 votes.
# Any other value (a JSON field's, an enum's, a datetime's) is prepared by the field.
_AS_IS: dict[str, tuple[type, ...]] = {
    "CharField": (str,),
    "TextField": (str,),
    "SlugField": (str,),
    "IntegerField": (int,),
    "BigIntegerField": (int,),
    "SmallIntegerField": (int,),
    "PositiveIntegerField": (int,),
    "PositiveSmallIntegerField": (int,),
    "PositiveBigIntegerField": (int,),
    "AutoField": (int,),
    "BigAutoField": (int,),
    "BooleanField": (bool,),
    "DateField": (datetime.date,),
}

# Names the temporary tables of one transaction apart.
_STAGED = itertools.count()


def _postgresql(objs: Sequence):
    """The connection to write these rows with, when it is PostgreSQL's (else None)."""
    connection = connections[router.db_for_write(type(objs[0]))]
    return connection if connection.vendor == "postgresql" else None


def _preparer(field: Field, connection, key: str | None = None) -> Callable:
    """The value to write of ``field`` for an object (for a dict, its value under
    ``key``): get_db_prep_save's, without its calls where they would return the value
    unchanged."""
    attname = field.attname
    target = field.target_field if field.is_relation else field
    as_is = _AS_IS.get(target.get_internal_type(), ())
    plain = (type(None), *as_is)

    def prepare(obj):
        value = obj[key] if key is not None else getattr(obj, attname)
        if type(value) in plain:  # exact type: a subclass (an enum, a bool for an int) is prepared
            return value
        return field.get_db_prep_save(value, connection)

    return prepare


# Below this many values a batch is one ``UPDATE ... FROM (VALUES ...)``: one statement,
# and its placeholders cost psycopg little. Above it (a sync's thousands of drafts) the
# rows go through COPY into a temporary table, where no SQL text grows with the rows.
STAGED_FROM = 5000


def bulk_update(objs: Sequence, fields: Sequence[str], batch_size: int = 1000) -> None:
    if not objs:
        return
    connection = _postgresql(objs)
    if connection is None:
        type(objs[0]).objects.bulk_update(objs, fields, batch_size=batch_size)
        return
    if len(objs) * (len(fields) + 1) < STAGED_FROM:
        update = _ValuesUpdate(type(objs[0]), fields, connection)
        with connection.cursor() as cursor:
            cursor.execute(update.sql(len(objs)), update.params(objs))
        return
    _staged_update(objs, fields, connection)


def _staged_update(objs: Sequence, fields: Sequence[str], connection) -> None:
    """COPY the rows into a temporary table, then one ``UPDATE ... FROM`` it."""
    meta = type(objs[0])._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    stage = quote(f"_staged_{meta.db_table}_{next(_STAGED)}")
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns[1:])
    pk = quote(meta.pk.column)
    # Identifiers are quoted; every value goes through COPY.
    update = (
        f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
        f"FROM {stage} AS v WHERE t.{pk} = v.{pk}"
    )
    # A transaction of its own when the caller has none: ON COMMIT DROP would drop
    # the table after its CREATE in autocommit.
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        _stage(cursor, connection, stage, columns, objs)
        cursor.execute(update)
        cursor.execute(f"DROP TABLE {stage}")


class _ValuesUpdate:
    """``UPDATE t SET … FROM (VALUES (…), …) AS v WHERE t.pk = v.pk``, values as parameters."""

    def __init__(self, model, fields: Sequence[str], connection):
        meta = model._meta
        self.connection = connection
        self.pk = meta.pk
        self.columns = [meta.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        names = [self.pk.column] + [c.column for c in self.columns]
        casts = [self.pk.db_type(connection)] + [_cast(c, connection) for c in self.columns]
        self.row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
        assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in self.columns)
        # Identifiers are quoted and every value is a parameter.
        self.head = f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM (VALUES "  # noqa: S608
        self.tail = (
            f") AS v({', '.join(quote(n) for n in names)}) "
            f"WHERE t.{quote(self.pk.column)} = v.{quote(self.pk.column)}"
        )

    def sql(self, rows: int) -> str:
        return self.head + ", ".join([self.row] * rows) + self.tail

    def params(self, batch: Sequence) -> list:
        params = []
        for obj in batch:
            params.append(self.pk.get_db_prep_save(obj.pk, self.connection))
            params += [
                c.get_db_prep_save(getattr(obj, c.attname), self.connection) for c in self.columns
            ]
        return params


def _cast(field: Field, connection) -> str:
    """The type a value is cast to in the VALUES list: the column's, but a character
    column's without its length. PostgreSQL cuts a string cast to ``varchar(n)`` to n
    characters without a word, where assigning it to the column refuses it, as COPY
    into the staged table does."""
    return re.sub(r"^varchar\(\d+\)$", "varchar", field.db_type(connection))


def _stage(cursor, connection, stage: str, columns: list, objs: Sequence) -> None:
    """A temporary table of these columns (typed as in the model), filled by COPY."""
    quote = connection.ops.quote_name
    typed = ", ".join(f"{quote(c.column)} {c.db_type(connection)}" for c in columns)
    cursor.execute(f"CREATE TEMPORARY TABLE {stage} ({typed}) ON COMMIT DROP")
    _copy_rows(cursor, connection, stage, columns, objs)


def _copy_rows(cursor, connection, table: str, columns: list, objs: Sequence) -> None:
    quote = connection.ops.quote_name
    prepare = [_preparer(f, connection) for f in columns]
    names = ", ".join(quote(f.column) for f in columns)
    # COPY is psycopg's own, past Django's cursor: its errors are wrapped as Django's
    # (DataError, IntegrityError), which the loader turns into words for the source.
    with (
        connection.wrap_database_errors,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([p(obj) for p in prepare])


def bulk_insert(objs: Sequence, batch_size: int = 2000) -> None:
    """Insert rows whose ids are not needed afterwards; COPY on PostgreSQL."""
    if not objs:
        return
    connection = _postgresql(objs)
    if connection is None:
        type(objs[0]).objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = type(objs[0])._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        _copy_rows(cursor, connection, connection.ops.quote_name(meta.db_table), columns, objs)


def bulk_create(objs: Sequence, batch_size: int = 500) -> None:
    """Insert new rows and set their ids, like Django's ``bulk_create``; COPY on PostgreSQL.

    The rows without an id take theirs from the table's sequence first, in order (the
    ids ``INSERT ... RETURNING`` would have given them), so that COPY can write them.
    No signal is sent (as with Django's); auto_now fields are set, as its ``pre_save``
    does. The caller resets the sequence when rows came with ids of their own.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = _postgresql(objs)
    if connection is None:
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    fresh = [obj for obj in objs if obj.pk is None]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if fresh:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(meta.db_table), meta.pk.column, len(fresh)],
            )
            for obj, (pk,) in zip(fresh, sorted(cursor.fetchall()), strict=True):
                obj.pk = pk
        stamped = [f for f in meta.concrete_fields if _stamped(f)]
        for obj in objs:
            for f in stamped:
                f.pre_save(obj, add=True)
            obj._state.adding, obj._state.db = False, connection.alias
        _copy_rows(cursor, connection, quote(meta.db_table), list(meta.concrete_fields), objs)


def _stamped(field: Field) -> bool:
    """A field whose ``pre_save`` sets the time (auto_now, auto_now_add)."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def insert_rows(model, rows: Sequence[dict]) -> None:
    """Insert new rows given as ``{attname: value}`` for every column but the id (no
    model instance per row: a sync writes 44,000 votes); COPY on PostgreSQL."""
    if not rows:
        return
    columns = [f for f in model._meta.concrete_fields if not f.primary_key]
    if set(rows[0]) != {f.attname for f in columns}:
        raise ValueError(f"a row of {model.__name__} names {sorted(rows[0])}")
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    prepare = [_preparer(f, connection, key=f.attname) for f in columns]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns)
    with (
        connection.cursor() as cursor,
        connection.wrap_database_errors,  # as in _copy_rows
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([p(row) for p in prepare])
