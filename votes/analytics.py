"""How the permanent members vote together: agreement, divisions and veto counts.

Every figure here is one database aggregate; nothing loops over votes in
Python. The public pages, the CSV/JSON downloads and the API all read these
functions, so a rule changes in one place. The P5 charts, the elected members
and a country's figures sum the per-year tables (``AgreementYear``,
``StateYear``, ``VetoYear``, ``DraftYear``; counted by votes/yearly.py when
refresh_outcomes runs), so they cost O(years), not O(votes); the figures of a
filtered selection (the vetoes page) and the list's filters still read the
member votes.

The rules, stated on the P5 page too:

* **Agreement** of two members: the share of recorded votes on which both cast
  a vote (yes, no or abstention) and cast the same one. Absence and
  non-participation are not votes, so such a draft is left out for that pair.
* **Division**: a recorded vote with all five permanent seats in the
  member-by-member record, on which they did not all take the same position
  (not voting counts as a position of its own).
* **Vetoes** are the ``Veto`` rows the outcome engine stored: one per vetoing
  seat per draft.
* A seat includes its predecessors: the Russian seat counts the USSR's votes
  (to 23 December 1991) and China's seat the Republic of China's (to
  24 October 1971).

``votes`` does not import ``resolutions``; drafts are reached through the app
registry and the ``member_votes``/``vetoes`` relations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear

from votes.choices import Modality, Position, counted
from votes.models import AgreementYear, DraftYear, MemberVote, StateYear, Veto, VetoYear
from votes.seats import PAIRS, SEAT_ORDER

VOTED = (Position.YES, Position.NO, Position.ABSTAIN)


def _drafts() -> Any:
    # Any: the model is looked up by name (votes never imports resolutions), so its
    # QuerySet's own methods are unknown to the type checker.
    return apps.get_model("resolutions", "Draft").objects.published()


def recorded_votes(first_year: int | None = None, last_year: int | None = None) -> QuerySet:
    """Published drafts decided by a recorded vote, within a period of years."""
    drafts = _drafts().recorded_votes()
    return _in_years(drafts, "date", first_year, last_year)


def _in_years(queryset: QuerySet, field: str, first: int | None, last: int | None) -> QuerySet:
    if first is not None:
        queryset = queryset.filter(**{f"{field}__year__gte": first})
    if last is not None:
        queryset = queryset.filter(**{f"{field}__year__lte": last})
    return queryset


# Expressions, shared with resolutions.filters so the list's links select exactly
# the votes a chart counted --------------------------------------------------------


def seat_position(seat_code: str) -> Subquery:
    """The position the holder of a permanent seat took on the outer draft (or NULL)."""
    votes = MemberVote.objects.filter(draft=OuterRef("pk"), seat__code=seat_code)
    return Subquery(votes.values("position")[:1])


def state_position(state) -> Subquery:
    """The position a member state took on the outer draft (or NULL)."""
    votes = MemberVote.objects.filter(draft=OuterRef("pk"), state=state)
    return Subquery(votes.values("position")[:1])


def _p5_rows() -> QuerySet:
    # order_by() and values("draft") make the count a GROUP BY draft, one row.
    return (
        MemberVote.objects.filter(draft=OuterRef("pk"), seat__isnull=False)
        .order_by()
        .values("draft")
    )


def p5_recorded() -> Subquery:
    """How many of the five seats have a member vote on the outer draft."""
    return Subquery(_p5_rows().annotate(n=Count("pk")).values("n"), output_field=IntegerField())


def p5_positions() -> Subquery:
    """How many different positions the five seats took on the outer draft."""
    distinct = _p5_rows().annotate(n=Count("position", distinct=True)).values("n")
    return Subquery(distinct, output_field=IntegerField())


def with_divisions(drafts: QuerySet) -> QuerySet:
    """Drafts with all five seats recorded, annotated ``p5_divided`` (bool filterable)."""
    return drafts.annotate(p5_count=p5_recorded(), p5_distinct=p5_positions()).filter(
        p5_count=len(SEAT_ORDER)
    )


def with_pair(drafts: QuerySet, first: str, second: str) -> QuerySet:
    """Drafts on which both seats voted, annotated with their positions."""
    return drafts.annotate(
        pair_first=seat_position(first), pair_second=seat_position(second)
    ).filter(pair_first__in=VOTED, pair_second__in=VOTED)


# The same selection as draft ids, for the list's divided filter: one GROUP BY over
# the member votes, run once, instead of correlated subqueries evaluated for every
# draft (on PostgreSQL, `topic` with `pair` or `divided` took 1.7-1.9 s that way;
# issue 12). The pair filter probes each listed draft instead (resolutions.filters,
# issue 14). Tests check they select exactly what with_pair and with_divisions do.


def divided_draft_ids(divided: bool) -> QuerySet:
    """Ids of the drafts with all five seats recorded, the five divided or not."""
    rows = (
        MemberVote.objects.filter(seat__isnull=False)
        .order_by()
        .values("draft")
        .annotate(seats=Count("pk"), positions=Count("position", distinct=True))
        .filter(seats=len(SEAT_ORDER))
    )
    rows = rows.filter(positions__gt=1) if divided else rows.filter(positions=1)
    return rows.values("draft")


def year_of(field: str = "date") -> Cast:
    # EXTRACT gives a numeric on PostgreSQL; an integer groups and divides the same everywhere.
    return Cast(ExtractYear(field), IntegerField())


# Queries: one database aggregate each --------------------------------------------


# Below this many votes both cast, a pair's figure is shown greyed: on a handful of
# votes one division moves agreement by tens of points and kappa is noise.
MIN_VOTES = 20


def _marginal(cells: dict[tuple[str, str], int], side: int) -> tuple[int, ...]:
    """How often one member of the pair (side 0 or 1) cast each position."""
    return tuple(sum(n for pair, n in cells.items() if pair[side] == p) for p in VOTED)


@dataclass(frozen=True)
class Agreement:
    """Two members over the votes both cast: how often alike, and Cohen's kappa.

    ``first`` and ``second`` are each member's own counts of yes, no and
    abstention (in ``VOTED`` order) over the same ``both`` votes: the marginals
    that give the agreement expected by chance.
    """

    same: int
    both: int
    first: tuple[int, ...] = (0, 0, 0)
    second: tuple[int, ...] = (0, 0, 0)

    @classmethod
    def from_cells(cls, cells: dict[tuple[str, str], int]) -> Agreement:
        """From the counts of each (first's position, second's position) over cast votes."""
        first, second = _marginal(cells, 0), _marginal(cells, 1)
        same = sum(n for (a, b), n in cells.items() if a == b)
        return cls(same, sum(cells.values()), first, second)

    def __add__(self, other: Agreement) -> Agreement:
        # Counts and marginals add over disjoint sets of votes (years into a term),
        # and kappa needs nothing else.
        return Agreement(
            self.same + other.same,
            self.both + other.both,
            tuple(a + b for a, b in zip(self.first, other.first, strict=True)),
            tuple(a + b for a, b in zip(self.second, other.second, strict=True)),
        )

    @property
    def share(self) -> float | None:
        return self.same / self.both if self.both else None

    @property
    def expected(self) -> float | None:
        """p_e: the agreement two members voting independently at their own rates would show."""
        if not self.both:
            return None
        return sum(f * s for f, s in zip(self.first, self.second, strict=True)) / self.both**2

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa, (p_o - p_e) / (1 - p_e); None when undefined.

        Undefined with no votes, and when p_e is 1: both cast one and the same
        position every time, so there is no variation to agree beyond chance on.
        """
        expected = self.expected
        if expected is None or expected >= 1:
            return None
        return (self.same / self.both - expected) / (1 - expected)

    @property
    def few(self) -> bool:
        """Too few votes for the figure to mean much (shown greyed)."""
        return self.both < MIN_VOTES


