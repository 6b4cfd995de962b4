"""Which parser reads which official source, and the order they are loaded in.

``sync_un_data`` loads every source: membership first (votes are checked
against it), then the per-member voting data, then the summaries that add the
drafts not adopted and the vetoes. A directory laid out like ../shared/data
(``resolutions.pipeline.inputs`` finds the files) or the official URLs
(``resolutions.pipeline.fetch``) can be the origin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from resolutions.models import Draft
from resolutions.pipeline.deduction import deduce_votes
from resolutions.pipeline.inputs import (
    DERIVED_UNDL_VERSION,
    SECONDARY_FILES,
    Input,
    digest,
    inputs_from_dir,
)
from resolutions.pipeline.loader import load_drafts
from resolutions.pipeline.membership import load_membership
from resolutions.pipeline.secondary import load_secondary
from resolutions.pipeline.summary import ImportSummary, recorded_import
from resolutions.sources import (
    dhl_meetings,
    dhl_veto,
    dppa,
    dppa_vetoes,
    failed_drafts_sample,
    site_export,
    undl,
    unxml,
    unxml_adopted,
    voting_agent,
    yordan_vetoes,
)
from resolutions.sources.records import ParsedSource, SourceError
from votes.choices import SECONDARY, Source

# What a sync reads is named here too (since it moved to ``inputs``), for the commands
# and tests that name it from the sync.
__all__ = [
    "DERIVED_UNDL_VERSION",
    "PARSERS",
    "SECONDARY_FILES",
    "Input",
    "deduce",
    "digest",
    "inputs_from_dir",
    "load",
    "parse",
    "sync",
]

# Each source's parser; most take the file's name, to report it.
PARSERS: dict[str, Callable[[Input], ParsedSource]] = {
    Source.UNDL: lambda item: undl.parse(
        item.path, name=item.path.name, version=item.version or None
    ),
    Source.DPPA: lambda item: dppa.parse(item.path, name=item.path.name),
    Source.DHL_VETO: lambda item: dhl_veto.parse(item.path, name=item.path.name),
    Source.UNXML: lambda item: unxml.parse(item.path, name=item.path.name),
    Source.UNXML_ADOPTED: lambda item: unxml_adopted.parse(item.path, name=item.path.name),
    Source.DHL_MEETINGS: lambda item: dhl_meetings.parse(item.path),
    Source.EDITOR: lambda item: site_export.parse(item.path, name=item.path.name),
    Source.DPPA_VETOES: lambda item: dppa_vetoes.parse(item.path, name=item.path.name),
    Source.VOTING_AGENT: lambda item: voting_agent.parse(item.path, name=item.path.name),
    Source.YORDAN_VETOES: lambda item: yordan_vetoes.parse(item.path, name=item.path.name),
    Source.FAILED_DRAFTS_SAMPLE: lambda item: failed_drafts_sample.parse(
        item.path, name=item.path.name
    ),
}


def parse(item: Input) -> ParsedSource:
    """Read one input with its source's parser."""
    if item.source not in PARSERS:
        raise ValueError(f"no parser for {item.source}")
    return PARSERS[item.source](item)


def load(item: Input, *, dry_run: bool = False, progress: bool | None = None) -> ImportSummary:
    parsed = parse(item)
    if item.source == Source.UNDL and not parsed.version:
        # Every record carries the version of the data it came from.
        raise SourceError(
            item.path.name,
            "",
            "the file's name carries no dataset date (like 2026_02_06_sc_voting.csv); "
            "give it with --data-version",
        )
    if item.source == Source.DPPA:
        return load_membership(parsed, dry_run=dry_run, sha256=digest(item.path))
    if item.source in SECONDARY:
        return load_secondary(parsed, dry_run=dry_run, sha256=digest(item.path))
    summary = load_drafts(parsed, dry_run=dry_run, progress=progress, sha256=digest(item.path))
    summary.warnings = list(parsed.warnings) + summary.warnings
    return summary


def deduce(*, dry_run: bool = False) -> ImportSummary:
    """The deduced member votes, recomputed from what the official sources now say."""
    summary = ImportSummary(Source.DEDUCED, "", dry_run=dry_run)

    def work() -> None:
        found = deduce_votes()
        summary.updated = len(found.drafts)
        summary.warnings.append(str(found))

    return recorded_import(
        summary, "official tallies, vetoes and membership", work, model=Draft, sha256=""
    )


def sync(
    inputs: list[Input],
    *,
    dry_run: bool = False,
    progress: bool | None = None,
    report: Callable[[ImportSummary], None] | None = None,
) -> Iterator[ImportSummary]:
    """Load each input in order; the deduced votes are recomputed after the official
    sources and before the secondary ones, which fill only what neither gives, and
    again after them: the official tally can settle a member a compilation leaves out."""
    pending = True
    for item in inputs:
        if pending and item.source in SECONDARY:
            pending = False
            yield _reported(deduce(dry_run=dry_run), report)
        yield _reported(load(item, dry_run=dry_run, progress=progress), report)
    yield _reported(deduce(dry_run=dry_run), report)


def _reported(summary: ImportSummary, report: Callable[[ImportSummary], None] | None):
    if report:
        report(summary)
    return summary
