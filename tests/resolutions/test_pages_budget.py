"""Every public page stays within a fixed number of queries, and under 200 KB.

Each budget is checked at two data sizes (the starter vote alone, and 47 votes
of every kind over six years), so a query per row cannot hide. The same pages
are checked against the whole official history in test_pages_full_history.py.
"""

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.urls import reverse

from tests.samples import sample_size

# Every test at both sizes: the starter vote alone, and large_history(extra=40).
pytestmark = [pytest.mark.django_db, sample_size("small", "large")]

PAGE_LIMIT = 200 * 1024


@pytest.fixture
def history(sample):
    return sample


def _get(client, url, budget, assert_max):
    with assert_max(budget):
        response = client.get(url)
    assert response.status_code == 200, url
    return response


def test_home(client, history, django_assert_max_num_queries):
    # 1-2: headline figures (the per-year counts of drafts and of vetoes)
    # 3: the latest votes with meeting and agenda item
    # 4: their vetoes with seats (prefetch)
    # 5: the latest veto
    # 6: its vetoes with seats (prefetch)
    # 7: the source versions cited in the footer
    _get(client, reverse("resolutions:home"), 7, django_assert_max_num_queries)


def test_votes_list(client, history, django_assert_max_num_queries):
    # 1: member-state choices for the filter form
    # 2: count of matching drafts
    # 3: the page of drafts with meeting and agenda item
    # 4: their vetoes with seats (prefetch)
    # 5: the source versions cited in the footer
    # 6, 7: what the counts rest on (coverage.counting_caveats): the recorded votes
    # and the sources' first and last records
    _get(client, reverse("resolutions:list"), 7, django_assert_max_num_queries)


def test_votes_list_filtered_by_a_members_vote(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:list") + "?country=ghana&position=N&year_from=1980&sort=-tally"
    # 1: the chosen member state (form validation)
    # 2: member-state choices for the filter form
    # 3: count of matching drafts
    # 4: the page of drafts
    # 5: their vetoes (prefetch)
    # 6: the source versions cited
    # 7, 8: what the counts rest on (the recorded votes, the sources' spans)
    _get(client, url, 8, django_assert_max_num_queries)


def test_votes_list_filtered_by_a_sponsor(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:list") + "?sponsor=united-states"
    # 1: the chosen state (form validation)
    # 2: member-state choices for the filter form
    # 3: count of matching drafts (the sponsor as an EXISTS in the same query)
    # 4: the page of drafts
    # 5: their vetoes (prefetch)
    # 6: the source versions cited
    # 7, 8: what the counts rest on (the recorded votes, the sources' spans)
    response = _get(client, url, 8, django_assert_max_num_queries)
    assert "submitted by United States" in response.content.decode()


def test_a_word_search_scans_the_drafts_once(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:list") + "?q=non-proliferation"
    full_text = connection.vendor == "postgresql"
    # 1: member-state choices for the filter form
    # 2: on SQLite, the words' scan (LIKE over five columns, no index): the matching
    #    ids; PostgreSQL has no such query, its search is the GIN index's
    # 3: count of matching drafts (by id, or through the index)
    # 4: the page of drafts (likewise)
    # 5: their vetoes (prefetch)
    # 6: the source versions cited
    # 7, 8: what the counts rest on (the recorded votes, the sources' spans)
    with django_assert_max_num_queries(7 if full_text else 8) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert history["seed"].draft_symbol in response.content.decode()
    scans = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"].upper()]
    searches = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert (len(scans), len(searches)) == ((0, 2) if full_text else (1, 0)), scans + searches


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # -1: the per-draft CSV has no member columns, so fetches no member votes
        # +1 for the unfiltered three: whether the release's file can serve it
        ("/votes.csv", 6),
        ("/votes.csv?rows=votes", 7),
        ("/votes.json", 7),
        # +1: the chosen member state (form validation)
        ("/votes.csv?country=ghana", 7),
        # +1: the chosen sponsor (form validation); its drafts in the drafts' query
        ("/votes.csv?sponsor=united-states", 6),
    ],
)
def test_votes_downloads(client, history, url, budget, django_assert_max_num_queries):
    # 1: when the record last changed (ETag and Last-Modified)
    # 2: the matching drafts' vetoes, 3: their subjects
    # 4: the drafts with meeting and agenda item, 5: their member votes (two cursors
    # read side by side, whatever the size: tests/resolutions/test_exports.py)
    # 6: their sponsors with their states
    # A download is streamed: its rows are queried while it is read, so it is read
    # inside the budget.
    with django_assert_max_num_queries(budget):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content)


