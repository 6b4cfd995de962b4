"""The home page shows the latest vote, within a fixed query budget."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import recorded_draft
from tests.samples import sample_size

pytestmark = pytest.mark.django_db


@sample_size("small")
def test_home_shows_the_seed_case_vetoed_by_china_and_russia(client, sample):
    response = client.get(reverse("resolutions:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "S/2022/431" in html
    assert "13–2–0" in html
    assert "Vetoed by China, Russian Federation" in html
    assert "Vetoed by China and the Russian Federation" in html
    assert "Thursday 26 May 2022" in html


@sample_size("empty")
def test_home_with_no_votes_says_so(client, sample):
    response = client.get(reverse("resolutions:home"))
    assert response.status_code == 200
    assert "No votes have been recorded yet" in response.content.decode()


@sample_size("small")
def test_unpublished_drafts_are_not_shown(client, sample):
    recorded_draft(date(2022, 6, 1), draft_symbol="S/2022/999", is_published=False)
    html = client.get(reverse("resolutions:home")).content.decode()
    assert "S/2022/999" not in html
    assert "S/2022/431" in html
