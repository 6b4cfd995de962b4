"""Parser for the Voting-Agent compilation of Security Council votes, 1994–2025 (secondary).

Source: GitHub repository oliverunv/Voting-Agent, ``data/sc_voting.xlsx``, one sheet, one
row per member vote; ``sc_voting_from_xlsx_DERIVED.csv`` is the same sheet as CSV with a
``date_iso`` column added (PROVENANCE.md section 4). Rows sharing an ``ID`` are one vote:
on a draft, on an amendment, adopted or not. It is the only source with member votes on
drafts that failed, and a third-party compilation with faults of its own.

Every fault is caught by a check (here for one vote's cells, in ``voting_agent_checks``
across votes), recorded in ``extra["faults"]`` as ``(kind, detail)`` with a flag, and
summarised by kind in the parse's warnings. **A value a check finds wrong is never given
as fact**: its field is left empty (``date=None``, ``votes=()``, ``outcome=""``, ...),
the value as written stays in ``extra`` (``date_as_written``, ``votes_as_written``, ...)
and a deduced value, where there is one, is offered beside it (``date_deduced``), never
in the field.

What the file does not say: who was absent or did not vote (such members are simply not
listed; see ``members_unlisted``), the recorded totals, vetoes as such (``vetoed_by`` is
the permanent members listed against a vote the file calls a veto, when Article 27 on the
listed votes agrees). ``Membership_Status`` says who sits on the Council *in 2025*, not on
the day, and is not kept. Votes on amendments carry ``extra["vote_on"] = "amendment"``,
with the amended draft in ``extra["amended_draft"]``.

Reads the CSV, or the ``.xlsx`` itself when openpyxl is installed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from resolutions.sources.records import (
    DraftRecord,
    ParsedSource,
    SourceError,
    VoteRecord,
    fault_flags,
    fault_summary,
    source_bytes,
    source_location,
)
from resolutions.sources.voting_agent.checks import (
    check_members,
    check_outcomes,
    check_repeats,
    link_amendments,
)
from resolutions.sources.voting_agent.group import FAULTS, VoteGroup
from resolutions.sources.voting_agent.order import (
    check_dates,
    check_meeting_numbers,
    check_resolution_order,
)
from resolutions.sources.voting_agent.reading import COLUMNS, csv_rows, groups_of, xlsx_rows
from votes.choices import Outcome, Source
from votes.names import NameResolver, default_resolver

__all__ = ["COLUMNS", "FAULTS", "parse"]


def parse(
    source: Path | bytes, *, name: str | None = None, resolver: NameResolver | None = None
) -> ParsedSource:
    """The file (CSV or .xlsx) -> one DraftRecord per vote ID, in the file's order."""
    data, file = source_bytes(source, name)
    rows, skipped, unit = _rows(data, file)
    groups = groups_of(rows, file, resolver or default_resolver())
    if not groups:
        raise SourceError(file, "", "the file holds no votes")

    link_amendments(groups)
    check_members(groups)
    check_dates(groups)
    check_resolution_order(groups)
    check_meeting_numbers(groups)
    check_outcomes(groups)
    check_repeats(groups)

    records = [_record(group, unit) for group in groups]
    latest = max(group.date for group in groups).isoformat()
    warnings = [
        f"the file states no version; the latest vote date in it, {latest}, is used",
        *([f"{skipped} blank row(s) skipped"] if skipped else []),
        *fault_summary(records, FAULTS),
    ]
    return ParsedSource(
        source=Source.VOTING_AGENT.value,
        version=latest,
        location=source_location(source, name),
        records=tuple(records),
        warnings=tuple(warnings),
    )


def _rows(data: bytes, file: str) -> tuple[list, int, str]:
    """The file's rows, the blank ones skipped, and what a row is called in messages."""
    if data[:4] == b"PK\x03\x04":  # a zip archive: the spreadsheet itself
        rows, skipped = xlsx_rows(data, file)
        return rows, skipped, "sheet rows"
    return csv_rows(data, file), 0, "lines"


def _extra(group: VoteGroup) -> dict:
    """What the record keeps besides its fields: the file's own cells, ids and lines."""
    cells, extra = group.cells, dict(group.extra)
    written = extra.get("rows_as_written") or group.members
    extra.update(
        id=group.id,
        lines=group.lines,
        faults=list(group.faults),
        date_as_written=group.date,
        sponsors=tuple(s.strip() for s in cells["Submitted by"].split(",") if s.strip()),
        submitted_by=cells["Submitted by"],
        topic=cells["Topic"].strip(),
        category=cells["Category"].strip(),
        region=cells["Region"].strip(),
        outcome_as_written=cells["Outcome results"],
        # The cells exactly as written, whether or not their value is given as fact.
        draft_as_written=cells["Draft"],
        resolution_as_written=cells["Resolution"],
        meeting_as_written=cells["Meeting"],
        positions=dict(Counter(m.position for m in written)),
    )
    return extra


def _record(group: VoteGroup, unit: str) -> DraftRecord:
    withheld = group.withheld
    votes = tuple(VoteRecord(m.position, code=m.code, name=m.name) for m in group.members)
    extra = _extra(group)
    written = extra.pop("rows_as_written", ())
    if "votes" in withheld or len(written) != len(votes):
        # Every row as written: the votes withheld, or a member's rows left out.
        extra["votes_as_written"] = tuple(
            VoteRecord(m.position, code=m.code, name=m.name) for m in written or group.members
        )
    resolution = _kept(group, "resolution", group.resolution, None)
    outcome = _kept(group, "outcome", group.outcome.value)
    # Set by the outcome check only when the listed votes make the stated veto.
    vetoers = extra.pop("vetoed_by", ())
    vetoed_by = vetoers if outcome == Outcome.VETOED else ()
    return DraftRecord(
        source=Source.VOTING_AGENT.value,
        location=f"ID {group.id} ({unit} {group.lines[0]}-{group.lines[1]})",
        date=_kept(group, "date", group.date, None),
        draft_symbol=_kept(group, "draft", group.draft_symbol),
        resolution_number=resolution[0] if resolution else None,
        resolution_year=resolution[1] if resolution else None,
        meeting_symbol=_kept(group, "meeting", group.meeting_symbol),
        agenda=" ".join(group.cells["Agenda item"].split()),
        modality=group.modality.value,
        outcome=outcome,
        vetoed_by=tuple(vetoed_by),
        votes=_kept(group, "votes", votes, ()),
        flags=fault_flags(group.faults, FAULTS),
        extra=extra,
    )


def _kept(group: VoteGroup, what: str, value, withheld=""):
    """The value, or ``withheld`` in its place when the checks withheld it as untrusted."""
    return withheld if what in group.withheld else value
