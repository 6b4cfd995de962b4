"""Load DPPA's yearly membership into elected Council terms.

Permanent terms come from the Charter reference data, never from this file.
Every name that cannot be mapped and every blank name is reported (and kept
as a membership disagreement for ``data_report``); blanks are filled only by
the cited corrections in ``votes/reference/membership_corrections.csv``.
"""

from __future__ import annotations

import json
from collections import defaultdict

from resolutions.models import Disagreement, Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.summary import ImportSummary, recorded_import
from resolutions.sources.dppa import build_terms
from resolutions.sources.records import ParsedSource, SourceError
from votes.choices import Source, TermKind
from votes.council import check_terms
from votes.models import MembershipTerm, MemberState, MemberVote
from votes.reference.load import load_reference_data


def load_membership(
    parsed: ParsedSource, *, dry_run: bool = False, sha256: str = ""
) -> ImportSummary:
    summary = ImportSummary(Source.DPPA, parsed.version, dry_run=dry_run)
    plan = build_terms(parsed.records)
    summary.warnings += [
        f"{where}: cannot map the name {name!r} ({year}); not loaded"
        for where, year, name in plan.unmapped
    ]
    summary.warnings += [
        f"{where}: blank name ({year})" + _correction_note(where, plan)
        for where, year in plan.blank
    ]
    summary.warnings += plan.problems

    def work() -> None:
        load_reference_data()
        _apply(plan, parsed, summary)

    return recorded_import(summary, str(parsed.location), work, model=MembershipTerm, sha256=sha256)


def _correction_note(where: str, plan) -> str:
    for location, row in plan.corrected:
        if location == where:
            return f"; filled with {row.code} by the reference correction ({row.reason[:80]}…)"
    return "; left empty (no correction on file)"


def _apply(plan, parsed: ParsedSource, summary: ImportSummary) -> None:
    states = {s.code: s for s in MemberState.objects.all()}
    missing = sorted({t.code for t in plan.terms} - states.keys())
    if missing:
        raise SourceError(
            str(parsed.location), "", f"no member state for code(s) {', '.join(missing)}"
        )
    # The official record supersedes the starter data's stand-in terms.
    MembershipTerm.objects.filter(kind=TermKind.ELECTED, source=Source.SEED).delete()
    changes = _TermChanges(states, parsed.version)
    for term in plan.terms:
        changes.plan(term, summary)
    stale = changes.stale()
    moved = [t.start for t in (*changes.create, *changes.update)]
    moved += [t.start for t in changes.ours.values() if t.pk in stale]
    MembershipTerm.objects.filter(pk__in=stale).delete()
    MembershipTerm.objects.bulk_update(changes.update, ["end", "source_version"])
    MembershipTerm.objects.bulk_create(changes.create)
    if moved:
        # Who sat on those days changed, so which drafts have every member's vote (the
        # coverage table's counts, votes.yearly) follows, through the one writer.
        drafts = list(Draft.objects.filter(date__gte=min(moved)).values_list("pk", flat=True))
        if drafts:
            refresh_outcomes(drafts)
    summary.created, summary.updated = len(changes.create), len(changes.update) + len(stale)
    _check_terms(parsed)
    summary.conflicts = _record_reports(plan)


class _TermChanges:
    """DPPA's terms against the stored elected terms: what to create, update, remove."""

    def __init__(self, states: dict, version: str):
        self.states, self.version = states, version
        elected = list(MembershipTerm.objects.filter(kind=TermKind.ELECTED).select_related("state"))
        self.ours = {(t.state.code, t.start): t for t in elected if t.source == Source.DPPA}
        self.others = [t for t in elected if t.source != Source.DPPA]
        self.keep: set[int] = set()
        self.create: list[MembershipTerm] = []
        self.update: list[MembershipTerm] = []

    def plan(self, term, summary: ImportSummary) -> None:
        clash = _clash(term, self.others)
        existing = self.ours.get((term.code, term.start))
        if clash is not None:
            # An editor's (or the starter data's) term stands; say so.
            summary.warnings.append(
                f"{term.code} {term.start.year}–{term.end.year}: kept the existing "
                f"{clash.get_source_display().lower()} term {clash.start} – {clash.end}"
            )
        elif existing is None:
            self.create.append(_new_term(term, self.states, self.version))
        elif existing.end != term.end:
            self.keep.add(existing.pk)
            existing.end, existing.source_version = term.end, self.version
            self.update.append(existing)
        else:
            self.keep.add(existing.pk)
            summary.unchanged += 1

    def stale(self) -> list[int]:
        """Terms this file no longer gives."""
        return [t.pk for t in self.ours.values() if t.pk not in self.keep]


