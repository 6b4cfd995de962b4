"""The elected members against each permanent seat, for a year or a period."""

from __future__ import annotations

from django import forms
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from resolutions.provenance import citation_text, latest_versions
from resolutions.tables import ElectedTable, elected_record
from resolutions.views.downloads import csv_data, invalid_filter, json_data
from resolutions.views.params import query
from votes import analytics
from votes.dates import FIRST_YEAR, LAST_YEAR
from votes.seats import SEAT_ORDER, SHORT_SEAT_LABELS
from votes.templatetags.charts import SHADE_LEGEND


class ElectedPeriodForm(forms.Form):
    """``?from=&to=``; either alone is one year, neither is the latest year recorded."""

    # "from" is a Python keyword, hence the prefix-free names set in __init__.
    def __init__(self, data=None):
        super().__init__(data)
        for name, label in (("from", "From year"), ("to", "To year")):
            self.fields[name] = forms.IntegerField(
                required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR, label=label
            )
        if self.is_bound:
            self.is_valid()  # invalid fields are dropped from cleaned_data and reported

    def period(self, latest: int | None) -> tuple[int | None, int | None]:
        data = self.cleaned_data if self.is_bound else {}
        first, last = data.get("from"), data.get("to")
        first, last = first or last or latest, last or first or latest
        if first is None or last is None:
            return first, last
        return min(first, last), max(first, last)


def _period(request) -> tuple[ElectedPeriodForm, tuple[int | None, int | None]]:
    form = ElectedPeriodForm(request.GET or None)
    return form, form.period(analytics.year_span()["last"])


class ElectedView(SingleTableMixin, TemplateView):
    """One row per elected member, one column pair per permanent seat.

    Queries: the first and last years (1), the agreement of every elected member
    with every seat over the period (2), the source versions cited (3).
    """

    table_class = ElectedTable
    table_pagination = False
    template_name = "resolutions/elected.html"

    def get(self, request, *args, **kwargs):
        self.form, self.period = _period(request)
        self.members = analytics.elected_agreement(*self.period)
        return super().get(request, *args, **kwargs)

    def get_table_data(self):
        return [elected_record(member) for member in self.members]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs,
            form=self.form,
            period=self.period,
            members=self.members,
            seats=[(code, SHORT_SEAT_LABELS[code]) for code in SEAT_ORDER],
            min_votes=analytics.MIN_VOTES,
            shade_legend=SHADE_LEGEND,
            query=query(request=self.request, drop=("page", "sort")),
        )


def elected_data(request, fmt: str):
    """The elected members' rows as CSV or JSON, with the rule and the sources cited.

    Queries: the first and last years (1), the aggregate (2), the source versions (3).
    """
    form, period = _period(request)
    if form.is_bound and form.errors:
        return invalid_filter(form.errors)
    rows = analytics.elected_rows(*period)
    citation = citation_text(latest_versions())
    rule = analytics.RULES["elected"]
    if fmt == "json":
        body = {
            "chart": "elected",
            "from": period[0],
            "to": period[1],
            "rule": rule,
            "source": citation,
            "rows": rows,
        }
        return json_data(body)
    return csv_data(
        "p5-elected.csv",
        f"# {citation}\n# {rule} Period: {period[0]}-{period[1]}.\n",
        ["state", "name", "seat", "same", "both", "share", "kappa"],
        rows,
    )
