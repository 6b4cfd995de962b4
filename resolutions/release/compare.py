"""What differs between two releases, table by table, in words.

Ids are compared by their order, not their value: a sync into a database
whose sequences had already moved (a test database, where PostgreSQL does
not roll sequences back) numbers the same rows from further up. Each table's
ids are replaced by their rank and every reference follows, so the same
record in the same order compares equal, and a row added, lost, reordered or
changed does not. JSON is compared with sorted keys (the engines order keys
differently).
"""

from __future__ import annotations

from resolutions.release.load import Release
from resolutions.release.tables import TABLES, canonical_json


def canonical(release: Release) -> dict[str, tuple[list[str], list[tuple]]]:
    """Each table's column names and rows, comparable across databases.

    A table that others refer to keeps its ids as ranks, and references follow
    them; a table nobody refers to (member votes, vetoes, disagreements, …) is
    compared without its ids, as a set of rows, since a sync may delete and
    recreate such rows (DPPA's membership disagreements) with new ids.
    """
    referenced = {
        column.related_model
        for table in TABLES
        for column in release.columns[table.name]
        if column.is_relation
    }
    ranks: dict[str, dict] = {}
    tables = {}
    for table in TABLES:
        columns = release.columns[table.name]
        names = [f.attname for f in columns]
        pk = names.index(table.model._meta.pk.attname)
        rows = release.rows[table.name]
        ranks[table.name] = {
            old: new for new, old in enumerate(sorted(row[pk] for row in rows), start=1)
        }
        renumbered = _renumbered(rows, _id_maps(table, columns, ranks))
        if table.model in referenced:
            tables[table.name] = (names, sorted(renumbered, key=lambda r: r[pk]))
        else:
            tables[table.name] = _without_ids(names, renumbered, pk)
    return tables


def _id_maps(table, columns, ranks: dict[str, dict]) -> list[dict | None]:
    """For each column, the old-id-to-rank map its values follow (None: not an id)."""
    maps: list[dict | None] = []
    for column in columns:
        if column.primary_key:
            maps.append(ranks[table.name])
        elif column.is_relation:
            target = next(t for t in TABLES if t.model is column.related_model)
            maps.append(ranks[target.name])
        else:
            maps.append(None)
    return maps


def _renumbered(rows, maps: list[dict | None]) -> list[tuple]:
    """The rows with every id replaced by its rank, and other values made hashable."""
    return [
        tuple(
            m.get(v, v) if m is not None and v is not None else _hashable(v)
            for m, v in zip(maps, row, strict=True)
        )
        for row in rows
    ]


def _without_ids(names: list[str], rows: list[tuple], pk: int) -> tuple[list[str], list[tuple]]:
    """A table nobody refers to, as a sorted set of rows without their ids."""
    kept = [i for i in range(len(names)) if i != pk]
    return (
        [names[i] for i in kept],
        sorted((tuple(r[i] for i in kept) for r in rows), key=repr),
    )


def differences(expected: Release, actual: Release) -> list[str]:
    """One sentence per table that differs; empty when the two hold the same record."""
    ours, theirs = canonical(expected), canonical(actual)
    found = (_table_difference(t.name, ours[t.name], theirs[t.name]) for t in TABLES)
    return [sentence for sentence in found if sentence]


def _table_difference(name: str, ours: tuple, theirs: tuple) -> str:
    """How one table differs, in a sentence: its columns, or its rows; "" if it does not."""
    (names, rows), (other_names, other_rows) = ours, theirs
    if names != other_names:
        added = [n for n in other_names if n not in names]
        dropped = [n for n in names if n not in other_names]
        return (
            f"{name}: columns differ (new: {', '.join(added) or 'none'}; "
            f"gone: {', '.join(dropped) or 'none'})"
        )
    if rows == other_rows:
        return ""
    gone = set(rows) - set(other_rows)
    new = set(other_rows) - set(rows)
    return (
        f"{name}: {len(rows):,} rows -> {len(other_rows):,} "
        f"({len(new):,} new or changed, {len(gone):,} gone or changed)"
        f"{_first_difference(names, rows, other_rows)}"
    )


def _first_difference(names: list[str], rows: list[tuple], other_rows: list[tuple]) -> str:
    """Where two tables' rows first part, "" when one is the start of the other."""
    first = next(
        (i for i, (a, b) in enumerate(zip(rows, other_rows, strict=False)) if a != b), None
    )
    if first is None:
        return ""
    a, b = rows[first], other_rows[first]
    column = next(n for n, x, y in zip(names, a, b, strict=True) if x != y)
    return (
        f"; first at row {first + 1}, {column}: "
        f"{_short(a[names.index(column)])} -> {_short(b[names.index(column)])}"
    )


def _hashable(value):
    return canonical_json(value) if isinstance(value, (dict, list)) else value


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
