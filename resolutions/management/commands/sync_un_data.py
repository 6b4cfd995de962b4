"""Load every official source, in order, from the official URLs or a local folder.

Whether a sync would change nothing (the same files, read by the same code, onto the
record the last sync left: ``resolutions.pipeline.sync_state``) is decided first, and
such a sync costs starting Django and hashing the files: this module imports only
what that decision needs. The rest (the parsers, the loader, the downloader and their
libraries) is ``_sync_loading``, imported by name when something is loaded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction

from resolutions.models import Disagreement, Draft
from resolutions.pipeline.inputs import inputs_from_dir
from resolutions.pipeline.sync_state import nothing_to_do, remember, sync_key
from resolutions.sources.records import SourceError

# The loading half of the command, imported only when a sync downloads or loads: a
# skipped sync must not pay for the parsers' libraries (openpyxl, lxml, httpx), which
# cost more than the skip itself. tests/resolutions/test_sync_imports.py holds it.
LOADING = "resolutions.management.commands._sync_loading"

# The key of the PostgreSQL advisory lock a sync holds while it runs (any fixed
# number; "SC" and "sync" in ASCII, so that pg_locks shows where it comes from).
SYNC_LOCK_KEY = 0x5343_73796E63

SYNC_RUNNING = (
    "Another sync_un_data is running (it holds the sync lock): nothing was written. "
    "Run this one again when it has finished."
)


@contextmanager
def one_sync_at_a_time() -> Iterator[None]:
    """Refuse to start while another sync runs, so that no two write at once.

    On PostgreSQL a session advisory lock (pg_try_advisory_lock) is taken before
    anything is downloaded or read, and released however the sync ends (the
    server also drops it if the process dies). SQLite has no such lock, but it
    admits one writer at a time: a second sync waits for the first's transaction
    and, after the database's timeout, stops with "the database is locked",
    having written nothing (see docs/deploy.md).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [SYNC_LOCK_KEY])
        (locked,) = cursor.fetchone()
    if not locked:
        raise CommandError(SYNC_RUNNING)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SYNC_LOCK_KEY])


def vacuum() -> None:
    """VACUUM the database on PostgreSQL, after a sync that wrote has committed.

    A sync that changes every draft updates each row two or three times (7,563
    updates on 3,162 drafts), and the dead row versions stay in the tables, for
    every scan of the lists to read past, until autovacuum comes round; statistics
    are fresh already (analyse). VACUUM cannot run inside a transaction: when the
    sync was itself inside one (a caller's atomic block, or a test's), it is left
    to autovacuum.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:
            # This session's counts of the rows the sync wrote reach the shared
            # statistics at most once a second; left pending, they were added after
            # VACUUM's own report, which then showed the dead rows it had removed
            # (16 of them, now and then, in test_sync_vacuum). Flushed now, at the end
            # of this statement, they come before it.
            cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("VACUUM")


class Command(BaseCommand):
    # Django's system checks (URLs, templates, the REST framework's settings: a third of
    # this command's start-up) guard what a load writes, so they run before a load
    # (``run``), not before a sync that is skipped and writes nothing.
    requires_system_checks: list[str] = []
    help = (
        "Load every official source: DPPA membership, the Library's voting data, DGACM's "
        "drafts not adopted, the Veto List and the meetings tables. Downloads them from "
        "their official addresses (settings.UN_SOURCES) unless --from-dir is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from-dir", help="a folder laid out like ../shared/data, instead of downloading"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        parser.add_argument("--timeout", type=float, help="download timeout in seconds")
        parser.add_argument("--no-progress", action="store_true", help="never show a bar")
        parser.add_argument(
            "--full",
            action="store_true",
            help="load every source even if the files and record are as the last sync left them",
        )
        parser.add_argument(
            "--skip-checks", action="store_true", help="skip the system checks before a load"
        )

    def handle(self, *args, **options):
        try:
            with one_sync_at_a_time():
                self.synchronise(**options)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise CommandError(
                f"The database is locked by another writer ({exc}), most likely another "
                "sync_un_data: nothing was written. Run this one again when it has finished."
            ) from exc

    def synchronise(self, from_dir=None, dry_run=False, timeout=None, **options):
        verbosity = options.get("verbosity", 1)
        try:
            if from_dir:
                self.run(Path(from_dir), dry_run, options, verbosity)
            else:
                with import_module(LOADING).downloaded(self, timeout, verbosity) as folder:
                    self.run(folder, dry_run, options, verbosity)
        except SourceError as exc:
            raise CommandError(f"{exc}\nNothing was written.") from exc

    # All sources or none: a failure in a later source undoes the earlier ones, so
    # the database never holds half a synchronisation. A dry run does the whole
    # synchronisation (later sources need the earlier ones, e.g. votes need the
    # membership) and rolls it all back at the end.
    @transaction.atomic
    def run(self, folder: Path, dry_run: bool, options, verbosity: int) -> None:
        inputs = inputs_from_dir(folder)
        key = sync_key(inputs)
        if not options.get("full") and nothing_to_do(key):
            self.done_already(dry_run)
            return
        if not options.get("skip_checks"):
            self.check()
        totals = import_module(LOADING).load_every_source(self, inputs, dry_run, options, verbosity)
        if totals["created"] or totals["updated"]:
            transaction.on_commit(vacuum)
        self.analyse(dry_run)
        self.done(totals, dry_run)
        if dry_run:
            transaction.set_rollback(True)  # last: no query runs after it
        else:
            # After the commit, which dates the record (resolutions.signals).
            transaction.on_commit(lambda: remember(key))

    def done_already(self, dry_run: bool) -> None:
        self.stdout.write(
            "The same files as the last sync, read by the same code, and the record "
            "unchanged since: no source is loaded again (--full loads them anyway)."
        )
        self.done({"created": 0, "updated": 0, "unchanged": Draft.objects.count()}, dry_run)

    def analyse(self, dry_run: bool) -> None:
        if dry_run:
            return
        if connection.vendor == "postgresql":
            # Fresh statistics after a bulk load: the P5 agreement self-join picks a
            # poor plan on the empty-table estimates (131 ms instead of 38 ms).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def done(self, totals: dict[str, int], dry_run: bool) -> None:
        conflicts = Disagreement.objects.count()
        changed = totals["created"] + totals["updated"]
        verdict = "nothing changed" if not changed else f"{changed} records changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"Done{' (dry run: nothing written)' if dry_run else ''}: "
                f"created {totals['created']}, updated {totals['updated']}, "
                f"unchanged {totals['unchanged']}; {verdict}. "
                f"{conflicts} disagreements between sources are on record "
                "(manage.py data_report)."
            )
        )
