"""Load every official source, in order, from the official URLs or a local folder."""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection, transaction

from resolutions.management.commands._importing import progress_wanted, report
from resolutions.models import Disagreement, Draft
from resolutions.pipeline.fetch import Fetcher, FetchError
from resolutions.pipeline.sync import inputs_from_dir, sync
from resolutions.pipeline.sync_state import nothing_to_do, remember, sync_key
from resolutions.sources.records import SourceError
from votes.choices import TermKind
from votes.models import MembershipTerm

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
        cursor.execute("VACUUM")


class Command(BaseCommand):
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
                if not settings.UN_SOURCES["dppa_membership"] and not (
                    MembershipTerm.objects.filter(kind=TermKind.ELECTED).exists()
                ):
                    # Votes are checked against the Council of their day, so they cannot
                    # be loaded before its membership.
                    raise FetchError(
                        "The Council's membership cannot be downloaded: UN_DPPA_MEMBERSHIP_URL "
                        "is set but empty. Unset it to use DPPA's CSV (https://api.psdata.un.org"
                        "/public/data/DPPA-SCMEMBERSHIP/CSV), or load local copies with "
                        "--from-dir (e.g. UN_DATA_DIR=../shared/data make run)."
                    )
                with tempfile.TemporaryDirectory(prefix="sc-votes-") as folder:
                    fetcher = Fetcher(timeout, log=self.stdout.write if verbosity > 1 else None)
                    self.stdout.write("Downloading the official sources…")
                    for warning in fetcher.all(Path(folder)):
                        self.stdout.write(self.style.WARNING(f"  - {warning}"))
                    self.run(Path(folder), dry_run, options, verbosity)
        except (SourceError, FetchError) as exc:
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
        totals = {"created": 0, "updated": 0, "unchanged": 0}

        def shown(summary):
            summary.dry_run = dry_run
            report(self, summary, verbosity)

        for summary in sync(inputs, progress=progress_wanted(options), report=shown):
            for name in totals:
                totals[name] += getattr(summary, name)
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
