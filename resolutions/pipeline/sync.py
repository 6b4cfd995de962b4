"""Which parser reads which official source, and the order they are loaded in.

``sync_un_data`` loads every source: membership first (votes are checked
against it), then the per-member voting data, then the summaries that add the
drafts not adopted and the vetoes. A directory laid out like ../shared/data
or the official URLs (``resolutions.pipeline.fetch``) can be the origin.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from resolutions.models import Draft
from resolutions.pipeline.deduction import deduce_votes
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


@dataclass(frozen=True)
class Input:
    """One thing to read: a file or a directory, with a version when its name has none."""

    source: str
    path: Path
    version: str = ""


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    paths = sorted(path.iterdir()) if path.is_dir() else [path]
    for item in paths:
        if item.is_file():
            sha.update(item.name.encode())
            sha.update(item.read_bytes())
    return sha.hexdigest()


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


_DATED = re.compile(r"(\d{4})[_-](\d{1,2})[_-](\d{1,2})")


def _dated(path: Path) -> tuple[int, int, int]:
    match = _DATED.search(path.name)
    if not match:
        return (0, 0, 0)
    year, month, day = (int(g) for g in match.groups())
    return (year, month, day)


# The reconstructed history has no date in its name; PROVENANCE.md dates the
# wide copy it was rebuilt from to 29 January 2022.
DERIVED_UNDL_VERSION = "2022-01-29 (reconstructed)"


def inputs_from_dir(root: Path) -> list[Input]:
    """The inputs found in a directory laid out like ../shared/data, in load order."""
    root = Path(root)
    if not root.is_dir():
        raise SourceError(str(root), "", "no such directory")
    found = [*_membership(root), *_voting_data(root), *_dgacm(root), *_library_tables(root)]
    found += _dppa_vetoes(root)
    if not found:
        raise SourceError(str(root), "", "no official source files found in this directory")
    return found + _secondary(root)


def _membership(root: Path) -> list[Input]:
    """The newest DPPA membership file."""
    files = sorted((root / "dppa_sc_membership").glob("*.csv"), key=_dated)
    return [Input(Source.DPPA, files[-1])] if files else []


def _voting_data(root: Path) -> list[Input]:
    """Oldest first, so a newer official file's values replace a reconstruction's."""
    files = sorted(
        (root / "undl_sc_voting").glob("*.csv*"), key=lambda p: ("DERIVED" not in p.name, _dated(p))
    )
    return [
        Input(Source.UNDL, path, DERIVED_UNDL_VERSION if "DERIVED" in path.name else "")
        for path in files
    ]


def _dgacm(root: Path) -> list[Input]:
    """The adopted resolutions (JSON Lines), then the drafts not adopted (XML)."""
    found = []
    adopted = root / "unxml_sc_resolutions" / "data_extract"
    if any(adopted.glob("*.json")):
        found.append(Input(Source.UNXML_ADOPTED, adopted))
    xml = root / "unxml_sc_resolutions" / "not_adopted_english"
    if xml.is_dir():
        found.append(Input(Source.UNXML, xml))
    return found


def _library_tables(root: Path) -> list[Input]:
    """The Veto List, then the meetings tables."""
    found = []
    tables = root / "dhl_meetings_tables"
    veto = tables / "scact_veto_table_en.html"
    if veto.exists():
        found.append(Input(Source.DHL_VETO, veto))
    if any(tables.glob("scact[0-9][0-9][0-9][0-9]_table_en.htm*")):
        found.append(Input(Source.DHL_MEETINGS, tables))
    return found


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


def _dppa_vetoes(root: Path) -> list[Input]:
    """DPPA's veto dataset, when the folder has one (it is downloaded, never stored)."""
    files = sorted((root / "dppa_sc_vetoes").glob("*.csv"), key=_dated)
    return [Input(Source.DPPA_VETOES, files[-1])] if files else []


# The third-party compilations, each checked against the official record loaded before
# them (resolutions.pipeline.secondary); the fullest first, since a member's compiled
# vote is written by the first that gives it.
SECONDARY_FILES = (
    (Source.VOTING_AGENT, "sc_voting_agent_1994_2025/sc_voting_from_xlsx_DERIVED.csv"),
    (Source.YORDAN_VETOES, "yordan_vetoes/unsc_vetoes_1946_sept2022.csv"),
    (Source.FAILED_DRAFTS_SAMPLE, "unsc_for_us_failed_drafts/cleaned_data_unsc_DERIVED.csv"),
)


def _secondary(root: Path) -> list[Input]:
    return [
        Input(source, root / name) for source, name in SECONDARY_FILES if (root / name).exists()
    ]


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