def vetoes_per_year(first_year=None, last_year=None, drafts: QuerySet | None = None) -> list[dict]:
    """``[{"year", "seat", "count"}]``: Veto rows of published drafts, by year and seat."""
    if drafts is None:
        per_year = _years(VetoYear.objects.all(), first_year, last_year)
        rows = per_year.values("year", "seat__code").annotate(count=Sum("vetoes"))
    else:
        vetoes = Veto.objects.filter(counted("draft__"), draft__in=drafts)
        vetoes = _in_years(vetoes, "draft__date", first_year, last_year)
        rows = vetoes.annotate(year=year_of("draft__date")).values("year", "seat__code")
        rows = rows.annotate(count=Count("pk"))
    rows = rows.order_by("year", "seat__position")
    return [{"year": r["year"], "seat": r["seat__code"], "count": r["count"]} for r in rows]


def vetoes_per_decade(drafts: QuerySet | None = None) -> list[dict]:
    """``[{"decade", "seat", "count"}]``: Veto rows of published drafts, by decade and seat:
    from the per-year counts (``VetoYear``, O(years)), or a selection's rows."""
    rows: QuerySet
    if drafts is None:
        per_year = VetoYear.objects.annotate(decade=F("year") / 10 * 10)
        rows = per_year.values("decade", "seat__code").annotate(count=Sum("vetoes"))
    else:
        vetoes = Veto.objects.filter(counted("draft__"), draft__in=drafts)
        by_decade = vetoes.annotate(decade=year_of("draft__date") / 10 * 10)
        rows = by_decade.values("decade", "seat__code").annotate(count=Count("pk"))
    rows = rows.order_by("decade", "seat__position")
    return [{"decade": r["decade"], "seat": r["seat__code"], "count": r["count"]} for r in rows]


