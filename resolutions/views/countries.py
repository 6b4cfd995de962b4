"""The member states that have sat on the Council, and one state's record."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from resolutions.coverage import counting_caveats
from resolutions.filters import DraftFilter
from resolutions.tables import CappedPaginator, CountryDraftTable
from resolutions.views.lists import PER_PAGE, KnownCount
from resolutions.views.params import with_query
from votes import analytics
from votes.choices import VOTED_CHOICES, TermKind
from votes.models import MembershipTerm, MemberState
from votes.names import seat_holder_name
from votes.seats import SEAT_LABELS, SEAT_ORDER


def country_list(request):
    """Every state that has sat on the Council, with its years there.

    Queries: the states with their term counts and first and last years (1).
    """
    states = (
        # A term elected for next year is not yet a seat on the Council.
        MemberState.objects.filter(terms__isnull=False, terms__start__lte=timezone.localdate())
        .annotate(
            terms_count=Count("terms"),
            first=Min("terms__start"),
            last=Max("terms__end"),
            sitting=Count("terms", filter=Q(terms__end__isnull=True)),
        )
        .order_by("name")
    )
    return render(request, "resolutions/country_list.html", {"states": states})


class CountryView(KnownCount, SingleTableMixin, FilterView):
    """A member state: its terms, its votes (same table and filters as the list),
    its counts by position, vetoes cast from its seat, agreement with the P5.

    Queries: the state (1), the count of its votes (2; of the per-year counts
    when nothing is filtered), the page of rows with its position (3) and their
    vetoes (4), its terms (5), its counts by position and names (6), its
    agreement with each permanent seat (7), and for a permanent member the
    vetoes cast from its seat (8); what the counts rest on: the recorded votes
    (9) and the sources' spans (10).
    """

    table_class = CountryDraftTable
    filterset_class = DraftFilter
    template_name = "resolutions/country_detail.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}
    strict = False

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.state = get_object_or_404(MemberState, slug=kwargs["slug"])

    def get_queryset(self):
        return None  # DraftFilter builds the published drafts itself

    def get_filterset_kwargs(self, filterset_class):
        return {"data": self.request.GET or None, "request": self.request, "state": self.state}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms = list(
            MembershipTerm.objects.filter(state=self.state).select_related("seat").order_by("start")
        )
        seat = next((t.seat for t in terms if t.kind == TermKind.PERMANENT), None)
        counts = analytics.position_counts(self.state)
        # One query by year: its sum is the whole record's table, and each elected
        # term's years give that term's line.
        by_year = analytics.state_agreement_per_year(self.state)
        agreement = analytics.over_years(by_year)
        context.update(
            {
                "state": self.state,
                "terms": terms,
                "seat": seat,
                "seat_label": SEAT_LABELS.get(seat.code, "") if seat else "",
                "counts": counts,
                "min_votes": analytics.MIN_VOTES,
                "count_rows": position_rows(counts, self.state),
                "agreement": agreement_rows(agreement, seat),
                "term_agreement": term_agreement(terms, by_year),
                "stood": analytics.standing_counts(self.state),
                "seat_vetoes": (
                    analytics.vetoes_by_holder(seat_code=seat.code) if seat is not None else []
                ),
                "csv_url": with_query(
                    reverse("resolutions:csv"), self.request, country=self.state.slug
                ),
            }
        )
        context["seat_vetoes_total"] = sum(row["count"] for row in context["seat_vetoes"])
        context["coverage_note"] = counting_caveats()
        return context


def agreement_rows(agreement: dict, seat) -> list[dict]:
    """How often the state voted as each permanent member (its own seat left out)."""
    return [
        {
            "code": code,
            "label": SEAT_LABELS[code],
            "result": agreement[code],
            "percent": percent(agreement[code].share),
        }
        for code in SEAT_ORDER
        if seat is None or code != seat.code
    ]


def position_rows(counts: analytics.PositionCounts, state) -> list[dict]:
    """Counts by position with the link to the votes behind each."""
    base = reverse("resolutions:country", args=[state.slug])
    return [
        {
            "label": label,
            "count": counts.recorded[position],
            "url": f"{base}?position={position}",
        }
        for position, label in VOTED_CHOICES
    ]


def term_agreement(terms, by_year) -> list[dict]:
    """Each elected term's agreement with each permanent seat: "Ghana, 2022–23: ..."."""
    latest = max(by_year, default=None)
    rows = (_term_row(term, by_year, latest) for term in terms if term.kind == TermKind.ELECTED)
    return [row for row in rows if row is not None]


def _term_row(term, by_year, latest: int | None) -> dict | None:
    """One elected term against each seat; None for a term with no vote in the record."""
    first, last = term.start.year, term.end.year if term.end else latest
    if last is None or last < first:
        return None
    seats = analytics.over_years(by_year, first, last)
    if not any(result.both for result in seats.values()):
        return None
    return {
        "first": first,
        "last": last,
        "years": _years_label(first, last),
        "seats": [
            {"code": code, "name": _holders(code, first, last), "result": seats[code]}
            for code in SEAT_ORDER
        ],
    }


def _holders(seat: str, first: int, last: int) -> str:
    """Who held a permanent seat over the years: "USSR" in 1986-90, "China" in 2022."""
    names = [seat_holder_name(seat, date(first, 1, 1)), seat_holder_name(seat, date(last, 12, 31))]
    return names[0] if names[0] == names[1] else " / ".join(names)


def _years_label(first: int, last: int) -> str:
    """2022, 2022–23, 1999–2000: years as a term is usually written."""
    if first == last:
        return str(first)
    if first // 100 == last // 100:
        return f"{first}–{last % 100:02d}"
    return f"{first}–{last}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"
