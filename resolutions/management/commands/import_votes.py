from __future__ import annotations

import dataclasses
from pathlib import Path

from django.http import QueryDict

from resolutions import exports
from resolutions.filters import DraftFilter
from resolutions.management.commands._importing import ImportCommand, progress_wanted
from resolutions.pipeline.loader import load_drafts
from resolutions.pipeline.summary import ImportSummary
from resolutions.pipeline.sync import digest
from resolutions.pipeline.vote_deletions import deletions_policy
from resolutions.sources import site_export
from resolutions.sources.records import DraftRecord, ParsedSource
from votes.choices import Source


class Command(ImportCommand):
    help = (
        "Import drafts and member votes in the site's own export format (CSV or JSON), "
        "e.g. a spreadsheet of new votes: columns as in the data dictionary at /data/. "
        "Checked like the official sources and like the admin; an editor's values win "
        "over the sources on later synchronisations. A record the file gives exactly as "
        "the site exports it now is left alone, and a file that leaves out votes of a "
        "published record is refused unless --allow-deletions is given."
    )
    source = Source.EDITOR

    def add_arguments(self, parser):
        parser.add_argument("path", help="a CSV or JSON file in the export format")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        parser.add_argument(
            "--allow-deletions",
            action="store_true",
            help="delete the member votes of published records that the file leaves out "
            "(each is listed, and kept in the votes' history)",
        )
        parser.add_argument("--no-progress", action="store_true", help="never show a bar")

    def load(self, path: Path, dry_run: bool, options) -> ImportSummary:
        if not path.exists():
            return super().load(path, dry_run, options)  # its one-line error
        parsed = site_export.parse(path, name=path.name)
        changed, unchanged = _without_unchanged(parsed, path.read_bytes())
        if not changed.records:
            # The site's own export read back: nothing to write, and nothing is
            # claimed for editors or dated as a change (issue 12).
            return ImportSummary(parsed.source, parsed.version, unchanged=unchanged)
        allowed = bool(options.get("allow_deletions"))
        with deletions_policy(path.name, allowed=allowed) as policy:
            summary = load_drafts(
                changed, dry_run=dry_run, progress=progress_wanted(options), sha256=digest(path)
            )
        summary.unchanged += unchanged
        summary.warnings = list(parsed.warnings) + summary.warnings
        if policy.deleted:
            summary.warnings = [
                f"deleted {len(policy.deleted)} member votes left out of the file "
                f"(--allow-deletions): " + "; ".join(policy.deleted),
                *summary.warnings,
            ]
        return summary


def _without_unchanged(parsed: ParsedSource, data: bytes) -> tuple[ParsedSource, int]:
    """The file's records less those the site would export exactly so today."""
    current = {
        record.extra.get("record_id"): _compared(record) for record in _exported_now(data).records
    }
    kept = [
        record
        for record in parsed.records
        if not (
            isinstance(record, DraftRecord)
            and record.extra.get("record_id") is not None
            and current.get(record.extra["record_id"]) == _compared(record)
        )
    ]
    unchanged = len(parsed.records) - len(kept)
    return dataclasses.replace(parsed, records=tuple(kept)), unchanged


def _exported_now(data: bytes) -> ParsedSource:
    """The published record exported in the file's own layout, read back the same way."""
    drafts = DraftFilter(QueryDict("")).qs
    if data.lstrip().startswith(b"{"):
        chunks = exports.json_chunks(drafts)
    else:
        header = data.split(b"\n", 1)[0]
        chunks = exports.csv_lines(drafts, per_vote=b"ms_code" in header)
    return site_export.parse("".join(chunks).encode(), name="the current export")


def _compared(record: DraftRecord) -> DraftRecord:
    """What must agree: every value and vote, wherever in the file it stands."""
    votes = tuple(sorted(record.votes, key=lambda vote: (vote.code, vote.position)))
    return dataclasses.replace(record, location="", votes=votes)
