"""The P5 page: four charts with period filters, tables, downloads, and marks that link."""

import csv
import io
import json
import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from resolutions.models import Draft
from votes import analytics, yearly
from votes.templatetags.charts import tick_step, year_axis

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(sample):
    return sample


def p5(client, query="") -> str:
    response = client.get(reverse("resolutions:p5") + query)
    assert response.status_code == 200
    return response.content.decode()


def count_listed(client, url: str) -> int:
    html = client.get(unescape(url)).content.decode()
    return int(
        re.search(r'<p class="result-count" role="status"><strong>(\d+)</strong>', html).group(1)
    )


def test_four_charts_with_titles_axes_and_rules(client, named):
    html = p5(client)
    assert html.count('<svg class="chart') == 4
    for title in (
        "1. Vetoes per year",
        "2. How often each pair voted alike",
        "3. China and US",
        "4. Share of recorded votes",
    ):
        assert title in html
    assert html.count('class="axis-label"') == 6  # x and y on the three time charts
    assert "<strong>Agreement</strong> of two members is the share of recorded votes" in html
    assert "Russia</strong> includes the USSR" in html


def test_veto_bars_link_to_the_vetoes_behind_them(client, named):
    html = p5(client)
    links = re.findall(
        r'<a href="(/vetoes/\?vetoed_by=(\w+)&amp;year_from=(\d+)&amp;year_to=\d+)"'
        r' aria-label="[^"]*">'
        r'<rect class="mark seat--\w+"[^>]*><title>\d+: (\d+) by',
        html,
    )
    assert links
    for url, _seat, _year, count in links:
        assert count_listed(client, url) == int(count)


def test_matrix_cells_link_to_the_votes_where_the_pair_differed(client, named):
    html = p5(client, "?matrix_from=1986&matrix_to=1990")
    matrix = analytics.agreement_matrix(1986, 1990)
    cells = re.findall(
        r'<a href="(/votes/\?pair=(\w+)-(\w+)&amp;pair_agreed=no[^"]*)" aria-label="[^"]*">', html
    )
    assert len(cells) == 20
    for url, a, b in cells[:4]:
        result = matrix[(a, b)]
        assert count_listed(client, url) == result.both - result.same


def test_pair_points_and_division_bars_link_to_their_votes(client, named):
    html = p5(client, "?pair=RUS-USA")
    points = re.findall(
        r'<a href="(/votes/\?pair=RUS-USA&amp;year_from=\d+[^"]*)" aria-label="[^"]*">'
        r"<circle[^>]*><title>\d+: \d+% \(\d+ of (\d+),",
        html,
    )
    assert points
    for url, both in points:
        assert count_listed(client, url) == int(both)
    bars = re.findall(
        r'<a href="(/votes/\?divided=yes[^"]*)" aria-label="[^"]*">'
        r'<rect class="mark mark--divided"[^>]*><title>\d+: \d+% \((\d+) of',
        html,
    )
    assert bars
    for url, divided in bars:
        assert count_listed(client, url) == int(divided)


def test_each_chart_has_a_data_table(client, named):
    html = p5(client)
    assert html.count("<details id=") == 4
    assert html.count("<caption>") == 4


def test_period_filter_limits_a_chart_and_keeps_the_others(client, named):
    html = p5(client, "?veto_from=2022&pair=FRA-GBR")
    veto_section = html[html.index('id="vetoes"') : html.index('id="agreement"')]
    assert "1986" not in re.sub(r"<form.*?</form>", "", veto_section, flags=re.S)
    # The matrix's form carries the other charts' choices along.
    matrix_form = html[html.index('aria-label="Period for the agreement matrix"') :]
    matrix_form = matrix_form[: matrix_form.index("</form>")]
    assert 'name="veto_from" value="2022"' in matrix_form
    assert 'name="pair" value="FRA-GBR"' in matrix_form


def test_invalid_periods_show_a_message(client, named):
    html = p5(client, "?veto_from=abc&pair=XXX-YYY")
    assert "could not be used and were ignored" in html
    assert html.count('<svg class="chart') == 4


