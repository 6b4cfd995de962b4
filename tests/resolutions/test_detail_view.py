"""The vote page: symbols, record, tally, member votes by position, outcome, provenance."""

import re
from datetime import date
from itertools import pairwise

import pytest
from django.urls import reverse

from resolutions.models import AgendaItem, Disagreement, Draft
from resolutions.views.detail import _neighbour
from tests.samples import sample_size
from votes.choices import Source

pytestmark = pytest.mark.django_db


def page(client, draft) -> str:
    response = client.get(reverse("resolutions:detail", args=[draft.pk]))
    assert response.status_code == 200
    return response.content.decode()


@sample_size("small")
def test_seed_case_shows_its_documents_tally_and_both_vetoes(client, sample):
    draft = sample["seed"]
    html = page(client, draft)
    for symbol in ("S/2022/431", "S/PV.9048", "SC/14911"):
        assert f'href="https://undocs.org/en/{symbol}"' in html
    assert "13–2–0" in html
    assert "Vetoed by China and the Russian Federation." in html
    assert "Thursday 26 May 2022" in html
    assert "Non-proliferation – Democratic People" in html
    assert "Recorded vote" in html


@sample_size("small")
def test_member_votes_are_grouped_by_position_with_the_permanent_members_marked(client, sample):
    draft = sample["seed"]
    html = page(client, draft)
    yes = html[html.index('id="group-Y"') : html.index('id="group-N"')]
    no = html[html.index('id="group-N"') :]
    assert 'Yes <span class="count">(13)</span>' in yes
    assert 'No <span class="count">(2)</span>' in no
    assert "Ghana" in yes and "Ghana" not in no[: no.index("</section>")]
    no_group = no[: no.index("</section>")]
    assert "China" in no_group and "Russian Federation" in no_group
    assert no_group.count('title="permanent member">P5') == 2
    assert yes.count('title="permanent member">P5') == 3
    assert 'href="/countries/ghana/"' in yes


@sample_size(0)
def test_a_member_is_shown_under_its_name_on_the_day(client, sample):
    named = sample
    html = page(client, named["ussr_veto"])
    assert "USSR" in html
    assert 'href="/countries/ussr/"' in html
    assert "Vetoed by the USSR" in html


@sample_size(0)
def test_not_adopted_states_votes_in_favour_and_required(client, sample):
    named = sample
    html = page(client, named["failed"])
    assert "Not adopted: 7 votes in favour, 9 required." in html


@sample_size(0)
def test_adopted_without_a_vote_is_not_shown_as_a_recorded_tally(client, sample):
    named = sample
    html = page(client, named["without_vote"])
    assert "Adopted without a vote" in html
    assert "15–0–0" not in html
    assert 'id="group-Y"' not in html


@sample_size("small")
def test_provenance_and_disagreements_between_sources(client, sample):
    draft = sample["seed"]
    draft.sources = {
        "dhl_veto": {
            "version": "2024-01-10",
            "location": "table row 3",
            "url": "https://example.org/veto",
            "values": {"outcome": "vetoed", "vetoed_by": ["CHN", "RUS"]},
            "flags": [],
        }
    }
    draft.field_sources = {"date": "dhl_veto"}
    draft.save()
    Disagreement.objects.create(
        draft=draft,
        kind=Disagreement.Kind.TALLY,
        field="tally",
        values={"dhl_meetings": "13-0-2", "dhl_veto": "13-2-0"},
        detail="The meetings table writes the tally in another order.",
        detected_by=Source.DHL_MEETINGS,
    )
    html = page(client, draft)
    assert "Dag Hammarskjöld Library, Veto List</strong>, version 2024-01-10" in html
    assert "outcome: vetoed by China, Russian Federation" in html  # names on the day
    assert "Sources disagree on this record" in html
    assert "Dag Hammarskjöld Library, meetings tables gives 13-0-2" in html


@sample_size(0)
def test_previous_and_next_vote_on_the_same_agenda_item(client, sample):
    named = sample
    html = page(client, named["failed"])  # Middle East, 1988
    assert f'href="{named["ussr_veto"].get_absolute_url()}"' in html
    assert re.search(r'rel="next"', html) is None
    html = page(client, named["ussr_veto"])
    assert f'rel="next" href="{named["failed"].get_absolute_url()}"' in html
    assert "No earlier vote" in html


def test_votes_of_one_day_on_one_item_follow_each_other_by_id():
    """The neighbours' keyset (date, id), with the date's bound the index needs."""
    item = AgendaItem.objects.create(name="The question of the test")
    days = [
        date(1990, 1, 1),
        date(1990, 1, 2),
        date(1990, 1, 2),
        date(1990, 1, 2),
        date(1990, 2, 1),
    ]
    votes = [Draft.objects.create(date=d, agenda_item=item, is_published=True) for d in days]
    Draft.objects.create(date=date(1990, 1, 2), agenda_item=item, is_published=False)
    Draft.objects.create(date=date(1990, 1, 2), is_published=True)  # another item
    for earlier, later in pairwise(votes):
        assert _neighbour(later, before=True) == earlier
        assert _neighbour(earlier, before=False) == later
    assert _neighbour(votes[0], before=True) is None
    assert _neighbour(votes[-1], before=False) is None


@sample_size(0)
def test_unpublished_drafts_have_no_page(client, sample):
    named = sample
    response = client.get(reverse("resolutions:detail", args=[named["unpublished"].pk]))
    assert response.status_code == 404
