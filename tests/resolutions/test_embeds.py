"""Embeds: /votes/<id>/embed/ and /p5/<chart>/embed/ may be framed by any site; nothing else."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from config.framing import frameable
from resolutions.starter import load_starter_data
from resolutions.views.p5 import CHARTS
from votes.models import MemberVote

pytestmark = pytest.mark.django_db

POSITION_WORDS = {"Y": "Yes", "N": "No", "A": "Abstention", "X": "Non-voting"}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip())


def assert_frameable(response):
    assert directives(response)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in response


def assert_refused(response):
    assert directives(response)["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def seed(db):
    return load_starter_data()


def test_a_vote_embed_may_be_framed_and_shows_the_outcome_and_the_p5(client, seed):
    response = client.get(reverse("resolutions:vote_embed", args=[seed.pk]))
    assert response.status_code == 200
    assert_frameable(response)
    page = response.content.decode()
    assert "S/2022/431" in page and "13–2–0" in page
    # Each permanent member's vote, read from the member votes themselves.
    for vote in MemberVote.objects.filter(draft=seed, seat__isnull=False).select_related("seat"):
        seat = {"CHN": "China", "FRA": "France", "RUS": "Russia", "GBR": "UK", "USA": "US"}
        assert re.search(
            rf'<span class="embed-p5__name">{seat[vote.seat.code]}</span> '
            rf"<strong>{POSITION_WORDS[vote.position]}</strong>",
            page,
        ), vote.seat.code
    assert f'<link rel="canonical" href="http://testserver{seed.get_absolute_url()}">' in page
    assert '<base target="_top">' in page
    assert f'property="og:url" content="http://testserver{seed.get_absolute_url()}"' in page
    assert 'name="robots" content="noindex"' in page


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_embed_may_be_framed_and_draws_its_chart(client, seed, chart):
    response = client.get(reverse("resolutions:chart_embed", args=[chart]))
    assert response.status_code == 200
    assert_frameable(response)
    assert b"<svg" in response.content
    assert b'property="og:image"' in response.content


def test_the_rest_of_the_site_refuses_to_be_framed(client, seed):
    for url in ("/", seed.get_absolute_url(), "/votes/", "/p5/", "/countries/", "/data/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_refused(response)
    card = client.get(reverse("resolutions:vote_card", args=[seed.pk]))
    assert card["X-Frame-Options"] == "DENY"


def test_the_embeds_stay_frameable_from_the_page_cache_and_on_a_304(client, seed, settings):
    settings.HTTP_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    try:
        url = reverse("resolutions:vote_embed", args=[seed.pk])
        first = client.get(url)
        cached = client.get(url)
        assert cached.content == first.content
        assert_frameable(first)
        assert_frameable(cached)
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert not_modified.status_code == 304
        assert "X-Frame-Options" not in not_modified
        # ...and a cached page of the site itself still refuses.
        client.get(seed.get_absolute_url())
        assert_refused(client.get(seed.get_absolute_url()))
    finally:
        cache.clear()


def test_only_the_embed_addresses_are_frameable(seed):
    assert frameable(reverse("resolutions:vote_embed", args=[seed.pk]))
    for chart in CHARTS:
        assert frameable(reverse("resolutions:chart_embed", args=[chart]))
    for path in (
        seed.get_absolute_url(),
        "/votes/1/embed/extra/",
        "/x/votes/1/embed/",
        "/p5/",
        "/p5/other/embed/",
        "/admin/",
    ):
        assert not frameable(path), path


def test_an_unpublished_vote_has_no_embed(client, seed):
    seed.is_published = False
    seed.save()
    assert client.get(reverse("resolutions:vote_embed", args=[seed.pk])).status_code == 404
    assert client.get("/p5/other/embed/").status_code == 404


def test_the_vote_and_p5_pages_offer_the_embed_code_with_a_button(client, seed):
    page = client.get(seed.get_absolute_url()).content.decode()
    embed = f"http://testserver{reverse('resolutions:vote_embed', args=[seed.pk])}"
    code = html.unescape(
        re.search(r'<textarea id="embed-code-vote"[^>]*>(.*?)</textarea>', page, re.S)[1]
    )
    assert code.startswith(f'<iframe src="{embed}"')
    assert 'title="S/2022/431"' in code
    assert '<button type="button" class="copy-embed" data-copy="embed-code-vote"' in page
    assert "js/embed-code.js" in page
    p5 = client.get(reverse("resolutions:p5")).content.decode()
    for chart in CHARTS:
        assert f'data-copy="embed-code-{chart}"' in p5
        assert f"http://testserver/p5/{chart}/embed/" in p5
