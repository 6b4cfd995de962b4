"""What the record covers, computed from the database: never written by hand.

* :func:`decade_table`: by decade, the drafts put to the vote, adopted, vetoed and
  not adopted, and how many have every member's vote, by the kind of evidence
  behind them (``votes.choices.Evidence``), or not;
* :func:`source_spans` and :func:`uncovered_periods`: each loaded source's first
  and last record, and the periods no loaded source covers for each kind of record;
* :func:`freshness`: each source's newest loaded version;
* :func:`failed_draft_facts` and the caveats built from it, which every page that
  counts (country, P5, vetoes, lists) states beside its figures.

"Complete" is the worklist's rule (``DraftQuerySet.incomplete_votes``): every
member who sat that day has a vote, and as many sat as the Charter gives seats.
A draft with complete votes is classed by the weakest evidence among them:
one compiled vote makes it "compiled", else one deduced vote "deduced", else one
editor's vote "editor", else it is "official".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Subquery

from resolutions.caching import cached
from resolutions.models import Draft, SourceImport
from resolutions.source_entries import version_key
from votes.choices import Source, evidence_of
from votes.models import CoverageYear, DraftYear
from votes.yearly import COVERAGE_CLASSES

# The classes of the coverage table's member-vote columns (votes.yearly.vote_class).
CLASSES = COVERAGE_CLASSES


# Kinds of record, and the sources that set out to list every record of a kind.
# A sample (the hand-collected failed drafts) lists some, so it covers no period;
# nor do the membership, reference and starter data, deductions and editors.
class Scope(models.TextChoices):
    ADOPTED = "adopted", "adopted resolutions"
    VETOED = "vetoed", "vetoed drafts"
    NOT_ADOPTED = "not_adopted", "drafts not adopted for want of votes"


SCOPES: dict[str, frozenset[str]] = {
    Scope.ADOPTED: frozenset(
        {Source.UNDL, Source.UNXML_ADOPTED, Source.DHL_MEETINGS, Source.VOTING_AGENT}
    ),
    Scope.VETOED: frozenset(
        {
            Source.DHL_VETO,
            Source.DHL_MEETINGS,
            Source.UNXML,
            Source.DPPA_VETOES,
            Source.VOTING_AGENT,
            Source.YORDAN_VETOES,
        }
    ),
    Scope.NOT_ADOPTED: frozenset({Source.DHL_MEETINGS, Source.UNXML, Source.VOTING_AGENT}),
}
# Every source whose records have dates that can cover a period, plus the sample.
DRAFT_SOURCES = (
    *(s for s in Source.values if any(s in sources for sources in SCOPES.values())),
    Source.FAILED_DRAFTS_SAMPLE,
)


# By decade ---------------------------------------------------------------------------


@dataclass
class CoverageRow:
    """One decade (or the total): counts of published records."""

    label: str
    drafts: int = 0
    adopted: int = 0
    vetoed: int = 0
    not_adopted: int = 0
    unknown: int = 0
    without_vote: int = 0  # adopted without a vote: no member votes to have
    votes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLASSES, 0))

    def add(self, outcome: str, kind: str, n: int = 1) -> None:
        """n drafts of this outcome, their member votes of this class ("": adopted
        without a vote)."""
        self.drafts += n
        name = outcome if outcome in ("adopted", "vetoed", "not_adopted") else "unknown"
        setattr(self, name, getattr(self, name) + n)
        if not kind:
            self.without_vote += n
        else:
            self.votes[kind] += n

    @property
    def complete(self) -> int:
        return sum(self.votes[k] for k in ("official", "editor", "deduced", "compiled"))

    @property
    def cells(self) -> list[int]:
        return [self.votes[k] for k in CLASSES]


@dataclass
class DecadeTable:
    rows: list[CoverageRow]
    total: CoverageRow

    @property
    def worklist(self) -> int:
        """Published recorded votes without every member's vote (the editors' worklist)."""
        return self.total.votes["incomplete"] + self.total.votes["none"]


def decade_table() -> DecadeTable:
    """The published record by decade. Queries: one, of the per-year counts
    (``CoverageYear``, recounted with the outcomes by ``refresh_outcomes``)."""
    rows = CoverageYear.objects.order_by("year").values_list("year", "outcome", "votes", "drafts")
    decades: dict[int, CoverageRow] = {}
    total = CoverageRow("All years")
    for year, outcome, kind, n in rows:
        decade = year // 10 * 10
        decades.setdefault(decade, CoverageRow(f"{decade}s")).add(outcome, kind, n)
        total.add(outcome, kind, n)
    return DecadeTable([decades[d] for d in sorted(decades)], total)


# Periods and sources --------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    source: str
    first: date
    last: date


def _edge(source: str, order: str) -> Subquery:
    """The first (``date``) or last (``-date``) date of a record the source describes:
    one lookup in its partial index (resolutions.models.span_index)."""
    dated = Draft.objects.filter(sources__has_key=source, date__isnull=False)
    return Subquery(dated.order_by(order).values("date")[:1])


def source_spans() -> dict[str, Span]:
    """Each source's first and last record (any draft it describes, published or not:
    a record an editor has not yet published is still covered). One query, of two
    index lookups per source, whatever the size of the record."""
    edges = {}
    for source in DRAFT_SOURCES:
        edges[f"{source}_first"] = _edge(source, "date")
        edges[f"{source}_last"] = _edge(source, "-date")
    found = Draft.objects.annotate(**edges).values(*edges).first()
    if found is None:
        return {}
    return {
        source: Span(source, found[f"{source}_first"], found[f"{source}_last"])
        for source in DRAFT_SOURCES
        if found[f"{source}_first"] is not None
    }


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def uncovered(spans: list[Span], lo: date, hi: date) -> list[Period]:
    """The days in [lo, hi] that none of the spans covers, as periods."""
    gaps = []
    cursor = lo  # the first day not yet known to be covered
    for span in sorted(spans, key=lambda s: s.first):
        if span.first > cursor:
            gaps.append(Period(cursor, span.first - timedelta(days=1)))
        cursor = max(cursor, span.last + timedelta(days=1))
    if cursor <= hi:
        gaps.append(Period(cursor, hi))
    return gaps


# The sources that cover some kind of record.
COVERING = frozenset().union(*SCOPES.values())


def uncovered_periods(spans: dict[str, Span]) -> dict[str, list[Period]]:
    """Per kind of record, the periods within the record's span that no source covers.

    The record's span runs from the first to the last record of any source that
    covers a kind (the sample's records are inside it anyway).
    """
    covering = [s for s in spans.values() if s.source in COVERING]
    if not covering:
        return {}
    lo = min(s.first for s in covering)
    hi = max(s.last for s in covering)
    return {
        scope: uncovered([s for s in covering if s.source in sources], lo, hi)
        for scope, sources in SCOPES.items()
    }


@dataclass(frozen=True)
class Freshness:
    source: str
    label: str
    evidence: str  # the Evidence label: official UN source or third-party compilation
    version: str
    loaded: datetime
    span: Span | None


def freshness(spans: dict[str, Span]) -> list[Freshness]:
    """Each source loaded: its newest version and when it was loaded. One query."""
    newest: dict[str, SourceImport] = {}
    for run in SourceImport.objects.order_by("source", "-finished_at", "-pk"):
        best = newest.get(run.source)
        if best is None or version_key(run.version) > version_key(best.version):
            newest[run.source] = run
    return [
        Freshness(
            source=run.source,
            label=run.get_source_display(),
            evidence=evidence_of(run.source).label,
            version=run.version,
            loaded=run.finished_at,
            span=spans.get(run.source),
        )
        for source, run in sorted(newest.items())
    ]


# The facts behind every counting page's caveat -----------------------------------------


@dataclass(frozen=True)
class FailedDraftFacts:
    """Vetoed and not-adopted published drafts, and which have any member votes;
    beside them, the same for vetoed drafts alone and for every recorded vote."""

    total: int
    with_votes: int
    # The year of the first such draft with member votes (None: none has any), and
    # how many such drafts there are from that year on.
    first_with_votes: int | None = None
    since_first: int = 0
    first_year: int | None = None  # of the earliest failed draft
    vetoed: int = 0
    vetoed_with_votes: int = 0
    recorded: int = 0  # every published recorded vote (not those adopted without a vote)
    recorded_with_votes: int = 0

    @property
    def without_votes(self) -> int:
        return self.total - self.with_votes


def failed_draft_facts() -> FailedDraftFacts:
    """One query, of the per-year counts (``DraftYear``, written with the outcomes by
    ``refresh_outcomes``): O(years), where reading each recorded vote was O(drafts) on
    every counting page."""
    years = DraftYear.objects.order_by("year").values_list(
        "year",
        "failed",
        "failed_with_votes",
        "vetoed",
        "vetoed_with_votes",
        "recorded",
        "recorded_with_votes",
    )
    rows = list(years)
    return FailedDraftFacts(
        **_failed_counts([(year, failed, voted) for year, failed, voted, *_ in rows]),
        vetoed=sum(r[3] for r in rows),
        vetoed_with_votes=sum(r[4] for r in rows),
        recorded=sum(r[5] for r in rows),
        recorded_with_votes=sum(r[6] for r in rows),
    )


def _failed_counts(years: list[tuple[int, int, int]]) -> dict:
    """From (year, failed drafts, those with member votes), in year order: how many,
    how many with member votes, and how many since the first year one has them."""
    first = next((year for year, _, voted in years if voted), None)
    since_first = 0 if first is None else sum(n for year, n, _ in years if year >= first)
    return {
        "total": sum(n for _, n, _ in years),
        "with_votes": sum(voted for *_, voted in years),
        "first_with_votes": first,
        "since_first": since_first,
        "first_year": next((year for year, n, _ in years if n), None),
    }


def verb(n: int) -> str:
    return "has" if n == 1 else "have"


def have(n: int) -> str:
    """'1 has', '3 have'."""
    return f"{n} {verb(n)}"


def failed_drafts_caveat(facts: FailedDraftFacts) -> str:
    """What member-by-member counts leave out, in words, from the facts above."""
    if not facts.total:
        return "No vetoed or failed draft is in the record."
    if not facts.without_votes:
        return f"All {facts.total} vetoed or failed drafts have member votes and are counted."
    rest = facts.without_votes
    said = (
        f"Of the {facts.total} drafts vetoed or not adopted, {have(facts.with_votes)} "
        f"member votes; the other {rest} {'is' if rest == 1 else 'are'} known only by "
        "totals and vetoing members, so left out of counts of member votes."
    )
    first = facts.first_with_votes
    if first is None or first == facts.first_year:
        return said
    return (
        f"{said} Before {first} the member-by-member record is only adopted resolutions; "
        f"from {first}, {facts.with_votes} of the {facts.since_first} vetoed or failed "
        f"drafts {verb(facts.with_votes)} member votes."
    )


def period_text(period: Period) -> str:
    def day(on: date) -> str:
        return f"{on.day} {on:%B %Y}"

    if period.start == period.end:
        return day(period.start)
    return f"{day(period.start)} – {day(period.end)}"


def gaps_caveat(periods: dict[str, list[Period]], scopes: tuple[str, ...]) -> str:
    """'No loaded source covers vetoed drafts from 27 May 2022 to …', or ''."""
    said = [
        f"{Scope(scope).label} in {', '.join(period_text(p) for p in gaps)}"
        for scope in scopes
        if (gaps := periods.get(scope))
    ]
    if not said:
        return ""
    return "No loaded source covers " + "; ".join(said) + ": any votes then are missing here."


@dataclass
class Coverage:
    """Everything /data/#coverage shows."""

    table: DecadeTable
    spans: dict[str, Span]
    periods: dict[str, list[Period]]
    sources: list[Freshness]

    @property
    def gaps(self) -> list[dict]:
        """Per kind of record, in words: the periods no loaded source covers."""
        return [
            {"scope": Scope(scope).label, "periods": [period_text(p) for p in periods]}
            for scope, periods in self.periods.items()
        ]


def coverage() -> Coverage:
    """Queries: the decade table (1), the sources' spans (2), the imports (3)."""
    spans = source_spans()
    return Coverage(
        table=decade_table(),
        spans=spans,
        periods=uncovered_periods(spans),
        sources=freshness(spans),
    )


def counting_caveats(scopes: tuple[str, ...] = tuple(SCOPES)) -> dict[str, object]:
    """What a counting page says of its figures' basis, kept in the shared cache under
    the record's version (resolutions.caching). Queries: two, when not cached."""

    def compute() -> dict[str, object]:
        facts = failed_draft_facts()
        periods = uncovered_periods(source_spans())
        return {
            "facts": facts,
            "failed_caveat": failed_drafts_caveat(facts),
            "gaps_caveat": gaps_caveat(periods, scopes),
        }

    return cached("counting_caveats", scopes, compute)


def p5_basis(facts: FailedDraftFacts) -> str:
    """The n behind the P5 page's figures."""
    return (
        f"Agreement and splits count the {facts.recorded_with_votes} of the record's "
        f"{facts.recorded} recorded votes that have member votes; vetoes count all "
        f"{facts.vetoed} vetoed drafts, {facts.vetoed_with_votes} of them with member votes."
    )


def veto_basis(facts: FailedDraftFacts) -> str:
    """The n behind the vetoes page's counts."""
    return (
        f"The record holds {facts.vetoed} vetoed drafts; {facts.vetoed_with_votes} of them "
        f"{verb(facts.vetoed_with_votes)} member votes, the others only the totals and "
        "the vetoing members, which is all a veto count needs."
    )
