"""The loading half of ``sync_un_data``: download the sources, load every one.

Imported by name (``sync_un_data.LOADING``) only when a sync downloads or loads: the
parsers and the downloader it imports bring openpyxl, lxml and httpx, most of the
command's start-up, and a sync that is skipped (it would change nothing) needs none
of them.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resolutions.management.commands._importing import progress_wanted, report
from resolutions.outcomes import counted_once
from resolutions.pipeline.fetch import Fetcher, FetchError
from resolutions.pipeline.inputs import Input
from resolutions.pipeline.sync import sync
from votes.choices import TermKind
from votes.models import MembershipTerm


@contextmanager
def downloaded(command: BaseCommand, timeout: float | None, verbosity: int) -> Iterator[Path]:
    """A temporary folder holding every official source, downloaded; a failed download,
    then or while the folder is in use, stops the sync with nothing written."""
    try:
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
            fetcher = Fetcher(timeout, log=command.stdout.write if verbosity > 1 else None)
            command.stdout.write("Downloading the official sources…")
            for warning in fetcher.all(Path(folder)):
                command.stdout.write(command.style.WARNING(f"  - {warning}"))
            yield Path(folder)
    except FetchError as exc:
        raise CommandError(f"{exc}\nNothing was written.") from exc


def load_every_source(
    command: BaseCommand, inputs: list[Input], dry_run: bool, options, verbosity: int
) -> dict[str, int]:
    """Load each input in order (``resolutions.pipeline.sync``), reporting each; the
    records created, updated and left unchanged, summed over the sources. Within the
    command's transaction: the search vectors and per-year counts are written once, at
    the end (``counted_once``), and no reader sees them before."""
    totals = {"created": 0, "updated": 0, "unchanged": 0}

    def shown(summary):
        summary.dry_run = dry_run
        report(command, summary, verbosity)

    with counted_once():
        for summary in sync(inputs, progress=progress_wanted(options), report=shown):
            for name in totals:
                totals[name] += getattr(summary, name)
    return totals
