"""A vote on its own admin page cannot break a published record or move to another draft."""

import pytest
from django.urls import reverse

from resolutions.models import Draft
from tests.resolutions.test_admin_setup import (
    add_url,
    enter_seed_vote,
    errors_of,
    new_draft_post,
    vote_rows,
)
from votes.choices import Outcome

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db


@pytest.fixture
def published(editor_client, council_2022):
    draft = enter_seed_vote(editor_client, is_published="on")
    assert draft.is_published and draft.outcome == Outcome.VETOED
    return draft


def vote_url(draft, code, action="change"):
    vote = draft.member_votes.get(state__code=code)
    return reverse(f"admin:votes_membervote_{action}", args=[vote.pk])


def test_an_editor_cannot_delete_a_vote_of_a_published_record(editor_client, published):
    assert (
        editor_client.post(vote_url(published, "CHN", "delete"), {"post": "yes"}).status_code == 403
    )
    assert published.member_votes.count() == 15


def test_a_superuser_can(admin_client, published):
    response = admin_client.post(vote_url(published, "CHN", "delete"), {"post": "yes"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.member_votes.count() == 14
    assert published.outcome == Outcome.VETOED  # recomputed: the Russian veto remains


def test_a_saved_vote_cannot_be_moved_to_another_draft_or_member(editor_client, published):
    page = editor_client.get(vote_url(published, "GHA"))
    form = page.context["adminform"].form
    assert "draft" not in form.fields and "state" not in form.fields


def test_a_single_vote_change_that_breaks_a_published_record_is_refused(editor_client, published):
    published.recorded_yes, published.recorded_no, published.recorded_abstain = 13, 2, 0
    published.recorded_non_voting = 0
    published.save()
    page = editor_client.get(vote_url(published, "GHA"))
    loaded = page.context["adminform"].form["loaded_history"].value()
    response = editor_client.post(
        vote_url(published, "GHA"),
        {"position": "A", "non_voting": "", "note": "", "loaded_history": loaded},
    )
    assert response.status_code == 200
    assert any("recorded" in e.lower() for e in errors_of(response)), errors_of(response)
    assert published.member_votes.get(state__code="GHA").position == "Y"


def test_a_draft_symbol_already_recorded_is_refused_with_a_pointer(editor_client, published):
    response = editor_client.post(add_url(), new_draft_post(vote_rows(published.date)))
    assert response.status_code == 200
    assert any(
        "S/2022/431 is already recorded" in e and f"#{published.pk}" in e
        for e in errors_of(response)
    ), errors_of(response)
    assert Draft.objects.filter(draft_symbol="S/2022/431").count() == 1


def test_a_note_can_change_on_a_vote_the_source_left_inconsistent(editor_client, published):
    # Totals that disagree with the positions, as some sources record them: a
    # note does not change the votes, so it is saved.
    published.recorded_yes, published.recorded_no, published.recorded_abstain = 14, 1, 0
    published.recorded_non_voting = 0
    published.save()
    page = editor_client.get(vote_url(published, "GHA"))
    form = page.context["adminform"].form
    response = editor_client.post(
        vote_url(published, "GHA"),
        {
            "position": "Y",
            "non_voting": "",
            "note": "Statement after the vote",
            "loaded_history": form["loaded_history"].value(),
        },
    )
    assert response.status_code == 302, errors_of(response)
    assert published.member_votes.get(state__code="GHA").note == "Statement after the vote"


def test_a_version_of_a_vote_on_another_draft_is_not_restored(editor_client, published):
    from datetime import timedelta

    from tests.factories import recorded_draft
    from votes.models import MemberVote

    other = recorded_draft(published.date - timedelta(days=1), draft_symbol="S/2022/400")
    ghana = published.member_votes.get(state__code="GHA")
    old = MemberVote.history.filter(id=ghana.pk).order_by("history_id").last()
    assert old.draft_id == published.pk
    # Moved elsewhere without the admin (as a vote could be before draft and member
    # became read-only): its last version still names the first draft.
    other.member_votes.filter(state__code="GHA").delete()
    MemberVote.objects.filter(pk=ghana.pk).update(draft=other)
    url = reverse("admin:votes_membervote_simple_history", args=[ghana.pk, old.history_id])
    form = editor_client.get(url).context["adminform"].form
    response = editor_client.post(
        url,
        {
            "position": form["position"].value(),
            "non_voting": form["non_voting"].value() or "",
            "note": form["note"].value() or "",
            "loaded_history": form["loaded_history"].value(),
        },
    )
    assert response.status_code == 200
    errors = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    assert any("belongs to another draft" in e for e in errors), errors
    assert MemberVote.objects.get(pk=ghana.pk).draft_id == other.pk
