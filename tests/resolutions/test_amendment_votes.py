"""Votes on amendments: records of their own, decided by the engine, counted as no draft."""

import re

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from resolutions.models import Draft
from tests.factories import recorded_draft
from votes import analytics
from votes.choices import Outcome, Position, VoteKind
from votes.models import MemberState, Veto

pytestmark = pytest.mark.django_db

N, A = Position.NO, Position.ABSTAIN
PAGES = ["/votes/", "/vetoes/", "/p5/", "/", "/countries/united-states/", "/data/"]


def _amend(draft: Draft, positions: dict, **fields) -> Draft:
    return recorded_draft(draft.date, positions, kind=VoteKind.AMENDMENT, amends=draft, **fields)


def _numbers(client) -> dict:
    """What the counting pages show and what analytics count, links to votes aside."""
    shown = {}
    for url in PAGES:
        cache.clear()
        html = re.sub(r"/votes/\d+/", "/votes/ID/", client.get(url).content.decode())
        shown[url] = re.findall(r"\d[\d,.–]*", html)
    usa = MemberState.objects.get(code="USA")
    shown["orm"] = [
        Draft.objects.published().count(),
        sorted(analytics.agreement_matrix().items()),
        analytics.vetoes_by_holder(),
        analytics.position_counts(usa).recorded,
    ]
    return shown


def test_adding_amendments_changes_no_count(client, sample):
    seed = sample["seed"]  # S/2022/431, 26 May 2022
    before = _numbers(client)
    vetoed = _amend(seed, {"USA": N, "FRA": N, "GHA": A})  # 12-2-1, two permanent no
    failed = _amend(seed, dict.fromkeys(("CHN", "RUS", "ALB", "BRA", "GAB", "GHA", "IND"), N))
    assert (vetoed.outcome, failed.outcome) == (Outcome.VETOED, Outcome.NOT_ADOPTED)
    assert sorted(Veto.objects.filter(draft=vetoed).values_list("seat__code", flat=True)) == [
        "FRA",
        "USA",
    ]
    assert _numbers(client) == before


def test_the_engine_decides_an_amendment_that_lacks_nine_votes(sample):
    seed = sample["seed"]
    # 8 in favour, 7 abstaining: not adopted, whatever a permanent member does.
    abstain = ("CHN", "RUS", "ALB", "BRA", "GAB", "GHA", "IND")
    amendment = _amend(seed, dict.fromkeys(abstain, A))
    assert amendment.tally.yes == 8
    assert amendment.outcome == Outcome.NOT_ADOPTED
    assert not amendment.vetoes.exists()


def test_an_amendment_has_its_page_and_shows_on_its_draft(client, sample):
    seed = sample["seed"]
    amendment = _amend(seed, {"USA": N}, draft_symbol="S/2022/432")
    page = client.get(seed.get_absolute_url()).content.decode()
    assert "Votes on amendments" in page
    assert amendment.get_absolute_url() in page and "14–1–0" in page
    own = client.get(amendment.get_absolute_url()).content.decode()
    assert "Amendment S/2022/432 to S/2022/431" in own
    assert seed.get_absolute_url() in own


def test_the_kind_filter_lists_the_amendments_only(client, sample):
    seed = sample["seed"]
    _amend(seed, {"USA": N})
    html = client.get("/votes/?kind=amendment").content.decode()
    assert re.search(r'role="status"><strong>1</strong>', html)
    api = client.get("/api/v1/votes/?kind=amendment").json()
    assert [v["amends"] for v in api["results"]] == [seed.pk]
    assert all(v["kind"] == "draft" for v in client.get("/api/v1/votes/").json()["results"])


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": VoteKind.AMENDMENT},  # an amendment names its draft
        {"kind": VoteKind.DRAFT_RESOLUTION, "amends": True},  # a draft amends nothing
        {"kind": VoteKind.AMENDMENT, "amends": True, "resolution_number": 9999},
    ],
)
def test_the_constraints_refuse_an_amendment_without_its_draft(sample, fields):
    seed = sample["seed"]
    fields = {**fields, "amends": seed if fields.get("amends") else None}
    if "resolution_number" in fields:
        fields["resolution_year"] = 2022
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(date=seed.date, **fields)


def test_the_draft_page_takes_three_queries_more_however_many_amendments(client, sample):
    seed = sample["seed"]
    url = seed.get_absolute_url()
    cache.clear()
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    _amend(seed, {"USA": N})
    counts = []
    for _ in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as found:
            assert "Votes on amendments" in client.get(url).content.decode()
        counts.append(len(found))
        _amend(seed, {"FRA": N})
    assert counts == [len(without) + 3] * 2