@pytest.mark.parametrize("chart", ["vetoes", "agreement", "pair", "divisions"])
def test_downloads_match_the_analytics(client, named, chart):
    data = json.loads(client.get(reverse("resolutions:p5_data", args=[chart, "json"])).content)
    assert data["rule"] and data["source"].startswith("Source: UN Dag Hammarskjöld Library")
    lines = (
        client.get(reverse("resolutions:p5_data", args=[chart, "csv"]))
        .content.decode()
        .splitlines()
    )
    rows = list(
        csv.DictReader(io.StringIO("\n".join(line for line in lines if not line.startswith("#"))))
    )
    assert len(rows) == len(data["rows"])
    if chart == "vetoes":
        assert data["rows"] == analytics.vetoes_per_year()
    if chart == "divisions":
        assert [(r["divided"], r["total"]) for r in data["rows"]] == [
            (r["divided"], r["total"]) for r in analytics.divisions_per_year()
        ]


def test_downloads_with_a_bad_period_say_why(client, named):
    response = client.get(reverse("resolutions:p5_data", args=["vetoes", "csv"]) + "?veto_from=abc")
    assert response.status_code == 400


def test_a_record_spanning_ten_times_the_real_one_still_draws(client, named):
    # The record spans 1946 to today, about 81 years; one bad date from an import
    # can stretch it to centuries (the year axis once ran out of tick steps at 180).
    real_span = 2026 - 1946 + 1
    vetoed = named["ussr_veto"]
    Draft.objects.filter(pk=vetoed.pk).update(date=date(2022 - 10 * real_span, 3, 1))
    # The per-year counts follow, as refresh_outcomes would make them (its engine
    # refuses a Council of 15 in 1212, which is beside this test's point).
    yearly.recount([vetoed.pk])
    html = p5(client)
    assert html.count('<svg class="chart') == 4
    ticks = re.findall(r'<text[^>]*class="tick[^"]*"[^>]*>(\d{4})</text>', html)
    # Every century labelled on each of the three time charts, 1212 to 2022.
    assert ticks == [str(year) for year in range(1300, 2100, 100)] * 3


@pytest.mark.parametrize("years", [1, 9, 10, 81, 180, 181, 810, 5000])
def test_the_year_axis_has_at_most_nine_labelled_steps_at_any_span(years):
    step = tick_step(years)
    assert years / step <= 9
    assert str(step)[0] in "125" and set(str(step)[1:]) <= {"0"}
    _, ticks = year_axis(1946, 1946 + years - 1)
    assert 1 <= len(ticks) <= 9


def test_matrix_and_tables_show_kappa_and_n(client, named):
    html = p5(client)
    matrix = analytics.agreement_matrix()
    result = matrix[("RUS", "USA")]
    assert result.kappa is not None
    kappa = f"{result.kappa:.2f}".replace("-", "−")
    assert f"κ {kappa}" in html and f"n {result.both}" in html
    assert "left out for that pair" in html
    assert reverse("resolutions:p5_method") in html


def test_figures_on_few_votes_are_greyed(client, named):
    html = p5(client, "?matrix_from=1989&matrix_to=1989")
    matrix = analytics.agreement_matrix(1989, 1989)
    few = sum(r.few for r in matrix.values())
    assert few  # the sample has only a handful of votes in one year
    # Each pair is two cells of the symmetric matrix, in the chart and in its table.
    assert html.count("cell--few") == 2 * few
    assert html.count('<td class="few">') == 2 * few


def test_pair_chart_switches_to_kappa(client, named):
    raw = p5(client, "?pair=RUS-USA")
    kappa = p5(client, "?pair=RUS-USA&measure=kappa")
    assert "Cohen&#x27;s κ</text>" in kappa or "Cohen's κ</text>" in kappa
    assert "agreement beyond chance (κ)" in kappa
    assert "Voted alike</text>" in raw and "agreement beyond chance" not in raw
    rows = analytics.pair_per_year("RUS", "USA")
    defined = [r for r in rows if r["kappa"] is not None]
    assert kappa.count('<circle class="point') == len(defined)
    # The other charts' forms carry the choice along.
    assert 'name="measure" value="kappa"' in kappa


def test_method_page_works_the_p5_pages_figure(client, named):
    response = client.get(reverse("resolutions:p5_method"))
    assert response.status_code == 200
    html = response.content.decode()
    result = analytics.agreement_matrix()[("CHN", "USA")]
    shown = re.search(r'<strong id="worked-kappa">([^<]+)</strong>', html).group(1)
    page = p5(client)
    # The same figure, in the P5 page's matrix table.
    assert shown == f"{result.kappa:.2f}".replace("-", "−")
    assert f'κ {shown} <span class="meta">n {result.both}</span>' in page
    assert f"n = {result.both}</strong>" in html
    # The worked marginals add up to n for each member.
    cells = re.findall(
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">\(', html
    )
    assert sum(int(f) for f, _ in cells) == sum(int(s) for _, s in cells) == result.both