def _clash(term, others: list[MembershipTerm]) -> MembershipTerm | None:
    """A term from another source (an editor, the starter data) overlapping this one."""
    for other in others:
        overlaps = other.start <= term.end and (other.end is None or other.end >= term.start)
        if other.state.code == term.code and overlaps:
            return other
    return None


def _new_term(term, states: dict, version: str) -> MembershipTerm:
    return MembershipTerm(
        state=states[term.code],
        start=term.start,
        end=term.end,
        kind=TermKind.ELECTED,
        source=Source.DPPA,
        source_version=version,
    )


def _check_terms(parsed: ParsedSource) -> None:
    """The new terms must keep the seat limits and every recorded vote inside a term."""
    problems = check_terms(MembershipTerm.objects.all())
    if problems:
        raise SourceError(
            str(parsed.location), "", "the Council's terms break the seat limits: " + problems[0]
        )
    stranded = _votes_outside_terms()
    if stranded:
        raise SourceError(
            str(parsed.location),
            "",
            f"{len(stranded)} recorded votes would fall outside the Council's terms, e.g. "
            f"{stranded[0]}; a name this file could not map may be the cause",
        )


def _votes_outside_terms() -> list[str]:
    """Votes already recorded by states the new terms no longer seat that day."""
    spans: dict[int, list[tuple]] = defaultdict(list)
    for state_id, start, end in MembershipTerm.objects.values_list("state_id", "start", "end"):
        spans[state_id].append((start, end))
    return [
        f"{name} on {on}{f' ({symbol})' if symbol else ''}"
        for state_id, name, on, symbol in MemberVote.objects.values_list(
            "state_id", "name_at_vote", "draft__date", "draft__draft_symbol"
        )
        if not _seated(spans[state_id], on)
    ]


def _seated(spans: list[tuple], on) -> bool:
    return any(start <= on and (end is None or on <= end) for start, end in spans)


def _record_reports(plan) -> int:
    """Unmapped and blank names, kept for data_report and the admin."""
    reports = [
        Disagreement(
            kind=Disagreement.Kind.MEMBERSHIP,
            field=where[:60],
            values={"dppa": name, "year": year},
            detail=f"DPPA lists {name!r} for {year}; no member state has that name",
            detected_by=Source.DPPA,
        )
        for where, year, name in plan.unmapped
    ]
    corrected = dict(plan.corrected)
    reports += [
        Disagreement(
            kind=Disagreement.Kind.MEMBERSHIP,
            field=where[:60],
            values={"dppa": "", "year": year, "reference": corrected[where].code}
            if where in corrected
            else {"dppa": "", "year": year},
            detail=(
                f"DPPA's name for {year} is blank; "
                + (
                    f"filled with {corrected[where].code}: {corrected[where].reason}"
                    if where in corrected
                    else "no correction on file, so no term"
                )
            ),
            detected_by=Source.DPPA,
        )
        for where, year in plan.blank
    ]
    _replace_reports(reports)
    return len(reports)


def _replace_reports(reports: list[Disagreement]) -> None:
    """The reports, replaced only when they changed: the same file rewrites nothing, so
    a sync that changes nothing leaves the record's version (and its ETags) alone."""
    stored = Disagreement.objects.filter(kind=Disagreement.Kind.MEMBERSHIP)
    if sorted(map(_report_key, stored)) == sorted(map(_report_key, reports)):
        return
    stored.delete()
    Disagreement.objects.bulk_create(reports)


def _report_key(report: Disagreement) -> tuple:
    return (report.field, json.dumps(report.values, sort_keys=True), report.detail)
