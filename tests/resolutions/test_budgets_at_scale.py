"""Every public page and download runs as many queries on the record grown N times.

The sample ("large": 47 drafts of every kind over six years) is measured, then
grown with the same code as ``manage.py bench_scale`` (resolutions/scaling.py:
every draft and its votes copied under fake symbols, outcomes refreshed), and
measured again. A page that queries per row, per chunk or per year shows here as
a count that grows; the absolute budget of each page, query by query, is in
test_pages_budget.py, test_share_budget.py, tests/api/test_api.py, or here when
no other test pins it.

FACTOR is chosen so that the grown record passes a download's chunk of 100
drafts (resolutions/exports.py). Downloads are read to the end inside the count.
"""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.scaling import grow
from tests.conftest import kept_for_the_scope

pytestmark = pytest.mark.django_db

FACTOR = 4
SEED = "{seed}"  # the seed draft's id, filled in by the test
# (url, budget): budget None when another test pins the page's absolute count.
PAGES = [
    ("/", None),
    ("/votes/", None),
    ("/votes/?q=non-proliferation", None),
    ("/votes/?country=ghana&position=N&year_from=1980&sort=-tally", None),
    ("/votes/?topic=middle&pair=RUS-USA", None),
    ("/votes/?pair=FRA-GBR&pair_agreed=no", None),
    ("/votes/?topic=middle&divided=yes", None),
    ("/votes/{seed}/", None),
    ("/votes/{seed}/embed/", None),
    ("/votes/{seed}/card.png", None),
    ("/vetoes/?year_from=1946", None),
    # Unfiltered (resolutions.views.vetoes): 1: the count and 4-5: the vetoes by holder
    # and by decade, of the per-year counts; 2-3: the page of rows and their vetoes;
    # 6: the form's member states; 7-8: what the counts rest on (recorded votes, the
    # sources' spans); 9: the vetoes no record holds; 10: the source versions cited
    ("/vetoes/", 10),
    ("/countries/", None),
    # Unfiltered, its count is from the per-year tables (DraftFilter.known_count).
    ("/countries/ghana/", None),
    ("/countries/ghana/?position=Y", None),
    ("/countries/russian-federation/?position=Y", None),
    ("/p5/?pair=FRA-RUS&div_from=1980", None),
    ("/p5/?pair=FRA-RUS&measure=kappa", None),
    ("/p5/method/", None),
    ("/p5/elected/?from=1986&to=2022&sort=-FRA_kappa", None),
    ("/p5/elected.csv", None),
    ("/p5/elected.json", None),
    *(
        (f"/p5/{chart}.{fmt}", None)
        for chart in ("vetoes", "agreement", "pair", "divisions")
        for fmt in ("csv", "json")
    ),
    *((f"/p5/{chart}/card.png", None) for chart in ("vetoes", "agreement", "pair", "divisions")),
    *((f"/p5/{chart}/embed/", None) for chart in ("vetoes", "agreement", "pair", "divisions")),
    # 1-2: the resolution numbers' count and where their gaps start, 3: the sources'
    # first and last records, 4: the coverage by decade (its per-year counts), 5-6: the
    # source versions cited (footer, citations)
    ("/data/", 7),
    # 1: when the record last changed, 2: the votes' newest change, 3-4: the votes'
    # (their per-year counts) and the countries' counts (their pages)
    ("/sitemap.xml", 4),
    # 1: when the record last changed, 2: the count (the paginator; the votes' from
    # their per-year counts), 3: the page
    ("/sitemap-votes.xml", 3),
    ("/sitemap-countries.xml", 3),
    # 1: when the record last changed, 2: the newest drafts, 3: their vetoes with seats
    ("/feeds/votes.atom", 3),
    ("/feeds/vetoes.atom", 3),
    # and (after 1) the state, then (after 3) its votes on those drafts
    ("/feeds/countries/ghana.atom", 5),
    ("/feeds/seats/RUS.atom", None),
    # The root, the schema and the docs: no query of the record.
    ("/api/v1/", 0),
    ("/api/v1/votes/", None),
    # 1: when the record last changed, 2: the draft, 3-6: its vetoes, subjects,
    # member votes and disagreements (prefetch), 7: the source versions cited
    ("/api/v1/votes/{seed}/", 8),
    # 1: when the record last changed, 2: the count, 3: the page of states, 4-5: their
    # names and terms (prefetch), 6: the source versions cited; a single state has no count
    ("/api/v1/member-states/", 6),
    ("/api/v1/member-states/ghana/", 5),
    # 1: when the record last changed, 2: the count, 3: the page, 4: the versions cited
    ("/api/v1/vetoes/", 4),
    # 1: when the record last changed, 2: the chart's aggregate, 3: the versions cited
    *((f"/api/v1/p5/{chart}/", 3) for chart in ("vetoes", "agreement", "pair", "divisions")),
    ("/api/v1/schema/", 0),
    ("/api/v1/docs/", 0),
]
DOWNLOADS = [
    # Streamed whatever the size (resolutions/exports.py), one cursor each for the
    # drafts, their vetoes, subjects and sponsors (and member votes), merged in the
    # drafts' order: the ETag's date, whether the release's file can serve it
    # (resolutions/release/downloads.py), vetoes, subjects, sponsors, the drafts,
    ("/votes.csv", 6),
    # +1: the member votes.
    ("/votes.csv?rows=votes", 7),
    ("/votes.json", 7),
    # Filtered: the chosen member state (form validation) instead of the release's file.
    ("/votes.csv?country=ghana", 6),
    ("/votes.csv?country=ghana&rows=votes", 7),
    ("/votes.json?country=ghana", 7),
]
# The search box and the symbol addresses answer a redirect (to a vote or the list).
REDIRECTS = ["/search/?q=sanctions", "/search/?q=S/2022/431", "/S/2022/431", "/S/PV.9048"]


