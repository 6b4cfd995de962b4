"""Entering a vote: the date lists the members sitting that day, and the outcome is
shown as it will be published while the editor types, without saving anything."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from resolutions.models import Draft, Meeting
from tests.resolutions.test_admin_setup import (
    ELECTED_1960,
    VOTE_DATE,
    add_url,
    elected_terms,
    new_draft_post,
    vote_rows,
)
from votes.models import MembershipTerm, MemberVote

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
COUNCIL = reverse("admin:resolutions_draft_council")
PREVIEW = reverse("admin:resolutions_draft_preview")
P5_2022 = ["China", "France", "Russian Federation", "United Kingdom", "United States"]


def outcome_html(html: str) -> str:
    """The outcome paragraph of resolutions/_tally.html, whitespace tidied."""
    match = re.search(
        r'<p class="outcome outcome--.*?</p>\s*<p class="outcome-sentence">.*?</p>', html, re.S
    )
    assert match, html
    return " ".join(match.group(0).split())


def test_the_date_lists_the_fifteen_members_permanent_first(editor_client, council_2022):
    answer = editor_client.get(COUNCIL, {"date": "2022-05-26"}).json()
    names = [m["name_at_vote"] for m in answer["members"]]
    assert names[:5] == P5_2022
    sitting = MembershipTerm.objects.on(VOTE_DATE)
    assert sorted(names[5:]) == sorted(
        sitting.filter(kind="elected").values_list("state__name", flat=True)
    )
    assert [m["permanent"] for m in answer["members"]] == ["1"] * 5 + [""] * 10
    assert answer["message"] == "15 members sat on the Council on 26 May 2022."


def test_before_1966_eleven_members_under_their_names_of_the_day(editor_client, council_2022):
    elected_terms(ELECTED_1960)
    answer = editor_client.get(COUNCIL, {"date": "1960-06-01"}).json()
    names = [m["name_at_vote"] for m in answer["members"]]
    assert len(names) == MembershipTerm.objects.on(VOTE_DATE.replace(year=1960)).count() == 11
    assert names[:5] == ["Republic of China", "France", "USSR", "United Kingdom", "United States"]
    assert "Ceylon" in names and "Sri Lanka" not in names


def test_a_date_without_terms_says_so(editor_client, council_2022):
    answer = editor_client.get(COUNCIL, {"date": "1990-06-01"}).json()
    assert answer["members"][5:] == []
    assert (
        answer["message"]
        == "5 members sat on the Council on 1 June 1990; the Charter gives it 15 seats."
    )


@pytest.mark.parametrize("value", ["26/05/2022x", "", "2022-13-01"])
def test_an_unreadable_date_is_a_plain_error(editor_client, council_2022, value):
    response = editor_client.get(COUNCIL, {"date": value})
    assert response.status_code == 400
    assert response.json()["error"] == "Enter the date as YYYY-MM-DD."


def test_a_future_date_lists_nobody(editor_client, council_2022):
    future = timezone.localdate() + timedelta(days=3)
    answer = editor_client.get(COUNCIL, {"date": future.isoformat()}).json()
    assert answer["members"] == []
    assert "is in the future" in answer["error"]


def test_the_add_form_opened_with_a_date_lists_the_members_without_javascript(
    editor_client, council_2022
):
    response = editor_client.get(add_url(), {"date": "2022-05-26"})
    forms = response.context["inline_admin_formsets"][0].formset.forms
    assert [f.member_name for f in forms][:5] == P5_2022
    assert len(forms) == 15
    assert response.context["adminform"].form["date"].value() == "2022-05-26"


def test_the_preview_shows_the_veto_before_saving_and_saves_nothing(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, {"CHN": "N", "RUS": "N"})
    response = editor_client.post(PREVIEW, new_draft_post(rows, is_published=True))
    html = response.content.decode()
    assert "Vetoed by China, Russian Federation" in html
    assert "13–2–0" in html
    assert "Vetoed by China and the Russian Federation." in html
    assert "Ready to save." in html
    assert not Draft.objects.exists()
    assert not MemberVote.objects.exists()
    assert not Meeting.objects.exists()
    assert not Draft.history.exists()


def test_the_preview_is_exactly_what_the_public_page_shows(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, {"CHN": "N", "RUS": "N", "IND": "A"})
    data = new_draft_post(rows, is_published=True)
    preview = editor_client.post(PREVIEW, data).content.decode()
    assert editor_client.post(add_url(), data).status_code == 302
    draft = Draft.objects.get()
    public = Client().get(reverse("resolutions:detail", args=[draft.pk])).content.decode()
    assert outcome_html(preview) == outcome_html(public)
    assert "12–2–1" in outcome_html(public)


@pytest.mark.parametrize(
    ("positions", "label", "sentence"),
    [
        ({}, "Adopted", "Adopted with 15 votes in favour (9 required)."),
        (
            dict.fromkeys(("IND", "IRL", "KEN", "MEX", "NOR", "ALB", "BRA"), "N"),
            "Not adopted",
            "Not adopted: 8 votes in favour, 9 required.",
        ),
        # An abstaining permanent member is not a veto.
        ({"CHN": "A"}, "Adopted", "Adopted with 14 votes in favour (9 required)."),
    ],
)
def test_the_preview_computes_each_outcome(editor_client, council_2022, positions, label, sentence):
    rows = vote_rows(VOTE_DATE, positions)
    html = editor_client.post(PREVIEW, new_draft_post(rows)).content.decode()
    assert f'<strong class="outcome-label">{label}</strong>' in html
    assert sentence in html


def test_the_preview_lists_what_stops_saving(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, {"GHA": ""})
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    html = editor_client.post(PREVIEW, new_draft_post(rows, date=future)).content.decode()
    assert "Not ready to save" in html
    assert "is in the future: enter the day the Council voted." in html
    html = editor_client.post(PREVIEW, new_draft_post(rows)).content.decode()
    assert "Ghana was on the Council on 26 May 2022 but has no vote" in html


def test_the_preview_takes_only_posts_from_editors(editor_client, council_2022):
    assert editor_client.get(PREVIEW).status_code == 405
    anonymous = Client()
    assert anonymous.post(PREVIEW, {}).status_code == 302  # to the login page
    assert anonymous.get(COUNCIL, {"date": "2022-05-26"}).status_code == 302
