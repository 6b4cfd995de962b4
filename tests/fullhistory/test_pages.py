"""The public pages against the whole official record (loaded once, tests/fullhistory).

Every count is recounted here with a
direct query; the query budgets are those of test_pages_budget.py, where each
query is named, now at the full size.
"""

import csv
import re

import pytest
from django.db.models import Count, Sum
from django.urls import reverse

from resolutions.models import Draft
from tests.resolutions.test_known_counts import assert_known_counts_are_the_counts
from votes.choices import Position
from votes.models import MemberVote, StateYear, Veto

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


@pytest.fixture
def record(history):
    return Draft.objects.published()


# (url, budget): the budgets and their queries are spelled out in test_pages_budget.py.
PAGES = [
    ("/", 7),
    ("/votes/", 7),
    ("/votes/?country=ghana&position=N", 8),
    ("/votes/?year_from=2011&vetoed_by=RUS&sort=-date", 7),
    ("/vetoes/", 10),  # +1: the vetoes a compilation lists that no record holds
    ("/countries/", 2),
    ("/countries/ghana/", 12),
    ("/countries/russian-federation/", 12),
    ("/countries/china/", 12),
    ("/p5/", 8),
    ("/p5/agreement.json", 2),
    ("/p5/method/", 3),
    ("/p5/elected/?from=2022&to=2023", 3),
    ("/p5/elected.csv?from=1946&to=2025", 3),
]


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_every_page_keeps_its_query_budget_and_size(
    client, record, url, budget, django_assert_max_num_queries
):
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.content) < 180 * 1024, url  # plus ~15 KB of CSS: under 200 KB


def test_vote_page_budget(client, record, django_assert_max_num_queries):
    draft = record.get(draft_symbol="S/2022/431")
    # 10 with "cite this page" and the sponsors (test_pages_budget.py names each)
    with django_assert_max_num_queries(10):
        response = client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert "13–2–0" in html
    assert "Vetoed by China and the Russian Federation" in html


def test_the_seed_case_shows_its_sponsor_as_the_compilation_says(client, record, shared_data):
    # No official file names S/2022/431's sponsor; the compilation's row does.
    path = shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    with path.open(encoding="utf-8") as handle:
        said = {r["Submitted by"] for r in csv.DictReader(handle) if r["Draft"] == "S/2022/431"}
    assert said == {"United States"}
    draft = record.get(draft_symbol="S/2022/431")
    html = client.get(draft.get_absolute_url()).content.decode()
    assert '<a href="/votes/?sponsor=united-states">United States</a>' in html
    assert "(according to Voting-Agent compilation" in html
    assert "submitted by the United States" in html and Draft.TITLE_BUILT_NOTE in html
    listed = client.get("/votes/", {"sponsor": "united-states", "q": "S/2022/431"})
    assert draft.get_absolute_url() in listed.content.decode()


def test_ghana_voted_no_is_exactly_the_direct_query(client, record):
    expected = set(
        MemberVote.objects.filter(
            state__code="GHA", position=Position.NO, draft__is_published=True, draft__kind="draft"
        ).values_list("draft_id", flat=True)
    )
    shown = set()
    page = 1
    while True:
        html = client.get(f"/votes/?country=ghana&position=N&per_page=100&page={page}").content
        shown |= {
            int(pk) for pk in re.findall(rb'data-label="Symbols"><a href="/votes/(\d+)/"', html)
        }
        if f"page={page + 1}".encode() not in html:
            break
        page += 1
    assert shown == expected


def test_russian_vetoes_since_2011(client, record):
    expected = Veto.objects.filter(
        seat__code="RUS", draft__is_published=True, draft__kind="draft", draft__date__year__gte=2011
    ).count()
    html = client.get("/votes/?year_from=2011&vetoed_by=RUS").content.decode()
    count = re.search(r'role="status"><strong>(\d+)</strong>', html).group(1)
    assert int(count) == expected > 10


def test_vetoes_page_counts_recount(client, record):
    html = client.get(reverse("resolutions:vetoes")).content.decode()
    for code in ("CHN", "FRA", "RUS", "GBR", "USA"):
        shown = re.search(
            rf'vetoed_by={code}">[^<]+</a></th>\s*<td>.*?</td>\s*<td class="num">(\d+)', html
        )
        assert (
            int(shown.group(1))
            == Veto.objects.filter(
                seat__code=code, draft__is_published=True, draft__kind="draft"
            ).count()
        )
    drafts = re.search(r'role="status"><strong>([\d,]+)</strong> vetoed draft', html).group(1)
    assert int(drafts.replace(",", "")) == record.vetoed().count()


def test_home_figures_recount(client, record):
    html = client.get("/").content.decode()
    votes = re.search(r"<strong>([\d,]+)</strong> votes recorded", html).group(1)
    assert int(votes.replace(",", "")) == record.count()
    vetoes = re.search(r"([\d,]+) vetoes by seat", html).group(1)
    assert (
        int(vetoes.replace(",", ""))
        == Veto.objects.filter(draft__is_published=True, draft__kind="draft").count()
    )


def test_symbol_permalinks_on_the_record(client, record):
    assert (
        client.get("/S/RES/2627(2022)")["Location"]
        == record.get(resolution_number=2627).get_absolute_url()
    )
    seed = record.get(draft_symbol="S/2022/431")
    assert client.get("/S/2022/431")["Location"] == seed.get_absolute_url()


def test_counts_from_the_per_year_tables_are_the_counts_on_the_record(client, record):
    """The unfiltered list, the API and the country pages take their counts from the
    per-year tables (DraftFilter.known_count): on the whole record, for every state,
    they must be the COUNT of the drafts listed."""
    assert_known_counts_are_the_counts(client)
    counted = dict(
        MemberVote.objects.filter(draft__in=record)
        .values_list("state")
        .order_by()
        .annotate(n=Count("draft", distinct=True))
    )
    summed = dict(
        StateYear.objects.values_list("state").order_by().annotate(n=Sum("votes")).filter(n__gt=0)
    )
    assert len(counted) > 100
    assert summed == counted
