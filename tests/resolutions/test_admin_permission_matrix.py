"""The README's permissions, every way through the admin (issue 12).

"Editors cannot delete a record that is or ever was published, nor the votes of
one (a superuser can); they can delete drafts that were never published." Each
cell of the matrix is one role, one kind of record and one way to delete a vote:
the DELETE box of the draft form's vote rows, a vote's own delete page, and the
delete action of the votes' list. Meetings are locked and logged like drafts.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from resolutions.models import Draft, Meeting
from tests.resolutions.test_admin_setup import (
    PREFIX,
    change_post,
    change_url,
    enter_seed_vote,
    errors_of,
    make_editor,
)
from votes.models import MemberVote

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db

RECORDS = ["never published", "published", "was published"]
WAYS = ["inline DELETE box", "delete page", "delete action"]


def a_record(kind: str) -> Draft:
    """S/2022/431 entered by an editor: unpublished, published, or published then not."""
    entering = Client()
    entering.force_login(make_editor("entering"))
    draft = enter_seed_vote(entering, is_published=kind != "never published")
    if kind == "was published":
        response = entering.post(change_url(draft), change_post(draft, is_published=False))
        assert response.status_code == 302, errors_of(response)
    return Draft.objects.get(pk=draft.pk)


def logged_in(role: str) -> Client:
    client = Client()
    if role == "superuser":
        client.force_login(get_user_model().objects.create_superuser("root", password="x" * 20))
    else:
        client.force_login(make_editor())
    return client


def delete_one_vote(client: Client, draft: Draft, way: str) -> MemberVote:
    """Try to delete the draft's first vote one way; return the vote tried."""
    vote = draft.member_votes.order_by("pk").first()
    if way == "inline DELETE box":
        post = change_post(draft)
        index = next(n for n in range(len(post)) if post.get(f"{PREFIX}-{n}-id") == str(vote.pk))
        post[f"{PREFIX}-{index}-DELETE"] = "on"
        # The member's vote entered again on a new row, so that the set stays valid
        # when the deletion is honoured: what is tested is the permission alone.
        extra = int(post[f"{PREFIX}-TOTAL_FORMS"])
        for key in ("state", "name_at_vote", "permanent", "position", "non_voting", "note"):
            post[f"{PREFIX}-{extra}-{key}"] = post[f"{PREFIX}-{index}-{key}"]
        post[f"{PREFIX}-TOTAL_FORMS"] = str(extra + 1)
        client.post(change_url(draft), post)
    elif way == "delete page":
        client.post(reverse("admin:votes_membervote_delete", args=[vote.pk]), {"post": "yes"})
    else:
        client.post(
            reverse("admin:votes_membervote_changelist"),
            {"action": "delete_selected", "_selected_action": [vote.pk], "post": "yes"},
        )
    return vote


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("kind", RECORDS)
@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_who_may_delete_the_votes_of_which_record(council_2022, role, kind, way):
    draft = a_record(kind)
    before = draft.member_votes.count()
    assert before == 15
    vote = delete_one_vote(logged_in(role), draft, way)
    allowed = role == "superuser" or kind == "never published"
    assert MemberVote.objects.filter(pk=vote.pk).exists() is not allowed
    # Nothing is lost either way: a refused deletion keeps the vote, and the inline
    # one entered it again.
    assert draft.member_votes.count() == before - (1 if allowed and way != WAYS[0] else 0)


@pytest.mark.parametrize("kind", RECORDS)
def test_the_draft_form_shows_an_editor_a_delete_box_only_where_one_may_delete(
    council_2022, editor_client, kind
):
    draft = a_record(kind)
    page = editor_client.get(change_url(draft)).content.decode()
    boxes = page.count(f'name="{PREFIX}-0-DELETE"')
    assert boxes == (1 if kind == "never published" else 0)


def test_the_inline_delete_of_a_published_record_changes_nothing_else(council_2022, editor_client):
    """A DELETE posted for every vote of a published record: all 15 stay."""
    draft = a_record("published")
    post = change_post(draft)
    for index in range(15):
        post[f"{PREFIX}-{index}-DELETE"] = "on"
    editor_client.post(change_url(draft), post)
    assert draft.member_votes.count() == 15
    assert Draft.objects.get(pk=draft.pk).is_published


# Meetings -------------------------------------------------------------------


def meeting_post(meeting: Meeting, loaded_page, **changes) -> dict:
    form = loaded_page.context["adminform"].form
    data = {
        "symbol": meeting.symbol,
        "number": meeting.number or "",
        "date": meeting.date.isoformat() if meeting.date else "",
        "loaded_history": form["loaded_history"].value() or "",
    }
    return {**data, **changes}


def test_a_second_editor_cannot_save_over_the_first_ones_meeting_change(council_2022):
    draft = a_record("published")
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    alice, bob = Client(), Client()
    alice.force_login(make_editor("alice"))
    bob.force_login(make_editor("bob"))
    alice_page, bob_page = alice.get(url), bob.get(url)

    saved = alice.post(url, meeting_post(meeting, alice_page, date="2022-05-26"))
    assert saved.status_code == 302, errors_of(saved)
    refused = bob.post(url, meeting_post(meeting, bob_page, date="2022-05-27", number="9049"))

    assert refused.status_code == 200
    errors = " ".join(str(e) for e in refused.context["adminform"].form.non_field_errors())
    assert "Another editor saved this record" in errors
    assert "alice" in errors
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.date.isoformat() == "2022-05-26"
    assert stored.number == meeting.number


def test_a_meetings_changes_are_in_its_history(council_2022, editor_client):
    draft = a_record("published")
    meeting = Meeting.objects.get(pk=draft.meeting_id)
    url = reverse("admin:resolutions_meeting_change", args=[meeting.pk])
    page = editor_client.get(url)
    response = editor_client.post(url, meeting_post(meeting, page, number="9049"))
    assert response.status_code == 302, errors_of(response)
    history = editor_client.get(reverse("admin:resolutions_meeting_history", args=[meeting.pk]))
    assert history.status_code == 200
    latest = Meeting.history.filter(id=meeting.pk).order_by("-history_id").first()
    assert latest.number == 9049
    assert latest.history_user.username == "editor"
