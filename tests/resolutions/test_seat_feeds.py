"""An Atom feed per permanent seat: /feeds/seats/<CHN|FRA|RUS|GBR|USA>.atom."""

import feedparser
import pytest

from resolutions.models import Draft
from votes.models import MemberVote

pytestmark = pytest.mark.django_db

SEATS = ("CHN", "FRA", "RUS", "GBR", "USA")
SAID = {"Y": "voted yes.", "N": "voted no.", "A": "abstained.", "X": "did not vote."}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("code", SEATS)
def test_a_seat_feed_lists_the_newest_votes_of_the_seat_saying_how_it_voted(client, sample, code):
    feed = parse(client, f"/feeds/seats/{code}.atom")
    # Recounted from the member votes: the published drafts with a vote from this seat.
    votes = {
        v.draft_id: v for v in MemberVote.objects.filter(seat__code=code, draft__is_published=True)
    }
    newest = [d for d in Draft.objects.published().newest_first() if d.pk in votes][:50]
    assert newest, code
    assert [e.link.rsplit("/", 2)[1] for e in feed.entries] == [str(d.pk) for d in newest]
    for entry, draft in zip(feed.entries, newest, strict=True):
        vote = votes[draft.pk]
        assert entry.summary.startswith(f"{vote.name_at_vote} {SAID[vote.position]}"), entry
    assert feed.feed.link.endswith("/")


def test_the_russian_seat_includes_the_ussrs_votes(client, sample):
    ussr = MemberVote.objects.filter(
        seat__code="RUS", state__code="SUN", draft__is_published=True
    ).values_list("draft_id", flat=True)
    if not ussr:
        pytest.skip("this sample has no vote of the USSR")
    feed = parse(client, "/feeds/seats/RUS.atom")
    listed = {int(e.link.rsplit("/", 2)[1]) for e in feed.entries}
    newest = set(
        Draft.objects.published()
        .filter(member_votes__seat__code="RUS")
        .newest_first()
        .values_list("pk", flat=True)[:50]
    )
    assert listed == newest
    assert "USSR" in feed.feed.subtitle


def test_unpublished_drafts_stay_out_of_a_seat_feed(client, sample):
    draft = Draft.objects.published().filter(member_votes__seat__code="USA").newest_first().first()
    draft.is_published = False
    draft.save()
    feed = parse(client, "/feeds/seats/USA.atom")
    assert all(not e.link.endswith(f"/votes/{draft.pk}/") for e in feed.entries)


@pytest.mark.parametrize("code", ["GHA", "chn", "SUN", "XXX", "US"])
def test_any_other_code_is_a_404(client, sample, code):
    assert client.get(f"/feeds/seats/{code}.atom").status_code == 404


def test_the_p5_page_links_each_seats_feed(client, sample):
    page = client.get("/p5/").content.decode()
    for code in SEATS:
        assert 'type="application/atom+xml" title="Votes of' in page
        assert f'href="/feeds/seats/{code}.atom"' in page
