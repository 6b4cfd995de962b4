"""The vetoes page: the list like the Library's, counts by seat and decade, the rule stated."""

import re

import pytest
from django.urls import reverse

from resolutions.models import Draft
from resolutions.views.vetoes import decade_table, seat_totals
from tests.resolutions.test_admin_setup import change_post, change_url
from votes import analytics
from votes.dates import FIRST_MEETING
from votes.models import Veto

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def named(sample):
    return sample


def test_lists_every_published_vetoed_draft_once(client, named):
    html = client.get(reverse("resolutions:vetoes") + "?per_page=100").content.decode()
    shown = re.findall(r'<td data-label="Draft"><a href="/votes/(\d+)/"', html)
    expected = Draft.objects.published().vetoed().values_list("pk", flat=True)
    assert sorted(map(int, shown)) == sorted(expected)
    assert str(named["unpublished"].pk) not in shown


def test_counts_by_seat_recount_the_veto_rows(client, named):
    html = client.get(reverse("resolutions:vetoes")).content.decode()
    for code in ("CHN", "FRA", "RUS", "GBR", "USA"):
        expected = Veto.objects.filter(seat__code=code, draft__is_published=True).count()
        row = re.search(
            rf'vetoed_by={code}">[^<]+</a></th>\s*<td>(.*?)</td>\s*<td class="num">(\d+)', html
        )
        assert row, code
        assert int(row.group(2)) == expected, code
    # The USSR's vetoes are under the Russian seat, labelled.
    russia = re.search(r'vetoed_by=RUS">[^<]+</a></th>\s*<td>(.*?)</td>', html).group(1)
    ussr = Veto.objects.filter(state__code="SUN", draft__is_published=True).count()
    assert f"USSR: {ussr}" in russia
    assert "Russian Federation: 1" in russia


def test_counts_by_decade_recount_the_veto_rows(client, named):
    html = client.get(reverse("resolutions:vetoes")).content.decode()
    for decade in (1980, 2020):
        expected = Veto.objects.filter(
            draft__is_published=True,
            draft__date__year__gte=decade,
            draft__date__year__lte=decade + 9,
        ).count()
        row = re.search(rf"{decade}s</a></th>((?:<td class=\"num\">\d+</td>)+)", html)
        assert row, decade
        cells = [int(n) for n in re.findall(r">(\d+)<", row.group(1))]
        assert cells[-1] == expected == sum(cells[:-1])
        link = f'?year_from={decade}&amp;year_to={decade + 9}">{decade}s</a>'
        assert link in html, decade


def test_the_1940s_link_starts_with_the_first_year_of_the_record():
    rows = decade_table([{"decade": 1940, "seat": "RUS", "count": 3}])
    assert (rows[0]["first_year"], rows[0]["last_year"]) == (FIRST_MEETING.year, 1949)
    assert rows[0]["counts"] == [0, 0, 3, 0, 0]


def test_counts_follow_the_filters(client, named):
    html = client.get(reverse("resolutions:vetoes") + "?year_from=2022").content.decode()
    assert "1980s" not in html
    row = re.search(r'vetoed_by=CHN">[^<]+</a></th>\s*<td>.*?</td>\s*<td class="num">(\d+)', html)
    assert (
        int(row.group(1))
        == Veto.objects.filter(
            seat__code="CHN", draft__date__year=2022, draft__is_published=True
        ).count()
    )


def test_the_counting_rule_is_stated(client, named):
    html = client.get(reverse("resolutions:vetoes")).content.decode()
    assert "How vetoes are counted here" in html
    assert "one row per vetoed draft" in html
    assert "counts once for each" in html


def test_sortable_and_downloadable(client, named):
    html = client.get(reverse("resolutions:vetoes") + "?sort=date").content.decode()
    shown = re.findall(r'<td data-label="Draft"><a href="/votes/(\d+)/"', html)
    assert int(shown[0]) == Draft.objects.published().vetoed().order_by("date").first().pk
    csv_link = re.search(r'href="(/votes\.csv\?[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "outcome=vetoed" in csv_link
    lines = b"".join(client.get(csv_link).streaming_content).decode().splitlines()
    assert len(lines) - 1 == Draft.objects.published().vetoed().count()  # minus the header


def assert_unfiltered_figures_are_a_recount(client) -> None:
    """Unfiltered, the count and the tables come from the per-year counts: they equal
    what the list's own rows give (the filtered computation)."""
    context = client.get(reverse("resolutions:vetoes") + "?page=1").context
    drafts = Draft.objects.published().vetoed()
    assert context["table"].paginator.count == drafts.count() > 0
    assert context["by_seat"] == seat_totals(analytics.vetoes_by_holder(drafts))
    assert context["by_decade"] == decade_table(analytics.vetoes_per_decade(drafts))


def test_the_unfiltered_figures_are_a_recount_after_an_editors_change(client, named, admin_client):
    assert_unfiltered_figures_are_a_recount(client)
    vetoed = Draft.objects.published().vetoed().order_by("date").first()
    response = admin_client.post(change_url(vetoed), change_post(vetoed, is_published=False))
    assert response.status_code == 302
    assert_unfiltered_figures_are_a_recount(client)
