"""A sync that wrote leaves no dead row versions behind on PostgreSQL (issue 14).

A sync updates each draft it loads two or three times (the load, then the outcome
refresh); without a VACUUM the dead versions stay until autovacuum comes round, and
every scan of the list reads past them. ``transaction=True``: VACUUM runs after the
sync's commit, which a test's own transaction would never reach.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.resolutions.test_sync_concurrency import source_folder

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.realdata]


def table_state(table: str) -> tuple[int, object]:
    """(dead row versions, when last vacuumed by hand) of a table, as PostgreSQL counts them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT n_dead_tup, last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [table],
        )
        return cursor.fetchone()


def sync(folder) -> str:
    out = StringIO()
    call_command("sync_un_data", from_dir=str(folder), no_progress=True, stdout=out)
    return out.getvalue()


def test_a_sync_that_wrote_vacuums_the_tables_it_rewrote(shared_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip(
            "VACUUM and its statistics are PostgreSQL's; run with DATABASE_URL=postgres://…"
        )
    tables = ("resolutions_draft", "votes_membervote")
    before = {table: table_state(table)[1] for table in tables}
    output = sync(source_folder(shared_data, tmp_path))
    assert "records changed" in output
    for table in tables:
        dead, vacuumed = table_state(table)
        assert vacuumed is not None and vacuumed != before[table], (
            f"{table} was not vacuumed after the sync"
        )
        assert dead == 0, f"{table} keeps {dead} dead row versions"
