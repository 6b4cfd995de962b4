"""Set-based updates of many rows at once.

Django's ``bulk_update`` builds one CASE expression per field and row, which
costs seconds of Python for a few thousand drafts. On PostgreSQL this sends
``UPDATE ... FROM (VALUES ...)`` instead: one statement per batch, values
bound as parameters. Other databases (SQLite for local use) keep Django's way.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router


def bulk_update(objs: Sequence, fields: Sequence[str], batch_size: int = 1000) -> None:
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, fields, batch_size=batch_size)
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    pk = meta.pk
    names = [pk.column] + [c.column for c in columns]
    casts = [pk.db_type(connection)] + [c.db_type(connection) for c in columns]
    row = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params += [c.get_db_prep_save(getattr(obj, c.attname), connection) for c in columns]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row] * len(batch))}) "
                f"AS v({', '.join(quote(n) for n in names)}) "
                f"WHERE t.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )


def bulk_insert(objs: Sequence, batch_size: int = 2000) -> None:
    """Insert rows whose ids are not needed afterwards; COPY on PostgreSQL."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    columns = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    statement = (
        f"COPY {quote(meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row(
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns]
            )
