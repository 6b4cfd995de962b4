"""The vetoed drafts, like the Library's Veto List, with counts by seat and decade."""

from __future__ import annotations

from django.db.models import Sum
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from resolutions.coverage import Scope, counting_caveats, veto_basis
from resolutions.filters import DraftFilter, public_votes
from resolutions.models import Disagreement
from resolutions.tables import CappedPaginator, VetoTable
from resolutions.views.lists import PER_PAGE
from resolutions.views.params import with_query
from votes import analytics
from votes.choices import Outcome
from votes.dates import FIRST_YEAR
from votes.models import DraftYear
from votes.seats import SEAT_LABELS, SEAT_ORDER


class VetoListView(SingleTableMixin, FilterView):
    """The vetoed drafts, like the Library's Veto List, with counts by seat and decade.

    Queries: the count (1), the page of rows (2) and their vetoes (3), vetoes by
    seat and holder (4), by decade and seat (5); plus one to check a chosen
    member state (6) and the form's member-state choices (7); what the counts
    rest on: the recorded votes (8) and the sources' spans (9); the vetoes a
    compilation lists that no record holds (10). Unfiltered, the count and the
    vetoes by holder and by decade are read from the per-year counts (O(years));
    a filtered list counts its own rows.
    """

    table_class = VetoTable
    filterset_class = DraftFilter
    template_name = "resolutions/veto_list.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}
    strict = False

    def get_queryset(self):
        return public_votes().vetoed().for_list_rows()

    def unfiltered(self) -> bool:
        """Whether the list is every vetoed draft (DraftFilter.narrows, as the other
        lists' counts ask)."""
        return not self.filterset.narrows()

    def get_table_pagination(self, table):
        paginate = super().get_table_pagination(table)
        if self.unfiltered():
            # Every published draft vetoed (DraftYear.drafts_vetoed, refresh_outcomes'
            # count): the rows' COUNT(*) read every vetoed draft.
            count = DraftYear.objects.aggregate(n=Sum("drafts_vetoed"))["n"] or 0
            paginate = {**paginate, "count": count}  # to CappedPaginator
        return paginate

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # Every row here is vetoed: the outcome filter would only empty the list.
        filterset.filters.pop("outcome", None)
        filterset.form.fields.pop("outcome", None)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drafts = None if self.unfiltered() else self.filterset.qs
        by_holder = analytics.vetoes_by_holder(drafts)
        context["by_seat"] = seat_totals(by_holder)
        context["by_decade"] = decade_table(analytics.vetoes_per_decade(drafts))
        context["csv_url"] = with_query(
            reverse("resolutions:csv"),
            self.request,
            drop=("page", "sort", "outcome"),
            outcome="vetoed",
        )
        note = counting_caveats((Scope.VETOED,))
        context["coverage_note"] = {**note, "failed_caveat": ""}
        context["coverage_basis"] = veto_basis(note["facts"])
        context["unplaced"] = unplaced_vetoes()
        return context


def unplaced_vetoes() -> list[Disagreement]:
    """Vetoes a secondary source lists that it could place on no record (one query):
    shown, so that no veto in a loaded source is missing from this page."""
    found = Disagreement.objects.filter(draft=None, kind=Disagreement.Kind.MATCH).order_by("pk")
    return [
        item
        for item in found
        if any((said or {}).get("outcome") == Outcome.VETOED for said in item.values.values())
    ]


def seat_totals(by_holder: list[dict]) -> list[dict]:
    """Group vetoes-by-holder rows under their seats, each seat in canonical order."""
    seats = {code: {"code": code, "label": SEAT_LABELS[code], "holders": []} for code in SEAT_ORDER}
    for row in by_holder:
        seats[row["seat"]]["holders"].append(row)
    for seat in seats.values():
        seat["total"] = sum(h["count"] for h in seat["holders"])
    return list(seats.values())


def decade_table(rows: list[dict]) -> list[dict]:
    """``[{"decade", "counts": [n per seat in SEAT_ORDER], "total"}]``, with the years
    that the decade's link selects (the 1940s from the first year of the record)."""
    decades: dict[int, dict[str, int]] = {}
    for row in rows:
        decades.setdefault(row["decade"], {})[row["seat"]] = row["count"]
    return [
        {
            "decade": decade,
            "first_year": max(decade, FIRST_YEAR),
            "last_year": decade + 9,
            "counts": [counts.get(code, 0) for code in SEAT_ORDER],
            "total": sum(counts.values()),
        }
        for decade, counts in sorted(decades.items())
    ]
