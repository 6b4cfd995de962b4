"""The P5 page: four charts of how the permanent members divide, and their downloads."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import render

from resolutions.coverage import counting_caveats, p5_basis
from resolutions.provenance import citation_text, latest_versions
from resolutions.views.downloads import csv_data, invalid_filter, json_data
from resolutions.views.params import query
from votes import analytics
from votes.choices import Position
from votes.dates import FIRST_YEAR, LAST_YEAR
from votes.seats import PAIR_CHOICES, SEAT_LABELS, SEAT_ORDER, SHORT_SEAT_LABELS
from votes.templatetags.charts import SHADE_LEGEND

# What chart 3 plots: raw agreement, or agreement beyond chance (Cohen's kappa).
MEASURES = [("raw", "Share voting alike"), ("kappa", "Cohen's κ")]


class PeriodForm(forms.Form):
    """Each chart's period, and the pair for chart 3. Every field is optional."""

    veto_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    veto_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    matrix_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    matrix_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    pair = forms.ChoiceField(required=False, choices=PAIR_CHOICES)
    pair_from = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    pair_to = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    measure = forms.ChoiceField(required=False, choices=MEASURES, label="Show")
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

    def chosen_measure(self) -> str:
        data = self.cleaned_data if self.is_bound else {}
        return data.get("measure") or "raw"

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
    "pair": ("pair", "pair_from", "pair_to", "measure"),
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
    pair by year (3), divisions by year (4), the first and last years (5), and
    what the figures rest on: the recorded votes (6) and the sources' spans (7).
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
        "measure": form.chosen_measure(),
        "min_votes": analytics.MIN_VOTES,
        "veto_period": form.period("veto"),
        "matrix_period": form.period("matrix"),
        "pair_period": form.period("pair"),
        "div_period": form.period("div"),
        "query": query(request),
        "shade_legend": SHADE_LEGEND,
        "hidden": {chart: _other_params(request, own) for chart, own in CHART_FIELDS.items()},
    }
    for chart in CHARTS:
        context[f"{chart}_rows"] = chart_rows(chart, form)
    note = counting_caveats()
    context["coverage_note"] = note
    context["coverage_basis"] = p5_basis(note["facts"])
    return render(request, "resolutions/p5.html", context)


def p5_data(request, chart: str, fmt: str):
    """A chart's rows as CSV or JSON, with the rule and the sources cited.

    Queries: the chart's aggregate (1), the source versions cited (2).
    """
    if chart not in CHARTS or fmt not in ("csv", "json"):
        raise Http404("No such chart")
    form = _period_form(request)
    if form.is_bound and form.errors:
        return invalid_filter(form.errors)
    rows = chart_rows(chart, form)
    citation = citation_text(latest_versions())
    if fmt == "json":
        body = {"chart": chart, "rule": analytics.RULES[chart], "source": citation, "rows": rows}
        return json_data(body)
    return csv_data(
        f"p5-{chart}.csv",
        f"# {citation}\n# {analytics.RULES[chart]}\n",
        list(rows[0]) if rows else ["year"],
        rows,
    )


# The pair the method page works through: the P5 page's default pair, over the
# default period, so the example is a figure the reader has just seen there.
WORKED_PAIR = ("CHN", "USA")


def p5_method(request):
    """How agreement and kappa are counted, with a worked example from the record.

    Queries: the agreement matrix the P5 page shows (1), the first and last years (2).
    """
    first, second = WORKED_PAIR
    worked = analytics.worked_kappa(first, second)
    context = {
        "worked": worked,
        "first_label": SEAT_LABELS[first],
        "second_label": SEAT_LABELS[second],
        "first_short": SHORT_SEAT_LABELS[first],
        "second_short": SHORT_SEAT_LABELS[second],
        "marginals": [
            (Position(position).label, *counts) for position, *counts in worked.marginals
        ],
        "span": analytics.year_span(),
        "min_votes": analytics.MIN_VOTES,
    }
    return render(request, "resolutions/p5_method.html", context)
