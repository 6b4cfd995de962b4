"""Fill an empty database, as `make run` does; say what a filled one holds.

Which data is chosen by the environment:

* by default, the project's data release (``release/``): the full record,
  1946 to today, offline, in seconds;
* ``UN_DATA_DIR=DIR``: synchronise from local copies of the official sources,
  on top of what the database holds (that is what the setting means);
* ``SC_VOTES_DATA=download``: synchronise from the official addresses, falling
  back on the release when they cannot be reached;
* ``SC_VOTES_DATA=starter``: the starter data (one vote), for tests and a
  deliberately empty demo.

A database that already holds data is never replaced unless ``--replace``
says so (``make reset-data``); the command says what it holds and how to switch.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max, Min

from resolutions.models import Draft, SourceImport
from resolutions.release import ReleaseError, default_dir
from resolutions.release.load import empty_record, read, write
from resolutions.starter import load_starter_data
from votes.choices import Source

REFRESH = (
    "To refresh it from the official sources: `.venv/bin/python manage.py sync_un_data` "
    "(online), or `UN_DATA_DIR=DIR make run` with local copies (e.g. ../shared/data)."
)


class Command(BaseCommand):
    help = (
        "Load data into an empty database (the data release by default); "
        "say what a filled one holds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.UN_INITIAL_SYNC_TIMEOUT,
            help="download timeout with SC_VOTES_DATA=download, in seconds",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="empty the record first, then load the chosen data (make reset-data)",
        )

    def handle(self, *args, timeout=None, replace=False, **options):
        choice = "directory" if settings.UN_DATA_DIR else settings.SC_VOTES_DATA
        holds = described()
        if replace and holds != "nothing":
            self.stdout.write(self.style.WARNING(f"Emptying the database, which held {holds}."))
        elif holds != "nothing":
            return self.already_filled(choice, holds)
        loaders = {
            "release": self.load_release,
            "starter": self.load_starter,
            "directory": self.sync_directory,
        }
        with transaction.atomic():
            if replace:
                empty_record()
            loaders.get(choice, lambda: self.download(timeout))()

    # Loading into an empty database ---------------------------------------------
    def load_release(self) -> None:
        start = time.perf_counter()
        try:
            release = read(default_dir())
            write(release)
        except ReleaseError as exc:
            raise CommandError(f"The data release could not be loaded: {exc}") from None
        first, last = Draft.objects.aggregate(first=Min("date"), last=Max("date")).values()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded data release {release.version}: {release.count('drafts'):,} votes "
                f"from {first:%d %B %Y} to {last:%d %B %Y}, "
                f"in {time.perf_counter() - start:.1f} s."
            )
        )
        self.stdout.write(REFRESH)

    def load_starter(self) -> None:
        draft = load_starter_data()
        sentence = draft.outcome_sentence[0].lower() + draft.outcome_sentence[1:]
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the starter data (SC_VOTES_DATA=starter): the 2022 Council and "
                f"{draft.symbol} ({draft.tally}, {sentence})."
            )
        )
        self.stdout.write(
            "For the full record, 1946 to today: `make reset-data` without SC_VOTES_DATA."
        )

    def sync_directory(self) -> None:
        folder = settings.UN_DATA_DIR
        self.stdout.write(f"Synchronising from the local copies in UN_DATA_DIR={folder} …")
        call_command("sync_un_data", from_dir=folder, stdout=self.stdout, stderr=self.stderr)

    def download(self, timeout: float) -> None:
        self.stdout.write(f"Downloading the official record (timeout {timeout:g} s) …")
        try:
            with transaction.atomic():
                call_command(
                    "sync_un_data", timeout=timeout, stdout=self.stdout, stderr=self.stderr
                )
            return
        except CommandError as exc:
            self.stdout.write(self.style.WARNING(f"Could not download the official record: {exc}"))
        self.stdout.write("Loading the project's data release instead.")
        self.load_release()

    # A database that already holds data ---------------------------------------
    def starter_held(self, choice: str, holds: str) -> None:
        """The starter data is in the database: kept, whatever else was asked for."""
        if choice == "starter":
            self.stdout.write(f"The database holds {holds}; nothing loaded.")
            return
        wanted = {
            "release": "the full record",
            "directory": f"the copies in UN_DATA_DIR={settings.UN_DATA_DIR}",
            "download": "the official sources",
        }[choice]
        self.stdout.write(
            self.style.WARNING(
                f"The database holds {holds} (SC_VOTES_DATA=starter), not {wanted}; "
                "nothing loaded. To switch, empty it and load again: `make reset-data` "
                "(or `manage.py load_initial_data --replace`)."
            )
        )

    def already_filled(self, choice: str, holds: str) -> None:
        if choice == "directory" and holds != "the starter data":
            # UN_DATA_DIR means "sync from these copies": merged on top, as always.
            self.stdout.write(f"The database holds {holds}.")
            self.sync_directory()
            return
        if choice == "download" and holds != "the starter data":
            self.stdout.write(f"The database holds {holds}.")
            self.download_on_top()
            return
        if holds == "the starter data":
            self.starter_held(choice, holds)
            return
        if choice == "starter":
            self.stdout.write(
                self.style.WARNING(
                    f"The database holds {holds}; nothing loaded. To replace it with the starter "
                    "data: `SC_VOTES_DATA=starter make reset-data` (this empties the record, "
                    "editors' changes included)."
                )
            )
            return
        self.stdout.write(f"The database holds {holds}; nothing loaded.")
        release = release_in_database()
        if release is False:
            self.stdout.write(
                "It was not built from the same versions of the sources as the project's data "
                "release: to update it, keeping editors' changes, run `manage.py sync_un_data`; "
                "to replace it with the release, `make reset-data`."
            )
        else:
            self.stdout.write(REFRESH)

    def download_on_top(self) -> None:
        try:
            call_command("sync_un_data", stdout=self.stdout, stderr=self.stderr)
        except CommandError as exc:
            self.stdout.write(self.style.WARNING(f"Could not synchronise: {exc}"))


def described() -> str:
    """What the database holds, in words: nothing, the starter data, or the record."""
    drafts = Draft.objects.count()
    if not drafts:
        return "nothing"
    if not SourceImport.objects.exists() and not Draft.objects.exclude(source=Source.SEED).exists():
        return "the starter data"
    first, last = Draft.objects.aggregate(first=Min("date"), last=Max("date")).values()
    return f"a record of {drafts:,} votes from {first:%d %B %Y} to {last:%d %B %Y}"


def release_in_database() -> bool | None:
    """Whether every source file of the project's release was imported here (None: no release)."""
    try:
        package = json.loads((default_dir() / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {sha for entry in package.get("sources", []) for sha in entry["sc_votes:sha256"]}
    have = set(SourceImport.objects.values_list("sha256", flat=True))
    return wanted <= have