HOLDER = ("seat__code", "state__code", "state__slug", "name_at_vote")


def _holder_rows(drafts: QuerySet | None) -> QuerySet:
    """Vetoes by seat and casting state: from the yearly counts, or a selection's rows."""
    if drafts is None:
        return VetoYear.objects.values(*HOLDER).annotate(
            count=Sum("vetoes"), first=Min("first"), last=Max("last")
        )
    vetoes = Veto.objects.filter(counted("draft__"), draft__in=drafts)
    return vetoes.values(*HOLDER).annotate(
        count=Count("pk"), first=Min("draft__date"), last=Max("draft__date")
    )


def vetoes_by_holder(drafts: QuerySet | None = None, seat_code: str | None = None) -> list[dict]:
    """``[{"seat", "state", "name", "count"}]``: vetoes by seat and by the state casting them.

    Keeps the USSR apart from the Russian Federation, and the Republic of China
    apart from the People's Republic (same state code, told apart by name).
    """
    rows = _holder_rows(drafts)
    if seat_code:
        rows = rows.filter(seat__code=seat_code)
    return [
        {
            "seat": r["seat__code"],
            "state": r["state__code"],
            "slug": r["state__slug"],
            "name": r["name_at_vote"],
            "count": r["count"],
            # The years of this holder's vetoes, so a link can list exactly them.
            "first_year": r["first"].year,
            "last_year": r["last"].year,
        }
        for r in rows.order_by("seat__position", "first")
    ]


def _years(counts: QuerySet, first: int | None, last: int | None) -> QuerySet:
    """Rows of a per-year table (votes/yearly.py) within a period of years."""
    if first is not None:
        counts = counts.filter(year__gte=first)
    if last is not None:
        counts = counts.filter(year__lte=last)
    return counts


def _pairs_of_votes(first_year=None, last_year=None, **conditions) -> QuerySet:
    """Pairs of cast votes on published recorded drafts (``AgreementYear``): a member's
    and a permanent seat's held by another state, counted by year and positions."""
    return _years(AgreementYear.objects.filter(**conditions), first_year, last_year)


# The two positions of a pair of votes: grouping by them (3 x 3 cells at most per
# group) gives the contingency table kappa needs, still one aggregate.
POSITIONS = ("position", "seat_position")


