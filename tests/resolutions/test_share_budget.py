"""The sharing routes stay within a fixed number of queries, at two data sizes.

Share cards, embeds, sitemap.xml and the seat feeds; as test_pages_budget.py does
for the pages. With the page cache off (as in tests), every query runs.
"""

import pytest
from django.urls import reverse

from resolutions.views.p5 import CHARTS
from tests.samples import sample_size

pytestmark = [pytest.mark.django_db, sample_size("small", "large")]


def _get(client, url, budget, assert_max):
    with assert_max(budget):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_vote_card(client, sample, django_assert_max_num_queries):
    # 1: when the record last changed (ETag), 2: the draft, 3: its vetoes with seats
    # (the outcome's words), 4: the P5's votes
    url = reverse("resolutions:vote_card", args=[sample["seed"].pk])
    _get(client, url, 4, django_assert_max_num_queries)


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_card(client, sample, chart, django_assert_max_num_queries):
    # 1: when the record last changed (ETag), 2: the chart's aggregate
    _get(client, reverse("resolutions:chart_card", args=[chart]), 2, django_assert_max_num_queries)


def test_vote_embed(client, sample, django_assert_max_num_queries):
    # 1: the draft with its meeting, 2: its vetoes with seats, 3: the P5's votes
    url = reverse("resolutions:vote_embed", args=[sample["seed"].pk])
    _get(client, url, 3, django_assert_max_num_queries)


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_embed(client, sample, chart, django_assert_max_num_queries):
    # 1: the chart's aggregate over the period asked, 2: over the whole record (the preview)
    url = reverse("resolutions:chart_embed", args=[chart]) + "?veto_from=1990&pair=FRA-RUS"
    _get(client, url, 2, django_assert_max_num_queries)


def test_sitemap_index(client, sample, django_assert_max_num_queries):
    # 1: when the record last changed (ETag); for the votes 2: their newest change,
    # 3: their count (the pages, from the per-year counts); 4: the countries' count
    _get(client, reverse("resolutions:sitemap"), 4, django_assert_max_num_queries)


@pytest.mark.parametrize(("section", "budget"), [("votes", 3), ("countries", 3), ("pages", 1)])
def test_sitemap_section(client, sample, section, budget, django_assert_max_num_queries):
    # 1: when the record last changed (ETag), 2-3: the count (the paginator; the votes'
    # from the per-year counts), the page
    url = reverse("resolutions:sitemap_section", args=[section])
    _get(client, url, budget, django_assert_max_num_queries)


@pytest.mark.parametrize("code", ["CHN", "RUS", "USA"])
def test_seat_feed(client, sample, code, django_assert_max_num_queries):
    # 1: when the record last changed (ETag), 2: the seat's holder,
    # 3: the newest drafts with a vote of the seat, 4: their vetoes with seats (prefetch),
    # 5: the seat's votes on them
    url = reverse("resolutions:feed_seat", args=[code])
    _get(client, url, 5, django_assert_max_num_queries)
