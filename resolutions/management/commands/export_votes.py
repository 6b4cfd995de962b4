"""Write the full dump, or any filtered set, in the open-data format."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from resolutions import exports
from resolutions.filters import DraftFilter


class Command(BaseCommand):
    help = (
        "Write published drafts in the export format (the format import_votes reads) to "
        "standard output or a file, streamed: memory stays flat whatever the size."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--per-draft",
            action="store_true",
            help="CSV with one row per draft instead of one per member vote",
        )
        parser.add_argument(
            "--filter",
            default="",
            help="a query string as in the votes list, e.g. 'country=ghana&position=N'",
        )
        parser.add_argument("--output", "-o", help="a file to write (default: standard output)")

    def handle(self, *args, format="csv", per_draft=False, filter="", output=None, **options):
        found = DraftFilter(QueryDict(filter))
        if filter and not found.is_valid():
            raise CommandError(f"Invalid filter: {found.errors.as_text()}")
        drafts = found.qs
        chunks = (
            exports.json_chunks(drafts)
            if format == "json"
            else exports.csv_lines(drafts, per_vote=not per_draft)
        )
        if not output:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        with Path(output).open("w", encoding="utf-8", newline="") as target:
            for chunk in chunks:
                target.write(chunk)
