"""Load a data release into the database: checked whole, then written in one transaction.

    manage.py load_release [DIR] [--replace] [--check]

Every file's SHA-256 and schema is checked before anything is written; a
release that fails a check leaves the database untouched. Draft ids are kept,
so ``/votes/<id>/`` is the same address as on a database filled by
``sync_un_data``. Afterwards ``sync_un_data`` merges the official sources on
top, as on an empty database.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.release import ReleaseError, default_dir
from resolutions.release.load import read, write


class Command(BaseCommand):
    help = "Load a data release (release/ by default) into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", help="the release's folder (default: release/)")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty the record first (drafts, votes, terms, imports; editors' changes too)",
        )
        parser.add_argument("--check", action="store_true", help="check the release; write nothing")

    def handle(self, *args, folder=None, replace=False, check=False, **options):
        path = Path(folder) if folder else default_dir()
        start = time.perf_counter()
        try:
            release = read(path)
            if not check:
                write(release, replace=replace)
        except ReleaseError as exc:
            raise CommandError(f"{exc}. Nothing was written.") from None
        counts = (
            f"{release.count('drafts'):,} drafts, {release.count('member_votes'):,} member "
            f"votes, {release.count('vetoes'):,} vetoes, {release.count('terms'):,} terms"
        )
        verb = "Checked" if check else "Loaded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} data release {release.version} from {path} ({counts}) "
                f"in {time.perf_counter() - start:.1f} s."
            )
        )
