"""What every import command shares: reading options, loading, reporting."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resolutions.pipeline.fetch import Fetcher, FetchError
from resolutions.pipeline.summary import ImportSummary
from resolutions.pipeline.sync import Input, load
from resolutions.sources.records import SourceError

WARNINGS_SHOWN = 15


def report(command: BaseCommand, summary: ImportSummary, verbosity: int) -> None:
    style = command.style.SUCCESS if summary.changed else command.style.NOTICE
    command.stdout.write(style(str(summary)))
    shown = summary.warnings if verbosity > 1 else summary.warnings[:WARNINGS_SHOWN]
    for warning in shown:
        command.stdout.write(f"  - {warning}")
    hidden = len(summary.warnings) - len(shown)
    if hidden > 0:
        command.stdout.write(f"  … and {hidden} more notes (run with -v 2 to see them all)")


def progress_wanted(options, stream=None) -> bool:
    """A bar on a terminal only; --no-progress turns it off anyway."""
    if options.get("no_progress"):
        return False
    return (stream or sys.stderr).isatty()


class ImportCommand(BaseCommand):
    """One official source: from a local path, or downloaded from its official address."""

    source: str
    path_help = "a local copy of the source"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help=self.path_help + " (omit to download)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        parser.add_argument("--timeout", type=float, help="download timeout in seconds")
        parser.add_argument("--no-progress", action="store_true", help="never show a bar")

    def download(self, fetcher: Fetcher, root: Path) -> Path:
        raise NotImplementedError

    def handle(self, *args, path=None, dry_run=False, timeout=None, **options):
        try:
            if path:
                summary = self.load(Path(path), dry_run, options)
            else:
                with tempfile.TemporaryDirectory(prefix="sc-votes-") as folder:
                    fetcher = Fetcher(timeout, log=self.stdout.write)
                    summary = self.load(self.download(fetcher, Path(folder)), dry_run, options)
        except (SourceError, FetchError) as exc:
            raise CommandError(f"{exc}\nNothing was written.") from exc
        report(self, summary, options.get("verbosity", 1))

    def load(self, path: Path, dry_run: bool, options) -> ImportSummary:
        if not path.exists():
            raise SourceError(str(path), "", "no such file or directory")
        item = Input(self.source, path, options.get("data_version") or "")
        return load(item, dry_run=dry_run, progress=progress_wanted(options))