def test_vote_page(client, history, django_assert_max_num_queries):
    url = history["seed"].get_absolute_url()
    # 1: the draft with meeting and agenda item
    # 2: its vetoes with seats (prefetch)
    # 3: its subjects (prefetch)
    # 4: its sponsors with their states (prefetch)
    # 5: its member votes with their states
    # 6: disagreements recorded about it
    # 7: the previous vote on its agenda item
    # 8: the next vote on its agenda item
    # 9: the source versions cited
    # 10: the imported files' digests ("cite this page": is the record a data release?)
    _get(client, url, 10, django_assert_max_num_queries)


def test_vetoes_page(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:vetoes") + "?year_from=1946"
    # 1: member-state choices for the filter form
    # 2: count of vetoed drafts
    # 3: the page of vetoed drafts
    # 4: their vetoes (prefetch)
    # 5: vetoes by seat and holder
    # 6: vetoes by decade and seat
    # 7: the source versions cited
    # 8, 9: what the counts rest on (the recorded votes, the sources' spans)
    # 10: the vetoes a compilation lists that no record holds
    _get(client, url, 10, django_assert_max_num_queries)


def test_countries_page(client, history, django_assert_max_num_queries):
    # 1: the states with their terms aggregated
    # 2: the source versions cited
    _get(client, reverse("resolutions:countries"), 2, django_assert_max_num_queries)


@pytest.mark.parametrize("slug", ["ghana", "russian-federation"])
def test_country_page(client, history, slug, django_assert_max_num_queries):
    url = reverse("resolutions:country", args=[slug]) + "?position=Y"
    # 1: the state
    # 2: count of its votes
    # 3: the page of its votes, with its position
    # 4: their vetoes (prefetch)
    # 5: its terms with seats
    # 6: its counts by position and names
    # 7: its agreement with each permanent seat
    # 8: vetoes cast from its permanent seat (permanent members only)
    # 9: the votes on which it was decisive or alone, and near-misses (one aggregate)
    # 10: the source versions cited
    # 11, 12: what the counts rest on (the recorded votes, the sources' spans)
    _get(client, url, 12, django_assert_max_num_queries)


def test_p5_page(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:p5") + "?pair=FRA-RUS&div_from=1980"
    # 1: vetoes per year and seat
    # 2: the agreement matrix
    # 3: the chosen pair by year
    # 4: divisions by year
    # 5: first and last years
    # 6: the source versions cited
    # 7, 8: what the counts rest on (the recorded votes, the sources' spans)
    _get(client, url, 8, django_assert_max_num_queries)


def test_p5_page_with_kappa(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:p5") + "?pair=FRA-RUS&measure=kappa"
    # The same eight as the plain page: kappa comes from the same aggregates,
    # grouped by position.
    _get(client, url, 8, django_assert_max_num_queries)


def test_p5_method_page(client, history, django_assert_max_num_queries):
    # 1: the agreement matrix (the worked pair's figure)
    # 2: first and last years
    # 3: the source versions cited
    _get(client, reverse("resolutions:p5_method"), 3, django_assert_max_num_queries)


def test_p5_elected_page(client, history, django_assert_max_num_queries):
    url = reverse("resolutions:p5_elected") + "?from=1986&to=2022&sort=-FRA_kappa"
    # 1: first and last years (the default period)
    # 2: every elected member against every seat (one aggregate)
    # 3: the source versions cited
    _get(client, url, 3, django_assert_max_num_queries)


def test_p5_elected_downloads(client, history, django_assert_max_num_queries):
    for fmt in ("csv", "json"):
        # 1: first and last years, 2: the aggregate, 3: the source versions cited
        _get(
            client,
            reverse("resolutions:p5_elected_data", args=[fmt]),
            3,
            django_assert_max_num_queries,
        )


@pytest.mark.parametrize("chart", ["vetoes", "agreement", "pair", "divisions"])
def test_p5_downloads(client, history, chart, django_assert_max_num_queries):
    for fmt in ("csv", "json"):
        # 1: the chart's aggregate
        # 2: the source versions cited
        _get(
            client,
            reverse("resolutions:p5_data", args=[chart, fmt]),
            2,
            django_assert_max_num_queries,
        )


def test_search_by_symbol(client, history, django_assert_max_num_queries):
    # 1: the ids of at most two matching drafts
    with django_assert_max_num_queries(1):
        response = client.get(reverse("resolutions:search") + "?q=S/2022/431")
    assert response.status_code == 302


def _css_size() -> int:
    return len(open(finders.find("css/site.css"), "rb").read())  # noqa: PTH123


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/votes/",
        "/votes/?country=ghana&position=N",
        "/vetoes/",
        "/countries/",
        "/countries/russian-federation/",
        "/p5/",
        "/p5/method/",
        "/p5/elected/?from=1946&to=2026",
    ],
)
def test_pages_stay_under_200_kb_with_their_css(client, history, url):
    response = client.get(url)
    assert len(response.content) + _css_size() < PAGE_LIMIT
