"""Sharing on the whole official record: the sitemap, share cards, embeds, seat feeds."""

import io
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse
from PIL import Image

from resolutions.models import Draft
from resolutions.views.p5 import CHARTS
from votes.models import MemberVote

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_the_sitemap_lists_every_published_vote(client, history, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # as in test_share_budget.py
        response = client.get("/sitemap.xml")
    index = ET.fromstring(response.content)  # noqa: S314 (our own page)
    paths = set()
    for loc in index.findall("s:sitemap/s:loc", NS):
        part = urlsplit(loc.text)
        with django_assert_max_num_queries(3):  # a page of votes costs the same at any size
            page = client.get(part.path + (f"?{part.query}" if part.query else ""))
        root = ET.fromstring(page.content)  # noqa: S314 (our own page)
        paths |= {urlsplit(u.text).path for u in root.findall("s:url/s:loc", NS)}
    published = set(Draft.objects.filter(is_published=True).values_list("pk", flat=True))
    assert len(published) > 2000
    votes = {p for p in paths if p.startswith("/votes/") and p != "/votes/"}
    assert votes == {f"/votes/{pk}/" for pk in published}


@pytest.mark.parametrize("symbol", ["S/2022/431", "S/2023/772"])
def test_real_votes_have_cards_and_embeds(client, history, symbol):
    draft = Draft.objects.published().get(draft_symbol=symbol)
    card = client.get(reverse("resolutions:vote_card", args=[draft.pk]))
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)
    embed = client.get(reverse("resolutions:vote_embed", args=[draft.pk]))
    assert embed.status_code == 200 and symbol.encode() in embed.content
    assert "X-Frame-Options" not in embed


@pytest.mark.parametrize("chart", CHARTS)
def test_every_chart_has_a_card_on_the_full_record(client, history, chart):
    card = client.get(reverse("resolutions:chart_card", args=[chart]))
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)


def test_the_russian_seats_feed_names_the_ussr_on_its_votes(client, history):
    feed = feedparser.parse(client.get("/feeds/seats/RUS.atom").content)
    newest = list(
        Draft.objects.published().filter(member_votes__seat__code="RUS").newest_first()[:50]
    )
    assert [e.link.rsplit("/", 2)[1] for e in feed.entries] == [str(d.pk) for d in newest]
    # The seat's history, which the feed follows, includes the USSR's votes to 1991.
    before = MemberVote.objects.filter(seat__code="RUS", draft__date__lt=date(1991, 12, 24))
    assert before.exists()
    assert not before.exclude(state__code="SUN").exists()
