"""Who may do what: the Editors group, deleting published records, public pages.

The group is created by a data migration (resolutions 0002); these tests call
the same function, since a transactional test elsewhere may have emptied the
database since the migrations ran.
"""

import os
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from resolutions.management.commands.create_editor import editors_group
from resolutions.models import Draft
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    VOTE_DATE,
    change_post,
    change_url,
    enter_seed_vote,
)
from votes.models import MemberVote, Veto

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = {
    "resolutions.add_draft",
    "resolutions.change_draft",
    "resolutions.delete_draft",
    "resolutions.view_draft",
    "resolutions.add_meeting",
    "resolutions.change_meeting",
    "resolutions.view_meeting",
    "resolutions.view_agendaitem",
    "resolutions.view_subject",
    "resolutions.view_disagreement",
    "resolutions.view_sourceimport",
    "votes.add_membervote",
    "votes.change_membervote",
    "votes.delete_membervote",
    "votes.view_membervote",
    "votes.add_membershipterm",
    "votes.change_membershipterm",
    "votes.view_membershipterm",
    "votes.view_memberstate",
    "votes.view_memberstatename",
    "votes.view_permanentseat",
    "votes.view_veto",
}


def test_the_editors_group_comes_from_a_data_migration():
    migration = MigrationLoader(None).get_migration("resolutions", "0002_editors_group")
    [operation] = migration.operations
    assert operation.code.__name__ == "sync_editors_group"
    assert operation.reversible


def test_the_editors_group_has_exactly_the_permissions_it_needs():
    group = editors_group()
    granted = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    assert granted == EDITOR_PERMISSIONS
    assert not any(p.startswith("auth.") for p in granted)


def test_syncing_the_group_again_removes_a_permission_added_by_hand():
    group = editors_group()
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    assert editors_group().permissions.filter(codename="delete_user").exists() is False


@pytest.mark.parametrize(
    "url",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
    ],
)
def test_an_editor_cannot_manage_users(editor_client, url):
    assert editor_client.get(reverse(url)).status_code == 403


def test_the_admin_index_shows_an_editor_no_user_management(editor_client):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in html
    assert reverse("admin:resolutions_draft_changelist") in html


@pytest.mark.parametrize(
    "url",
    [
        "admin:resolutions_draft_add",
        "admin:resolutions_meeting_add",
        "admin:votes_membervote_add",
        "admin:votes_membershipterm_add",
    ],
)
def test_an_editor_can_add_drafts_votes_meetings_and_terms(editor_client, url):
    assert editor_client.get(reverse(url)).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["admin:resolutions_agendaitem_add", "admin:votes_memberstate_add", "admin:votes_veto_add"],
)
def test_an_editor_only_reads_the_reference_lists(editor_client, url):
    assert editor_client.get(reverse(url)).status_code == 403


def test_an_editor_cannot_delete_a_published_record(editor_client, council_2022):
    draft = enter_seed_vote(editor_client, is_published=True)
    delete = reverse("admin:resolutions_draft_delete", args=[draft.pk])
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_the_delete_action_refuses_published_records_to_an_editor(editor_client, council_2022):
    draft = enter_seed_vote(editor_client, is_published=True)
    changelist = reverse("admin:resolutions_draft_changelist")
    action = {"action": "delete_selected", "_selected_action": [draft.pk]}
    confirmation = editor_client.post(changelist, action)
    assert "your account doesn't have permission to delete" in confirmation.content.decode()
    assert editor_client.post(changelist, {**action, "post": "yes"}).status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_unpublishing_does_not_make_a_record_deletable(editor_client, council_2022):
    draft = enter_seed_vote(editor_client, is_published=True)
    response = editor_client.post(change_url(draft), change_post(draft, is_published=False))
    assert response.status_code == 302
    delete = reverse("admin:resolutions_draft_delete", args=[draft.pk])
    assert editor_client.get(delete).status_code == 403


def test_an_editor_can_delete_a_draft_never_published(editor_client, council_2022):
    draft = enter_seed_vote(editor_client)
    delete = reverse("admin:resolutions_draft_delete", args=[draft.pk])
    response = editor_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert not MemberVote.objects.exists()


def test_a_superuser_can_delete_a_published_vetoed_record(admin_client, council_2022):
    draft = recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    assert Veto.objects.filter(draft=draft).count() == 2
    delete = reverse("admin:resolutions_draft_delete", args=[draft.pk])
    response = admin_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert not Draft.objects.exists()
    assert not Veto.objects.exists()


def test_vetoes_cannot_be_deleted_on_their_own(admin_client, council_2022):
    draft = recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    veto = Veto.objects.filter(draft=draft).first()
    assert admin_client.post(reverse("admin:votes_veto_delete", args=[veto.pk])).status_code == 403
    assert Veto.objects.count() == 2


def test_public_pages_need_no_login(client, council_2022):
    published = recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    unpublished = recorded_draft(VOTE_DATE, draft_symbol="S/2022/999", is_published=False)
    assert client.get("/").status_code == 200
    page = client.get(reverse("resolutions:detail", args=[published.pk]))
    assert page.status_code == 200
    assert "Vetoed by China, Russian Federation" in page.content.decode()
    assert client.get(reverse("resolutions:detail", args=[unpublished.pk])).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302  # only the admin asks


def test_create_editor_makes_a_staff_user_in_the_editors_group(monkeypatch):
    monkeypatch.setitem(os.environ, "DJANGO_EDITOR_PASSWORD", "correct-horse-battery-staple")
    out = StringIO()
    call_command("create_editor", "alice", "--email", "alice@example.org", "--no-input", stdout=out)
    alice = get_user_model().objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert alice.check_password("correct-horse-battery-staple")
    assert list(alice.groups.values_list("name", flat=True)) == ["Editors"]
    assert alice.has_perm("resolutions.add_draft")
    assert not alice.has_perm("auth.view_user")
    assert "Created the editor alice" in out.getvalue()


def test_create_editor_turns_an_existing_user_into_an_editor():
    get_user_model().objects.create_user("bob", password="x")
    call_command("create_editor", "bob", "--no-input", stdout=StringIO())
    bob = get_user_model().objects.get(username="bob")
    assert bob.is_staff and bob.check_password("x")
    assert bob.groups.filter(name="Editors").exists()


def test_create_editor_without_a_password_leaves_it_unusable(monkeypatch):
    monkeypatch.delitem(os.environ, "DJANGO_EDITOR_PASSWORD", raising=False)
    out = StringIO()
    call_command("create_editor", "carol", "--no-input", stdout=out)
    assert not get_user_model().objects.get(username="carol").has_usable_password()
    assert "manage.py changepassword carol" in out.getvalue()
