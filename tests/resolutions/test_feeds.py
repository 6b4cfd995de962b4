"""Atom feeds of new votes, new vetoes and each member state, read with feedparser."""

import feedparser
import pytest

from resolutions.models import Draft
from votes.models import MemberState

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_new_votes_feed_lists_the_newest_votes_in_order(client, sample):
    feed = parse(client, "/feeds/votes.atom")
    newest = list(Draft.objects.published().newest_first()[:50])
    assert len(feed.entries) == len(newest)
    for entry, draft in zip(feed.entries, newest, strict=True):
        assert entry.link.endswith(f"/votes/{draft.pk}/")
        assert entry.title.startswith(draft.symbol)
        assert draft.outcome_sentence in entry.summary
    assert "non-commercial use with attribution" in feed.feed.rights


def test_vetoes_feed_lists_only_vetoed_drafts(client, sample):
    feed = parse(client, "/feeds/vetoes.atom")
    vetoed = list(Draft.objects.published().vetoed().newest_first())
    assert [e.link.rsplit("/", 2)[1] for e in feed.entries] == [str(d.pk) for d in vetoed[:50]]
    seed = next(e for e in feed.entries if e.title.startswith("S/2022/431"))
    assert seed.title == "S/2022/431: Vetoed by China, Russian Federation (13–2–0)"


def test_country_feed_says_how_the_state_voted(client, sample):
    ghana = MemberState.objects.get(code="GHA")
    feed = parse(client, "/feeds/countries/ghana.atom")
    voted = Draft.objects.published().filter(member_votes__state=ghana)
    assert len(feed.entries) == min(voted.count(), 50)
    # Each entry says how Ghana voted on that draft, read back from its own vote.
    said = {
        "Y": "Ghana voted yes.",
        "N": "Ghana voted no.",
        "A": "Ghana abstained.",
        "X": "Ghana did not vote.",
    }
    by_url = {
        d.get_absolute_url(): d.member_votes.get(state=ghana).position
        for d in voted.prefetch_related("member_votes")
    }
    for entry in feed.entries:
        path = "/" + entry.link.split("/", 3)[3]
        assert entry.summary.startswith(said[by_url[path]]), entry.summary
    assert feed.feed.title == "How Ghana votes on the Security Council"


def test_unknown_country_feed_is_a_404(client, sample):
    assert client.get("/feeds/countries/atlantis.atom").status_code == 404


def test_unpublished_drafts_stay_out_of_the_feeds(client, sample):
    draft = Draft.objects.published().newest_first().first()
    draft.is_published = False
    draft.save()
    feed = parse(client, "/feeds/votes.atom")
    assert all(not e.link.endswith(f"/votes/{draft.pk}/") for e in feed.entries)
