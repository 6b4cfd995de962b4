"""Margin, near-miss, decisive members and isolation: stored by refresh_outcomes, shown
on the vote page, filtered on the list, counted on the country page."""

import re
from datetime import date

import pytest
from django.urls import reverse

from resolutions.models import Draft, Standing
from resolutions.outcomes import refresh_outcomes
from tests.factories import recorded_draft
from tests.samples import sample_size
from votes.choices import Position, Source

pytestmark = [pytest.mark.django_db, sample_size("small")]
N, A, Y = Position.NO, Position.ABSTAIN, Position.YES
DAY = date(2022, 7, 1)
ELECTED = ["ALB", "BRA", "GAB", "GHA", "IND", "IRL", "KEN", "MEX", "NOR", "ARE"]


@pytest.fixture
def votes(sample):
    """The seed (13-2-0, China and Russia vetoing) and four votes of the 2022 Council."""
    return {
        "seed": sample["seed"],
        # 9-0-6: China, Russia and four elected members abstain.
        "nine": recorded_draft(DAY, {"CHN": A, "RUS": A, **dict.fromkeys(ELECTED[:4], A)}),
        # 5-4-6 like S/2023/772: France, the UK, the US and Albania against.
        "five": recorded_draft(
            DAY, {"FRA": N, "GBR": N, "USA": N, "ALB": N, **dict.fromkeys(ELECTED[1:7], A)}
        ),
        # 8-0-7, no permanent member against: one vote short.
        "eight": recorded_draft(DAY, {"CHN": A, "RUS": A, **dict.fromkeys(ELECTED[:5], A)}),
        # 14-0-1: Ghana alone.
        "alone": recorded_draft(DAY, {"GHA": A}),
    }


def stored(draft, kind) -> set[str]:
    return set(
        Standing.objects.filter(draft=draft, kind=kind).values_list("state__code", flat=True)
    )


def test_refresh_outcomes_stores_each_case(votes):
    seed, nine, five, eight, alone = (votes[k] for k in ("seed", "nine", "five", "eight", "alone"))
    assert (seed.margin, seed.near_miss) == (13 - 9, False)
    assert stored(seed, Standing.Kind.DECISIVE) == {"CHN", "RUS"}
    assert stored(nine, Standing.Kind.DECISIVE) == {"FRA", "GBR", "USA", *ELECTED[4:]}
    assert nine.margin == 0
    assert (five.margin, five.near_miss, stored(five, Standing.Kind.DECISIVE)) == (-4, False, set())
    assert (eight.margin, eight.near_miss) == (-1, True)
    assert stored(alone, Standing.Kind.ISOLATED) == {"GHA"}
    assert not stored(seed, Standing.Kind.ISOLATED)


def test_standings_follow_a_changed_vote(votes):
    alone = votes["alone"]
    vote = alone.member_votes.get(state__code="GHA")
    vote.position = Y
    vote.save()
    refresh_outcomes([alone.pk])
    assert not stored(alone, Standing.Kind.ISOLATED)
    assert refresh_outcomes() == 0  # a second run finds nothing to change


def page(client, draft) -> str:
    return client.get(reverse("resolutions:detail", args=[draft.pk])).content.decode()


def test_vote_pages_say_where_the_vote_stood(client, votes):
    seed = page(client, votes["seed"])
    assert re.search(r'<dd id="margin">\+4 ', seed)
    decisive = re.search(r'<dd id="decisive">(.*?)</dd>', seed).group(1)
    assert ">China<" in decisive and ">Russian Federation<" in decisive and "Ghana" not in decisive
    assert 'id="near-miss">No<' in seed
    eight = page(client, votes["eight"])
    assert re.search(r'<dd id="margin">−1 ', eight) and 'id="near-miss">Yes' in eight
    alone = page(client, votes["alone"])
    assert re.search(r'<dd id="isolated"><a href="/countries/ghana/">Ghana</a> stood alone', alone)
    assert "(14–1)" in alone


def listed(client, query) -> set[int]:
    html = client.get(reverse("resolutions:list") + query).content.decode()
    return {int(pk) for pk in re.findall(r'href="/votes/(\d+)/"', html)}


def test_list_filters(client, votes):
    assert listed(client, "?near_miss=yes") == {votes["eight"].pk}
    assert listed(client, "?decisive=china") == {votes["seed"].pk}
    assert listed(client, "?decisive=ghana") == set()
    assert votes["nine"].pk in listed(client, "?decisive=norway")
    assert listed(client, "?isolated=ghana") == {votes["alone"].pk}
    assert listed(client, "?isolated=RUS") == set()
    html = client.get(reverse("resolutions:list") + "?isolated=ghana").content.decode()
    assert "Ghana stood alone" in html


def test_country_page_counts_them(client, votes):
    html = client.get(reverse("resolutions:country", args=["ghana"])).content.decode()

    def count(name):
        return int(re.search(rf'id="count-{name}"[^>]*>(\d+) ', html).group(1))

    assert count("isolated") == 1
    assert count("near-miss") == 1
    assert count("decisive") == 0
    norway = client.get(reverse("resolutions:country", args=["norway"])).content.decode()
    assert re.search(r'id="count-decisive"[^>]*>1 vote<', norway)


def test_a_veto_known_from_its_totals_names_its_vetoers(client, votes):
    draft = Draft.objects.create(
        date=DAY,
        is_published=True,
        source=Source.SEED,
        recorded_yes=13,
        recorded_no=2,
        recorded_abstain=0,
        recorded_vetoed_by=["CHN", "RUS"],
    )
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    assert (draft.outcome, draft.margin) == ("vetoed", 4)
    assert stored(draft, Standing.Kind.DECISIVE) == {"CHN", "RUS"}
    html = page(client, draft)
    assert re.search(r'<dd id="decisive">China, Russian Federation <span', html)
    assert draft.pk in listed(client, "?decisive=russian-federation")
