"""Fill an empty database, as `make run` does on its first start.

With UN_DATA_DIR set, the full official record is loaded from that folder
(offline). Otherwise the official sources are downloaded with a short
timeout; if that fails, the starter data is loaded and the way to load the
full record later is printed.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from resolutions.models import Draft
from resolutions.starter import load_starter_data


class Command(BaseCommand):
    help = "Load data into an empty database; do nothing when it already holds votes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=settings.UN_INITIAL_SYNC_TIMEOUT,
            help="download timeout for the first synchronisation, in seconds",
        )

    def handle(self, *args, timeout=None, **options):
        if Draft.objects.exists():
            self.stdout.write("The database already holds votes; nothing loaded.")
            return
        folder = settings.UN_DATA_DIR
        if folder:
            self.stdout.write(f"Loading the official record from UN_DATA_DIR={folder} …")
            call_command("sync_un_data", from_dir=folder, stdout=self.stdout, stderr=self.stderr)
            return
        self.stdout.write(f"Downloading the official record (timeout {timeout:g} s) …")
        try:
            call_command("sync_un_data", timeout=timeout, stdout=self.stdout, stderr=self.stderr)
            return
        except CommandError as exc:
            self.stdout.write(self.style.WARNING(f"Could not load the official record: {exc}"))
        draft = load_starter_data()
        sentence = draft.outcome_sentence[0].lower() + draft.outcome_sentence[1:]
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the starter data: the 2022 Council and {draft.symbol} "
                f"({draft.tally}, {sentence})."
            )
        )
        self.stdout.write(
            "To load the full record later: `manage.py sync_un_data` when online, or "
            "`UN_DATA_DIR=../shared/data make run` / "
            "`manage.py sync_un_data --from-dir ../shared/data` from local copies."
        )