def count_queries(client, url: str, status: int = 200) -> int:
    """The queries of one GET, the body read to its end (a stream queries as it is read)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
        if response.streaming:
            assert b"".join(response.streaming_content)
        else:
            assert response.content or status != 200
    return len(queries)


def grown() -> int:
    """The sample grown FACTOR times, as bench_scale grows the record; its drafts."""
    refresh_outcomes(grow(FACTOR))
    return Draft.objects.count()


@pytest.fixture(scope="module")
def measured(shared_sample, django_db_blocker) -> dict[str, tuple[int, int]]:
    """Each address's queries on the sample, then on the sample grown FACTOR times.

    Every address is measured before the one growth, and again after it: growing the
    sample per address cost more than the whole module's requests. Keyed by the
    address as the lists above spell it.
    """
    seed = shared_sample["seed"].pk
    addresses = [(url, 200) for url, _ in (*PAGES, *DOWNLOADS)] + [(u, 302) for u in REDIRECTS]
    client = Client()
    # The function-scoped autouse fixtures (no rate limits) come after this one.
    with override_settings(RATELIMIT_ENABLE=False), kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            small = {}
            for url, status in addresses:
                client.get(url.format(seed=seed))  # warm what a process computes once
                small[url] = count_queries(client, url.format(seed=seed), status)
            drafts = Draft.objects.count()
            assert grown() == FACTOR * drafts
            large = {url: count_queries(client, url.format(seed=seed), s) for url, s in addresses}
        yield {url: (small[url], large[url]) for url, _ in addresses}


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_a_page_runs_the_same_queries_at_any_size(measured, url, budget):
    small, large = measured[url]
    assert large == small, f"{url}: {small} queries at 1x, {large} at {FACTOR}x"
    if budget is not None:
        assert large <= budget, url


@pytest.mark.parametrize(("url", "budget"), DOWNLOADS)
def test_a_download_runs_the_same_queries_at_any_size(measured, url, budget):
    small, large = measured[url]
    assert small <= budget, url
    assert large == small, f"{url}: {small} queries at 1x, {large} at {FACTOR}x"


@pytest.mark.parametrize("url", REDIRECTS)
def test_a_symbol_address_runs_the_same_queries_at_any_size(measured, url):
    small, large = measured[url]
    assert large == small <= 2, url


def _public_names() -> set[str]:
    names = set()
    for namespace in ("resolutions", "api"):
        resolver = get_resolver().namespace_dict[namespace][1]
        names |= {f"{namespace}:{n}" for n in resolver.reverse_dict if isinstance(n, str)}
    return names


def test_every_public_address_is_measured(sample):
    """A new page or download must join the lists above, or the test fails naming it."""
    measured = {u.format(seed=sample["seed"].pk) for u, _ in PAGES} | set(REDIRECTS)
    measured |= {url for url, _ in DOWNLOADS}
    seen = set()
    for url in measured:
        match = get_resolver().resolve(url.split("?")[0])
        seen.add(f"{match.namespace}:{match.url_name}")
    assert _public_names() - seen == set()
