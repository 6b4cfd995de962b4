"""Grow the record N times in a scratch database, for `make bench` (resolutions/scaling.py).

    DATABASE_URL=postgres://…/sc_votes_bench_10x manage.py bench_scale --factor 10

Every draft and its member votes are copied N-1 times under fake symbols
(S/X1/2022/431), then the outcomes are refreshed by the one writer. It writes
into the database that DATABASE_URL names, so it refuses one that does not look
like a scratch database: its name must contain "bench", or the command be given
``--yes-this-is-a-scratch-db``.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from resolutions.management.commands.sync_un_data import vacuum
from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.scaling import AlreadyGrown, grow

SCRATCH_MARK = "bench"


def looks_like_scratch(name: str) -> bool:
    """A database whose name (or SQLite file name) says it is for benchmarks."""
    return SCRATCH_MARK in Path(str(name)).name.lower()


def analyse() -> None:
    """Fresh planner statistics after the bulk copy (PostgreSQL only), as a sync's."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = "Copy the record N-1 times under fake symbols (a scratch database only)."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=int, default=10, help="how many times the record")
        parser.add_argument(
            "--yes-this-is-a-scratch-db",
            action="store_true",
            dest="scratch",
            help=f'write even though the database name lacks "{SCRATCH_MARK}"',
        )

    def handle(self, *args, factor=10, scratch=False, **options):
        name = connection.settings_dict["NAME"]
        if not (scratch or looks_like_scratch(name)):
            raise CommandError(
                f"Refusing to grow {name!r}: it does not look like a scratch database. "
                f"bench_scale writes fake drafts into it; use a database whose name contains "
                f'"{SCRATCH_MARK}", or pass --yes-this-is-a-scratch-db.'
            )
        before = Draft.objects.count()
        try:
            with transaction.atomic():
                new = grow(factor)
                changed = refresh_outcomes(new)
                analyse()
            # As a sync leaves the record (sync_un_data): statistics of the grown tables,
            # and their rows vacuumed. Without them the 10x copy was measured with the
            # 1x row counts in pg_class (3,181 drafts for 31,810), every index-only scan
            # fetching the heap (no visibility map: 35,654 heap fetches to count the
            # resolution numbers) and a sequential scan chosen for a count the index
            # answers: /data/ spent 107 ms in SQL, and 39 ms after a VACUUM ANALYZE.
            vacuum()
        except AlreadyGrown as grown:
            raise CommandError(f"Refusing to grow {name!r}: {grown}.") from grown
        self.stdout.write(
            f"{before} drafts grown to {Draft.objects.count()} (x{factor}); "
            f"refresh_outcomes changed {changed}."
        )
