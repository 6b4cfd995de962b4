"""The home page shows the latest vote, within a fixed query budget."""

from datetime import date

import pytest
from django.urls import reverse

from resolutions.starter import load_starter_data
from tests.factories import recorded_draft

pytestmark = pytest.mark.django_db


def test_home_shows_the_seed_case_vetoed_by_china_and_russia(client):
    load_starter_data()
    response = client.get(reverse("resolutions:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "S/2022/431" in html
    assert "13–2–0" in html
    assert "Vetoed by China, Russian Federation" in html
    assert "Vetoed by China and the Russian Federation" in html
    assert "Thursday 26 May 2022" in html


def test_home_with_no_votes_says_so(client):
    response = client.get(reverse("resolutions:home"))
    assert response.status_code == 200
    assert "No votes have been recorded yet" in response.content.decode()


def test_unpublished_drafts_are_not_shown(client):
    load_starter_data()
    recorded_draft(date(2022, 6, 1), draft_symbol="S/2022/999", is_published=False)
    html = client.get(reverse("resolutions:home")).content.decode()
    assert "S/2022/999" not in html
    assert "S/2022/431" in html
