"""Two recounts at once (an editor's save during a sync's recount, two saves): the
second waits for the first to commit (votes.yearly's advisory lock), then recounts,
and the counts are one recount's. Without the lock each DELETE missed the other's new
rows: the year's rows twice, or the gaps' unique ``first`` refused the second."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from resolutions.models import Draft
from tests.votes.test_yearly import assert_counts_match_a_recount
from votes import yearly

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has one writer at a time already"
)


def waiting_for_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


def test_two_recounts_at_once_leave_one_recount(transactional_db):
    for n in (1, 4, 9):  # numbers 2-3 and 5-8 missing: gaps to rewrite
        Draft.objects.create(
            date=date(2000, 1, n),
            draft_symbol=f"S/2000/{n}",
            resolution_number=n,
            resolution_year=2000,
            is_published=True,
        )
    yearly.recount()
    errors: list[Exception] = []

    def the_other_recount() -> None:
        try:
            with transaction.atomic():
                yearly.recount()
        except Exception as exc:  # reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    other = threading.Thread(target=the_other_recount)
    with transaction.atomic():
        yearly.recount()
        other.start()
        deadline = time.monotonic() + 20
        while not waiting_for_the_lock() and other.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_for_the_lock(), errors  # the other recount waits for this one
    other.join(20)
    assert not other.is_alive() and not errors
    assert_counts_match_a_recount()
