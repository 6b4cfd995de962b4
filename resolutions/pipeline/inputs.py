"""What a sync reads: the inputs found in a folder laid out like ../shared/data, in
load order, and the digest of each.

Kept apart from ``resolutions.pipeline.sync`` (the parsers and the loader) because
deciding whether a sync can be skipped (``sync_state``) needs only these: a skipped
sync must not pay for importing the parsers' libraries.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from resolutions.sources.records import SourceError
from votes.choices import Source


@dataclass(frozen=True)
class Input:
    """One thing to read: a file or a directory, with a version when its name has none."""

    source: str
    path: Path
    version: str = ""


def digest(path: Path) -> str:
    """SHA-256 of each file's name and content, a directory's files in name order (the
    value every ``SourceImport`` keeps, so its recipe never changes)."""
    sha = hashlib.sha256()
    paths = sorted(path.iterdir()) if path.is_dir() else [path]
    for item in paths:
        if item.is_file():
            sha.update(item.name.encode())
            with item.open("rb") as stream:
                # Into the same hash, in hashlib's blocks: no file is read whole.
                hashlib.file_digest(stream, lambda: sha)
    return sha.hexdigest()


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
