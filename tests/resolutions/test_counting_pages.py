"""Every page that counts states the n behind its figures, links to the coverage
table, and words its caveat from the data: a changed record changes the caveat.

Expected numbers are counted from what each test builds.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.utils.html import escape

from resolutions.models import Draft
from resolutions.starter import load_starter_data
from tests.resolutions.test_coverage import build
from tests.resolutions.test_pages_data import seat_elected
from votes import yearly
from votes.calendar import CouncilCalendar
from votes.choices import Modality, Outcome, Source

pytestmark = pytest.mark.django_db

PAGES = ("/p5/", "/vetoes/", "/votes/", "/countries/ghana/", "/countries/china/")
COVERAGE_LINK = 'href="/data/#coverage"'


@pytest.fixture
def older_vetoes():
    """S/2022/431 (with member votes) and two vetoes of the 1980s known by totals only."""
    load_starter_data()
    seat_elected(1986, 1990)
    spec = [
        (date(1986, 4, 1), Outcome.VETOED, Modality.RECORDED_VOTE, "none"),
        (date(1988, 4, 1), Outcome.VETOED, Modality.RECORDED_VOTE, "none"),
        (date(1989, 4, 1), Outcome.ADOPTED, Modality.RECORDED_VOTE, "all:undl"),
    ]
    build(spec, CouncilCalendar())
    return spec


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_each_counting_page_links_to_the_coverage_table(client, older_vetoes, url):
    assert COVERAGE_LINK in page(client, url)


def test_the_p5_caveat_comes_from_the_record(client, older_vetoes):
    # Failed drafts without member votes: the two of the 1980s; the first with them
    # is S/2022/431.
    without = [s for s in older_vetoes if s[1] == Outcome.VETOED]
    html = page(client, "/p5/")
    assert "Before 2022 the member-by-member record is only adopted resolutions;" in html
    assert "from 2022, 1 of the 1 vetoed or failed drafts has member votes." in html
    assert "before 1998" not in html  # the old hand-written caveat
    failed = len(without) + 1  # with S/2022/431
    assert escape(f"Of the {failed} drafts vetoed or not adopted, 1 has member votes") in html
    # The n behind the figures: recorded votes with member votes of all recorded votes.
    recorded = len(older_vetoes) + 1
    with_votes = 2  # S/2022/431 and the 1989 resolution
    assert f"count the {with_votes} of the record&#x27;s {recorded} recorded votes" in html
    assert f"vetoes count all {failed} vetoed drafts, 1 of them with member votes" in html


def test_the_caveat_follows_the_record(client, older_vetoes):
    # Give the 1986 veto its members' votes: the caveat's year moves with the record.
    from votes.models import MemberVote
    from votes.seating import place_votes

    draft = Draft.objects.get(date=date(1986, 4, 1))
    calendar = CouncilCalendar()
    votes = [
        MemberVote(draft=draft, state_id=s.state_id, position="Y", source=Source.VOTING_AGENT)
        for s in calendar.sitting(draft.date)
    ]
    place_votes(votes, calendar)
    MemberVote.objects.bulk_create(votes)
    # The caveat is read from the per-year counts, which every writer of member votes
    # has recounted (refresh_outcomes; here the count alone, as these all-yes votes
    # would decide the stated veto away).
    yearly.recount([draft.pk])
    html = page(client, "/p5/")
    assert "Of the 3 drafts vetoed or not adopted, 2 have member votes" in html
    assert "Before 2022" not in html  # the earliest failed draft now has them


def test_the_vetoes_page_states_its_n_and_the_uncovered_periods(client, older_vetoes):
    # A veto list whose records stop, and another that starts later: a hole between.
    for on, source in ((date(1986, 4, 1), Source.DHL_VETO), (date(2020, 1, 1), Source.DHL_VETO)):
        Draft.objects.filter(date=on).update(
            sources={source: {"version": "v", "location": "", "url": "", "values": {}}}
        )
    Draft.objects.create(
        date=date(2020, 1, 1),
        sources={Source.DHL_VETO: {"version": "v", "location": "", "url": "", "values": {}}},
    )
    Draft.objects.filter(draft_symbol="S/2022/431").update(
        sources={Source.UNXML: {"version": "v", "location": "", "url": "", "values": {}}}
    )
    html = page(client, "/vetoes/")
    assert "The record holds 3 vetoed drafts; 1 of them has member votes" in html
    assert "No loaded source covers vetoed drafts in 2 January 2020 – 25 May 2022" in html


def test_the_list_states_its_count_beside_the_caveat(client, older_vetoes):
    published = Draft.objects.published().count()
    html = page(client, "/votes/")
    assert f"The count above is of the {published} published records that match" in html


def test_a_country_page_states_its_recorded_votes(client, older_vetoes):
    # Ghana sat in 1986-1990 (test terms) and 2022: it has votes on the 1989 resolution
    # and on S/2022/431; the two vetoes of the 1980s have none.
    html = page(client, "/countries/ghana/")
    assert "Counted from 2 recorded votes of Ghana in the member-by-member record." in html
