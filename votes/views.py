"""Public pages about members: the countries, one country's record, the P5 divisions.

Each view's queries are listed in its docstring, in the order they run; the
tests pin those budgets at two data sizes. The footer's source citation adds
one query to every page (``resolutions.context_processors``).
"""

from __future__ import annotations

import csv
import json

from django import forms
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from resolutions.filters import PAIR_CHOICES, SEAT_LABELS, SHORT_SEAT_LABELS, DraftFilter
from resolutions.provenance import citation_text, latest_versions
from resolutions.tables import CappedPaginator, CountryDraftTable
from votes import analytics
from votes.choices import TermKind
from votes.models import MembershipTerm, MemberState
from votes.outcome import SEAT_ORDER
from votes.templatetags.charts import SHADE_LEGEND

FIRST_YEAR = 1946
LAST_YEAR = 2100


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
    return render(request, "votes/country_list.html", {"states": states})


class CountryView(SingleTableMixin, FilterView):
    """A member state: its terms, its votes (same table and filters as the list),
    its counts by position, vetoes cast from its seat, agreement with the P5.

    Queries: the state (1), the count of its votes (2), the page of rows with its
    position (3) and their vetoes (4), its terms (5), its counts by position
    and names (6), its agreement with each permanent seat (7), and for a
    permanent member the vetoes cast from its seat (8).
    """

    table_class = CountryDraftTable
    filterset_class = DraftFilter
    template_name = "votes/country_detail.html"
    table_pagination = {"per_page": 50, "paginator_class": CappedPaginator}
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
        agreement = analytics.country_agreement(self.state)
        context.update(
            {
                "state": self.state,
                "terms": terms,
                "seat": seat,
                "seat_label": SEAT_LABELS.get(seat.code, "") if seat else "",
                "counts": counts,
                "count_rows": position_rows(counts, self.state),
                "agreement": [
                    {
                        "code": code,
                        "label": SEAT_LABELS[code],
                        "result": agreement[code],
                        "percent": percent(agreement[code].share),
                    }
                    for code in SEAT_ORDER
                    if seat is None or code != seat.code
                ],
                "seat_vetoes": (
                    analytics.vetoes_by_holder(seat_code=seat.code) if seat is not None else []
                ),
                "csv_url": reverse("resolutions:csv")
                + "?"
                + _params(self.request, country=self.state.slug),
            }
        )
        context["seat_vetoes_total"] = sum(row["count"] for row in context["seat_vetoes"])
        return context


def position_rows(counts: analytics.PositionCounts, state) -> list[dict]:
    """Counts by position with the link to the votes behind each."""
    from resolutions.filters import VOTED_CHOICES

    base = reverse("votes:country", args=[state.slug])
    return [
        {
            "label": label,
            "count": counts.recorded[position],
            "url": f"{base}?position={position}",
        }
        for position, label in VOTED_CHOICES
    ]


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _params(request, **extra) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()


# The P5 divisions page -------------------------------------------------------------


class PeriodForm(forms.Form):
    """Each chart's period, and the pair for chart 3. Every field is optional."""

    veto_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    veto_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    matrix_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    matrix_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    pair = forms.ChoiceField(required=False, choices=PAIR_CHOICES)
    pair_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    pair_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    div_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    div_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    DEFAULT_PAIR = "CHN-USA"

    def __init__(self, data=None):
        super().__init__(data, initial={"pair": self.DEFAULT_PAIR})

    def period(self, prefix: str) -> tuple[int | None, int | None]:
        data = self.cleaned_data if self.is_bound else {}
        first, last = data.get(f"{prefix}_from"), data.get(f"{prefix}_to")
        if first and last and first > last:
            first, last = last, first
        return first, last

    def chosen_pair(self) -> tuple[str, str]:
        data = self.cleaned_data if self.is_bound else {}
        first, second = (data.get("pair") or self.DEFAULT_PAIR).split("-")
        return first, second


CHARTS = ("vetoes", "agreement", "pair", "divisions")
# Each chart's own fields; its form carries the others' as hidden inputs, so that
# filtering one chart keeps the others as they were.
CHART_FIELDS = {
    "vetoes": ("veto_from", "veto_to"),
    "agreement": ("matrix_from", "matrix_to"),
    "pair": ("pair", "pair_from", "pair_to"),
    "divisions": ("div_from", "div_to"),
}


def _other_params(request, own: tuple[str, ...]) -> list[tuple[str, str]]:
    known = {name for fields in CHART_FIELDS.values() for name in fields}
    return [
        (key, value)
        for key, value in request.GET.items()
        if key in known and key not in own and value
    ]


def _period_form(request) -> PeriodForm:
    form = PeriodForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # invalid fields are dropped from cleaned_data and reported
    return form


# Which period fields of the P5 page belong to which chart.
PERIOD_OF = {"vetoes": "veto", "agreement": "matrix", "pair": "pair", "divisions": "div"}


def chart_rows(chart: str, form: PeriodForm) -> list[dict]:
    """One chart's data as plain rows: what the table, CSV, JSON and API all show."""
    return analytics.chart_rows(chart, *form.period(PERIOD_OF[chart]), pair=form.chosen_pair())


def p5(request):
    """The four charts of how the permanent members divide.

    Queries: vetoes per year and seat (1), the agreement matrix (2), the chosen
    pair by year (3), divisions by year (4), the first and last years (5).
    """
    form = _period_form(request)
    first, second = form.chosen_pair()
    context = {
        "form": form,
        "span": analytics.year_span(),
        "seats": [
            {"code": c, "label": SEAT_LABELS[c], "short": SHORT_SEAT_LABELS[c]} for c in SEAT_ORDER
        ],
        "pair": {"first": first, "second": second, "code": f"{first}-{second}"},
        "pair_label": dict(PAIR_CHOICES)[f"{first}-{second}"],
        "veto_period": form.period("veto"),
        "matrix_period": form.period("matrix"),
        "pair_period": form.period("pair"),
        "div_period": form.period("div"),
        "query": _params(request),
        "shade_legend": SHADE_LEGEND,
        "hidden": {chart: _other_params(request, own) for chart, own in CHART_FIELDS.items()},
    }
    for chart in CHARTS:
        context[f"{chart}_rows"] = chart_rows(chart, form)
    return render(request, "votes/p5.html", context)


def p5_data(request, chart: str, fmt: str):
    """A chart's rows as CSV or JSON, with the rule and the sources cited.

    Queries: the chart's aggregate (1), the source versions cited (2).
    """
    if chart not in CHARTS or fmt not in ("csv", "json"):
        raise Http404("No such chart")
    form = _period_form(request)
    if form.is_bound and form.errors:
        problems = "; ".join(f"{f}: {' '.join(map(str, e))}" for f, e in form.errors.items())
        return HttpResponse(
            f"Invalid filter: {problems}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    rows = chart_rows(chart, form)
    citation = citation_text(latest_versions())
    if fmt == "json":
        body = {"chart": chart, "rule": analytics.RULES[chart], "source": citation, "rows": rows}
        return HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="p5-{chart}.csv"'
    response.write(f"# {citation}\n# {analytics.RULES[chart]}\n")
    columns = list(rows[0]) if rows else ["year"]
    writer = csv.DictWriter(response, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return response