def _agreements(counts: QuerySet, *keys: str) -> dict[tuple, Agreement]:
    """Pairs of votes grouped by ``keys``: ``{key values: Agreement}``, one query."""
    rows = counts.values(*keys, *POSITIONS).annotate(n=Sum("votes")).order_by()
    cells: dict[tuple, dict[tuple[str, str], int]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        cells.setdefault(key, {})[(row[POSITIONS[0]], row[POSITIONS[1]])] = row["n"]
    return {key: Agreement.from_cells(found) for key, found in cells.items()}


def agreement_matrix(first_year=None, last_year=None) -> dict[tuple[str, str], Agreement]:
    """Agreement of every pair of permanent seats over a period, in one query."""
    counts = _pairs_of_votes(first_year, last_year, member_seat__isnull=False)
    found = _agreements(counts, "member_seat__code", "seat__code")
    return {pair: found.get(pair, Agreement(0, 0)) for pair in PAIRS}


def pair_agreement_per_year(
    first: str, second: str, first_year=None, last_year=None
) -> list[tuple[int, Agreement]]:
    """``[(year, Agreement)]``: a pair's agreement year by year, in one query."""
    counts = _pairs_of_votes(first_year, last_year, member_seat__code=first, seat__code=second)
    return sorted((year, result) for (year,), result in _agreements(counts, "year").items())


def pair_per_year(first: str, second: str, first_year=None, last_year=None) -> list[dict]:
    """``[{"year", "same", "both", "kappa"}]``: a pair's agreement year by year."""
    return [
        {"year": year, "same": r.same, "both": r.both, "kappa": rounded(r.kappa)}
        for year, r in pair_agreement_per_year(first, second, first_year, last_year)
    ]


def divisions_per_year(first_year=None, last_year=None) -> list[dict]:
    """``[{"year", "divided", "total"}]``: recorded votes on which the five split."""
    rows = _years(DraftYear.objects.filter(p5_recorded__gt=0), first_year, last_year)
    return [
        {"year": r.year, "divided": r.p5_divided, "total": r.p5_recorded}
        for r in rows.order_by("year")
    ]


def country_agreement(state) -> dict[str, Agreement]:
    """How often a state voted as each permanent seat did, over all its recorded votes."""
    found = _agreements(_pairs_of_votes(state=state), "seat__code")
    return {code: found.get((code,), Agreement(0, 0)) for code in SEAT_ORDER}


@dataclass(frozen=True)
class ElectedMember:
    """One elected member over a period: its agreement with each permanent seat."""

    slug: str
    name: str
    seats: dict[str, Agreement]


def elected_agreement(first_year=None, last_year=None) -> list[ElectedMember]:
    """Every member that voted from an elected seat in a period, against each permanent
    seat, in one query. Ordered by name."""
    counts = _pairs_of_votes(first_year, last_year, member_seat__isnull=True)
    found = _agreements(counts, "state__slug", "state__name", "seat__code")
    members: dict[tuple[str, str], dict[str, Agreement]] = {}
    for (slug, name, seat), result in found.items():
        members.setdefault((slug, name), {})[seat] = result
    return [
        ElectedMember(slug, name, {c: seats.get(c, Agreement(0, 0)) for c in SEAT_ORDER})
        for (slug, name), seats in sorted(members.items(), key=lambda item: item[0][1])
    ]


def elected_rows(first_year=None, last_year=None) -> list[dict]:
    """The elected members' agreement as plain rows, one per member and seat (downloads)."""
    return [
        {
            "state": member.slug,
            "name": member.name,
            "seat": code,
            "same": result.same,
            "both": result.both,
            "share": share(result.same, result.both),
            "kappa": rounded(result.kappa),
        }
        for member in elected_agreement(first_year, last_year)
        for code, result in member.seats.items()
    ]


def state_agreement_per_year(state) -> dict[int, dict[str, Agreement]]:
    """``{year: {seat: Agreement}}``: a state against each permanent seat, by year.

    One query; callers add the years of a term together (``Agreement.__add__``).
    """
    years: dict[int, dict[str, Agreement]] = {}
    counts = _pairs_of_votes(state=state)
    for (year, seat), result in _agreements(counts, "year", "seat__code").items():
        years.setdefault(year, {})[seat] = result
    return years


def over_years(
    years: dict[int, dict[str, Agreement]], first: int | None = None, last: int | None = None
) -> dict[str, Agreement]:
    """Add up :func:`state_agreement_per_year` over ``first``..``last`` (all years if None)."""
    total = dict.fromkeys(SEAT_ORDER, Agreement(0, 0))
    for year, seats in years.items():
        if (first is None or year >= first) and (last is None or year <= last):
            for code, result in seats.items():
                total[code] = total[code] + result
    return total


@dataclass
class PositionCounts:
    recorded: dict[str, int]  # position -> recorded votes
    without_vote: int  # resolutions adopted without a vote while a member
    names: list[str]  # the names it voted under, oldest first

    @property
    def total_recorded(self) -> int:
        return sum(self.recorded.values())


def position_counts(state) -> PositionCounts:
    """A state's votes on published drafts, by position, and the names it voted under."""
    rows = (
        StateYear.objects.filter(state=state)
        .values("modality", "position", "name_at_vote")
        .annotate(count=Sum("votes"), first=Min("first"))
        .order_by("first")
    )
    counts = PositionCounts(dict.fromkeys(Position.values, 0), 0, [])
    for row in rows:
        if row["modality"] == Modality.RECORDED_VOTE:
            counts.recorded[row["position"]] += row["count"]
        else:
            counts.without_vote += row["count"]
        if row["name_at_vote"] not in counts.names:
            counts.names.append(row["name_at_vote"])
    return counts


def standing_counts(state) -> dict[str, int]:
    """How many published drafts the state voted on where it was decisive, stood alone,
    or saw the draft fail by one vote (``votes.standing``), in one aggregate."""
    totals = StateYear.objects.filter(state=state).aggregate(
        **{kind: Coalesce(Sum(kind), 0) for kind in ("decisive", "isolated", "near_miss")}
    )
    return dict(totals)


@dataclass(frozen=True)
class WorkedKappa:
    """Each step of one pair's kappa, for the method page to set out."""

    first: str
    second: str
    result: Agreement
    # (position, first's count, second's count, first's share x second's share)
    marginals: list[tuple[str, int, int, float]]

    @property
    def observed(self) -> float | None:
        return self.result.share


def worked_kappa(first: str, second: str, first_year=None, last_year=None) -> WorkedKappa:
    """One pair's kappa step by step, from the very figure the P5 page's matrix shows."""
    result = agreement_matrix(first_year, last_year)[(first, second)]
    n = result.both or 1
    marginals = [
        (str(position), f, s, (f / n) * (s / n))
        for position, f, s in zip(VOTED, result.first, result.second, strict=True)
    ]
    return WorkedKappa(first, second, result, marginals)


def year_span() -> dict:
    """The first and last year with a published draft (for period filters' defaults)."""
    return DraftYear.objects.aggregate(first=Min("year"), last=Max("year"))


# The charts of the P5 page, as plain rows (the page, its downloads and the API) ---

RULES = {
    "vetoes": "Veto rows stored by the outcome engine: one per vetoing seat per published draft. "
    "The Russian seat includes the USSR to 1991; China's seat the Republic of China to 1971.",
    "agreement": "Share of recorded votes on which both seats voted (yes, no or abstention) "
    "and cast the same vote; kappa is Cohen's (p_o - p_e) / (1 - p_e), p_e from each seat's "
    "own shares of yes, no and abstention over those votes; both is n. Absence and "
    "non-participation are left out.",
    "pair": "Agreement and Cohen's kappa of one pair, year by year, counted as for the matrix.",
    "elected": "For each member voting from an elected seat in the period, agreement with "
    "each permanent seat: share of recorded votes on which both voted (yes, no or abstention) "
    "and cast the same vote, and Cohen's kappa; both is n. Absence and non-participation "
    "are left out.",
    "divisions": "Share of recorded votes with all five seats in the member-by-member record "
    "on which they did not all take the same position (not voting counts as a position).",
}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def chart_rows(chart: str, first_year=None, last_year=None, pair=("CHN", "USA")) -> list[dict]:
    """One chart's rows over a period: vetoes, agreement, pair or divisions."""
    if chart == "vetoes":
        return vetoes_per_year(first_year, last_year)
    if chart == "agreement":
        return [
            {
                "first": a,
                "second": b,
                "same": result.same,
                "both": result.both,
                "share": share(result.same, result.both),
                "kappa": rounded(result.kappa),
            }
            for (a, b), result in agreement_matrix(first_year, last_year).items()
        ]
    if chart == "pair":
        rows = pair_per_year(pair[0], pair[1], first_year, last_year)
        return [{**row, "share": share(row["same"], row["both"])} for row in rows]
    rows = divisions_per_year(first_year, last_year)
    return [{**row, "share": share(row["divided"], row["total"])} for row in rows]
