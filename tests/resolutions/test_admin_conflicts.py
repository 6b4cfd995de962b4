"""Two editors, one record: the second to save is told what the first changed and
nothing of theirs is overwritten (optimistic locking on ``Draft.version``, and on
the history for a single vote)."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from resolutions.models import Draft
from tests.resolutions.test_admin_setup import (
    change_post,
    change_url,
    enter_seed_vote,
    errors_of,
    load_council_2022,
    make_editor,
)
from votes.models import MemberVote

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
CONFLICT = (
    "Another editor saved this record while you were editing it, so your changes have "
    "not been saved."
)


@pytest.fixture
def alice(db):
    client = Client()
    client.force_login(make_editor("alice"))
    return client


@pytest.fixture
def bob(db):
    client = Client()
    client.force_login(make_editor("bob"))
    return client


@pytest.fixture
def draft(alice, council_2022):
    return enter_seed_vote(alice, is_published=True)


def test_the_second_editor_is_shown_the_first_editors_vote_change(alice, bob, draft):
    bobs_form = change_post(draft, title="Bob's better title")  # loaded before Alice saves
    saved = alice.post(change_url(draft), change_post(draft, {"BRA": "A"}))
    assert saved.status_code == 302

    response = bob.post(change_url(draft), bobs_form)
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors[0].startswith(CONFLICT)
    assert any(
        re.fullmatch(r"alice on .* changed Brazil: Position Yes → Abstention\.", e) for e in errors
    ), errors
    assert errors[-1].startswith("Reload the page")
    draft.refresh_from_db()
    assert draft.title != "Bob's better title"
    assert MemberVote.objects.get(draft=draft, name_at_vote="Brazil").position == "A"
    assert (draft.tally_yes, draft.tally_abstain) == (12, 1)


def test_the_second_editor_is_shown_the_first_editors_field_change(alice, bob, draft):
    bobs_form = change_post(draft, {"FRA": "A"})
    alice.post(change_url(draft), change_post(draft, title="Sanctions on the DPRK"))

    errors = errors_of(bob.post(change_url(draft), bobs_form))
    assert errors[0].startswith(CONFLICT)
    assert any(
        re.fullmatch(r"alice on .* changed: Title .* → Sanctions on the DPRK\.", e) for e in errors
    ), errors
    assert MemberVote.objects.get(draft=draft, name_at_vote="France").position == "Y"


def test_after_reloading_the_second_editor_can_save(alice, bob, draft):
    alice.post(change_url(draft), change_post(draft, title="Sanctions on the DPRK"))
    response = bob.post(change_url(draft), change_post(draft, {"FRA": "A"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Sanctions on the DPRK"
    assert draft.version == 3


def test_the_conflict_shows_in_the_live_preview_before_saving(alice, bob, draft):
    bobs_form = change_post(draft, title="Bob's")
    alice.post(change_url(draft), change_post(draft, {"BRA": "A"}))
    preview = bob.post(reverse("admin:resolutions_draft_preview", args=[draft.pk]), bobs_form)
    assert CONFLICT in preview.content.decode()


def test_a_vote_changed_on_its_own_page_conflicts_with_an_open_draft_form(alice, bob, draft):
    bobs_form = change_post(draft, title="Bob's")
    brazil = MemberVote.objects.get(draft=draft, name_at_vote="Brazil")
    vote_form = alice.get(reverse("admin:votes_membervote_change", args=[brazil.pk]))
    loaded = vote_form.context["adminform"].form["loaded_history"].value()
    response = alice.post(
        reverse("admin:votes_membervote_change", args=[brazil.pk]),
        {"draft": draft.pk, "state": brazil.state_id, "position": "N", "loaded_history": loaded},
    )
    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).version == draft.version + 1

    errors = errors_of(bob.post(change_url(draft), bobs_form))
    assert errors[0].startswith(CONFLICT)
    assert any(re.fullmatch(r"alice on .* changed Brazil: Position Yes → No\.", e) for e in errors)


def test_a_single_vote_saved_over_a_newer_change_is_refused(alice, bob, draft):
    brazil = MemberVote.objects.get(draft=draft, name_at_vote="Brazil")
    url = reverse("admin:votes_membervote_change", args=[brazil.pk])
    loaded = alice.get(url).context["adminform"].form["loaded_history"].value()
    bob.post(change_url(draft), change_post(draft, {"BRA": "A"}))

    response = alice.post(
        url,
        {"draft": draft.pk, "state": brazil.state_id, "position": "N", "loaded_history": loaded},
    )
    assert response.status_code == 200
    errors = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    assert errors[0].startswith(CONFLICT)
    assert any(re.fullmatch(r"bob on .* changed: Position Yes → Abstention\.", e) for e in errors)
    assert MemberVote.objects.get(pk=brazil.pk).position == "A"


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_overwrite_each_other():
    """Really concurrent saves: the row lock makes the second wait, then see the first."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks (SELECT … FOR UPDATE): run on PostgreSQL, as CI does")
    load_council_2022()
    clients = []
    for name in ("alice", "bob"):
        client = Client()
        client.force_login(make_editor(name))
        clients.append(client)
    draft = enter_seed_vote(clients[0], is_published=True)
    forms = [change_post(draft, {"BRA": "A"}), change_post(draft, {"BRA": "N"})]
    start = threading.Barrier(2)
    statuses = [None, None]

    def save(index):
        try:
            start.wait()
            statuses[index] = clients[index].post(change_url(draft), forms[index]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]  # one saved, one was told of the conflict
    winner = statuses.index(302)
    brazil = MemberVote.objects.get(draft=draft, name_at_vote="Brazil")
    assert brazil.position == ("A", "N")[winner]
    assert Draft.objects.get(pk=draft.pk).version == draft.version + 1


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_vote_at_the_same_moment_never_overwrite_each_other():
    """The same row lock guards a vote on its own page: the second save waits, then
    finds the first one's history row and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks (SELECT … FOR UPDATE): run on PostgreSQL, as CI does")
    load_council_2022()
    clients = []
    for name in ("alice", "bob"):
        client = Client()
        client.force_login(make_editor(name))
        clients.append(client)
    draft = enter_seed_vote(clients[0], is_published=True)
    brazil = MemberVote.objects.get(draft=draft, name_at_vote="Brazil")
    url = reverse("admin:votes_membervote_change", args=[brazil.pk])
    loaded = clients[0].get(url).context["adminform"].form["loaded_history"].value()
    forms = [
        {"position": position, "non_voting": "", "note": "", "loaded_history": loaded}
        for position in ("A", "N")
    ]
    start = threading.Barrier(2)
    statuses = [None, None]

    def save(index):
        try:
            start.wait()
            statuses[index] = clients[index].post(url, forms[index]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 302]  # one saved, one was told of the conflict
    winner = statuses.index(302)
    assert MemberVote.objects.get(pk=brazil.pk).position == ("A", "N")[winner]
    assert Draft.objects.get(pk=draft.pk).version == draft.version + 1
