"""Records that only a compilation describes: loaded, and labelled as such.

The Library's Veto List and meetings tables end in May 2022 and DGACM's XML of
drafts not adopted starts in March 2023, so no official source loaded here
describes the drafts put to the vote in between, vetoes among them (S/2022/720,
30 September 2022). The compilations do. Leaving those votes out would be a
hole no page admits; inventing official values would be worse. So a compilation
record that matches no record an official source describes becomes a record of
its own:

* created through the same loader steps as an official source's records (match,
  merge, write, refresh), with the compilation as the source of every field, so
  every page and export names it and labels its votes as compiled;
* merged from the compilations alone (``merge`` ranks them below every official
  source and uses them only where no official source describes the draft): two
  compilations that disagree leave a disagreement, as two official sources do;
* never the ground for a deduction, which needs an official tally;
* taken over by the first official source that describes it (matched by symbol
  and day like any other record), whose values then rank first.
"""

from __future__ import annotations

from dataclasses import replace

from resolutions.models import Draft
from resolutions.pipeline.evidence import MeetingOrder
from resolutions.pipeline.loader import Load, _Loader
from resolutions.pipeline.merge import Merged, merge
from resolutions.pipeline.summary import ImportSummary
from resolutions.pipeline.values import current_values, editor_owned
from resolutions.sources.records import DraftRecord, ParsedSource


def compiled_only(draft: Draft) -> bool:
    """Whether only compilations describe a draft: no official source's entry in it."""
    return draft.compiled_only


class _CompiledOnlyLoader(_Loader):
    """The loader's steps, matching only among the drafts no official source describes,
    so that a compilation's record can never be written onto an official one."""

    def drafts(self) -> list[Draft]:
        return [draft for draft in super().drafts() if compiled_only(draft)]

    def _merged(self, load: Load, meetings: MeetingOrder | None = None) -> Merged:
        """Merged from this compilation's entry alone (and an editor's changes): what
        another compilation says of the record is checked against it, as against an
        official record, so a second sync finds nothing new to merge."""
        draft = load.draft
        owned = editor_owned(draft) if draft.pk else set()
        own = {self.source: draft.sources[self.source]}
        return merge(own, current_values(draft, owned) if owned else {}, meetings)


def load_compiled_only(
    parsed: ParsedSource, records: list[DraftRecord], summary: ImportSummary
) -> set[int]:
    """Load the records no official record matches; the ids of the drafts they describe."""
    if not records:
        return set()
    records, again = _one_each(records)
    own = ImportSummary(parsed.source, parsed.version)
    loader = _CompiledOnlyLoader(replace(parsed, records=tuple(records)), own, progress=False)
    loaded = loader.run()
    summary.created += own.created
    summary.updated += own.updated
    summary.conflicts += own.conflicts
    summary.warnings += own.warnings
    summary.warnings.append(
        f"{len(loaded)} record(s) that no official source describes, loaded as records "
        f"of this compilation alone ({own.created} new), labelled as compiled"
    )
    summary.warnings += [
        f"{record.location}: lists {_key(record)[0]} again ({record.date}); counted once"
        for record in again
    ]
    return loaded


def _key(record: DraftRecord) -> tuple:
    named = f"S/RES/{record.resolution_number}" if record.resolution_number else ""
    return (named or record.draft_symbol, record.date)


def _one_each(records: list[DraftRecord]) -> tuple[list[DraftRecord], list[DraftRecord]]:
    """One record per draft, the fullest (an outcome, then the most member votes), and
    the repeats: the compilation lists some votes twice (S/1996/952, once without its
    outcome), and two records would make two drafts of one vote."""
    best: dict[tuple, DraftRecord] = {}
    again: list[DraftRecord] = []
    for record in records:
        kept = best.setdefault(_key(record), record)
        if kept is record:
            continue
        if _fullness(record) > _fullness(kept):
            best[_key(record)], record = record, kept
        again.append(record)
    return list(best.values()), again


def _fullness(record: DraftRecord) -> tuple[bool, int]:
    return bool(record.outcome), len(record.votes)
