"""Share cards: a 1200×630 PNG per vote and per P5 chart, and the tags that point to it."""

import io
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from PIL import Image

from resolutions import sharecards
from resolutions.outcomes import refresh_outcomes
from resolutions.starter import load_starter_data
from resolutions.views.p5 import CHARTS
from votes.choices import Position
from votes.models import MemberVote

pytestmark = pytest.mark.django_db


class MetaTags(HTMLParser):
    """Every <meta property|name=… content=…> and <link rel=canonical> of a page."""

    def __init__(self):
        super().__init__()
        self.tags: dict[str, str] = {}
        self.canonical: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.tags[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])


def parsed(response) -> MetaTags:
    assert response.status_code == 200
    parser = MetaTags()
    parser.feed(response.content.decode())
    return parser


def absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def png(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    assert image.format == "PNG"
    return image


@pytest.fixture
def seed(db):
    return load_starter_data()


@pytest.fixture
def cached_site(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_vote_card_is_a_1200_by_630_png_showing_each_permanent_members_vote(client, seed):
    image = png(client.get(reverse("resolutions:vote_card", args=[seed.pk])))
    assert image.size == (1200, 630)
    # Each chip's top edge is drawn in its position's colour: read the P5's votes back.
    p5_votes = MemberVote.objects.filter(draft=seed, seat__isnull=False)
    votes = dict(p5_votes.values_list("seat__code", "position"))
    assert sorted(votes.values()) == ["N", "N", "Y", "Y", "Y"]  # S/2022/431: China and Russia no
    gap, margin = 16, sharecards.MARGIN
    width = (1200 - 2 * margin - gap * 4) // 5
    top = 630 - margin - 96
    rgb = image.convert("RGB")
    for number, code in enumerate(("CHN", "FRA", "RUS", "GBR", "USA")):
        pixel = rgb.getpixel((margin + number * (width + gap) + width // 2, top + 1))
        expected = sharecards.POSITION_COLOURS[votes[code]]
        assert "#{:02x}{:02x}{:02x}".format(*pixel) == expected, code


def test_the_card_changes_with_the_vote_and_is_cached_under_the_records_version(
    transactional_db, client, seed, cached_site
):
    url = reverse("resolutions:vote_card", args=[seed.pk])
    before = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert again.status_code == 304
    assert client.get(url).content == before.content  # from the cache, same bytes

    france = MemberVote.objects.get(draft=seed, seat__code="FRA")
    france.position = Position.ABSTAIN
    # The record's version moves when a change commits (resolutions.signals), so
    # this test commits for real (transactional_db).
    france.save()
    refresh_outcomes([seed.pk])
    after = client.get(url)
    assert png(after).size == (1200, 630)
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_an_unpublished_or_missing_vote_has_no_card(client, seed):
    seed.is_published = False
    seed.save()
    assert client.get(reverse("resolutions:vote_card", args=[seed.pk])).status_code == 404
    assert client.get("/votes/999999/card.png").status_code == 404
    assert client.get("/p5/nothing/card.png").status_code == 404


@pytest.mark.parametrize("chart", CHARTS)
def test_every_p5_chart_has_a_card(client, seed, chart):
    image = png(client.get(reverse("resolutions:chart_card", args=[chart])))
    assert image.size == (1200, 630)


def test_a_vote_page_carries_open_graph_and_twitter_tags_with_absolute_urls(client, seed):
    page = parsed(client.get(seed.get_absolute_url()))
    tags = page.tags
    assert tags["twitter:card"] == "summary_large_image"
    for name in ("og:title", "og:description", "og:image", "og:url", "twitter:image"):
        assert tags.get(name), name
    for name in ("og:image", "og:url", "twitter:image"):
        assert absolute(tags[name]), (name, tags[name])
    assert page.canonical == [tags["og:url"]]
    assert urlsplit(tags["og:url"]).path == seed.get_absolute_url()
    assert urlsplit(tags["og:image"]).path == reverse("resolutions:vote_card", args=[seed.pk])
    assert tags["og:title"].startswith("S/2022/431")
    # The tally in words, counted from the member votes themselves.
    counts = {p: seed.member_votes.filter(position=p).count() for p in ("Y", "N", "A")}
    assert (
        f"{counts['Y']} in favour, {counts['N']} against, {counts['A']} abstaining"
        in (tags["og:description"])
    )
    # The image the tag names is the card.
    assert png(client.get(urlsplit(tags["og:image"]).path)).size == (1200, 630)


def test_site_url_makes_every_shared_link_use_the_public_address(client, seed, settings):
    settings.SITE_URL = "https://votes.example.org"
    tags = parsed(client.get(seed.get_absolute_url())).tags
    assert tags["og:url"] == f"https://votes.example.org{seed.get_absolute_url()}"
    assert tags["og:image"].startswith("https://votes.example.org/votes/")


def test_the_p5_page_carries_share_tags(client, seed):
    page = parsed(client.get(reverse("resolutions:p5")))
    assert page.tags["twitter:card"] == "summary_large_image"
    assert absolute(page.tags["og:image"]) and absolute(page.tags["og:url"])
    assert png(client.get(urlsplit(page.tags["og:image"]).path)).size == (1200, 630)
