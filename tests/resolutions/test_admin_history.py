"""The audit trail: who changed what, the imported state kept as a baseline so the
first change can be undone, the source's value beside the editor's, and the
outcome recomputed on every save."""

import re

import pytest
from django.urls import reverse

from resolutions.models import Draft, Subject
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    VOTE_DATE,
    change_post,
    change_url,
    enter_seed_vote,
    errors_of,
)
from votes.history import BASELINE_REASON
from votes.models import MemberVote, Veto

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
UNDL = {"version": "2026-02-06", "values": {"title": "As the Library has it"}}


@pytest.fixture
def imported(council_2022):
    """S/2022/431 as an import leaves it: sources kept, and no history at all."""
    draft = recorded_draft(
        VOTE_DATE,
        {"CHN": "N", "RUS": "N"},
        draft_symbol="S/2022/431",
        title="As the Library has it",
        source="undl",
        sources={"undl": UNDL},
        field_sources={"title": "undl", "draft_symbol": "undl", "date": "undl"},
    )
    MemberVote.objects.filter(draft=draft).update(source="undl")
    Draft.history.all().delete()
    MemberVote.history.all().delete()
    return draft


def vote(draft, name):
    return MemberVote.objects.get(draft=draft, name_at_vote=name)


def test_the_first_edit_of_an_imported_record_keeps_its_imported_state(editor_client, imported):
    response = editor_client.post(change_url(imported), change_post(imported, {"BRA": "A"}))
    assert response.status_code == 302, errors_of(response)

    draft_history = list(Draft.history.filter(id=imported.pk).order_by("history_id"))
    assert [r.history_change_reason for r in draft_history] == [BASELINE_REASON, None]
    assert draft_history[0].history_user is None
    assert draft_history[1].history_user.username == "editor"
    brazil = vote(imported, "Brazil")
    baseline, change = MemberVote.history.filter(id=brazil.pk).order_by("history_id")
    assert (baseline.position, baseline.source, baseline.history_change_reason) == (
        "Y",
        "undl",
        BASELINE_REASON,
    )
    assert (change.position, change.source, change.history_user.username) == (
        "A",
        "editor",
        "editor",
    )
    # Only the changed vote becomes the editor's; the others stay the source's.
    assert MemberVote.objects.filter(draft=imported, source="editor").count() == 1
    assert MemberVote.history.filter(draft_id=imported.pk).count() == 15 + 1


def test_each_version_in_the_history_carries_its_own_outcome(editor_client, imported):
    editor_client.post(change_url(imported), change_post(imported, {"BRA": "A"}))
    editor_client.post(change_url(imported), change_post(imported, {"RUS": "A"}))
    tallies = [
        (r.tally_yes, r.tally_no, r.tally_abstain, r.outcome)
        for r in Draft.history.filter(id=imported.pk).order_by("history_id")
    ]
    assert tallies == [(13, 2, 0, "vetoed"), (12, 2, 1, "vetoed"), (12, 1, 2, "vetoed")]


def test_saving_recomputes_the_outcome_and_the_vetoes(editor_client, imported):
    response = editor_client.post(change_url(imported), change_post(imported, {"RUS": "A"}))
    imported.refresh_from_db()
    assert imported.outcome_label == "Vetoed by China"
    assert list(Veto.objects.filter(draft=imported).values_list("name_at_vote", flat=True)) == [
        "China"
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "S/2022/431 now reads: Vetoed by China (13–1–1)." in messages


def test_the_history_page_shows_the_vote_change_and_undoes_it(editor_client, imported):
    editor_client.post(change_url(imported), change_post(imported, {"BRA": "A"}))
    history = editor_client.get(reverse("admin:resolutions_draft_history", args=[imported.pk]))
    html = history.content.decode()
    [entry] = history.context["vote_changes"]
    assert entry["name"] == "Brazil"
    assert entry["changes"] == ["Position: Yes → Abstention"]
    assert "Undo: back to Yes" in html

    form = editor_client.get(entry["undo_url"])
    assert form.status_code == 200
    fields = form.context["adminform"].form
    reverted = editor_client.post(
        entry["undo_url"],
        {
            # Draft and member are read-only on a saved vote: it cannot be moved.
            "position": fields["position"].value(),
            "non_voting": fields["non_voting"].value() or "",
            "note": fields["note"].value() or "",
            "loaded_history": fields["loaded_history"].value(),
        },
    )
    assert reverted.status_code == 302
    assert reverted["Location"] == reverse("admin:resolutions_draft_history", args=[imported.pk])
    brazil = vote(imported, "Brazil")
    # Back to the source's value, and to the source: a re-import may update it again.
    assert (brazil.position, brazil.source) == ("Y", "undl")
    imported.refresh_from_db()
    assert str(imported.tally) == "13–2–0"
    last = MemberVote.history.filter(id=brazil.pk).order_by("history_id").last()
    assert last.history_change_reason == "Reverted to an earlier version"


def test_the_vote_table_shows_the_sources_value_beside_the_editors(editor_client, imported):
    editor_client.post(change_url(imported), change_post(imported, {"BRA": "A"}))
    page = editor_client.get(change_url(imported))
    notes = {
        form.instance.name_at_vote: form.source_note
        for form in page.context["inline_admin_formsets"][0].formset.forms
    }
    assert notes["Brazil"] == "Editor; UN Library voting data said Yes"
    assert notes["Ghana"] == "UN Library voting data"


def test_an_edited_field_is_marked_as_the_editors_and_shows_the_sources_value(
    editor_client, imported
):
    editor_client.post(change_url(imported), change_post(imported, title="Sanctions on the DPRK"))
    imported.refresh_from_db()
    assert imported.field_sources == {"title": "editor", "draft_symbol": "undl", "date": "undl"}
    assert imported.sources == {"undl": UNDL}
    help_text = (
        editor_client.get(change_url(imported)).context["adminform"].form.fields["title"].help_text
    )
    assert help_text == (
        "Changed by an editor; imports keep this value. "
        "The source said UN Library voting data (2026-02-06): “As the Library has it”."
    )


def test_reverting_a_field_keeps_what_is_not_in_the_history(editor_client, imported):
    editor_client.post(change_url(imported), change_post(imported, title="Sanctions on the DPRK"))
    baseline = Draft.history.filter(id=imported.pk).order_by("history_id").first()
    url = reverse("admin:resolutions_draft_simple_history", args=[imported.pk, baseline.pk])
    form = editor_client.get(url).context["adminform"].form
    data = change_post(imported, title=form["title"].value())
    data["loaded_version"] = form["loaded_version"].value()
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and errors_of(response)
    imported.refresh_from_db()
    assert imported.title == "As the Library has it"
    # Sources are not kept in the history; reverting must not wipe them.
    assert imported.sources == {"undl": UNDL}
    assert Draft.history.filter(id=imported.pk).first().history_change_reason == (
        "Reverted to an earlier version"
    )


def test_the_history_shows_who_changed_which_field(editor_client, council_2022):
    draft = enter_seed_vote(editor_client)
    editor_client.post(change_url(draft), change_post(draft, title="Sanctions on the DPRK"))
    html = editor_client.get(
        reverse("admin:resolutions_draft_history", args=[draft.pk])
    ).content.decode()
    assert re.search(
        r"<strong>Title:</strong> <del>.*</del> → <ins>Sanctions on the DPRK</ins>", html
    )
    assert "<strong>Version:</strong>" not in html
    assert "15 members" in html  # the votes entered with the draft, on one line


def test_the_history_shows_a_change_of_subjects_by_name(editor_client, council_2022):
    sanctions = Subject.objects.create(name="Sanctions")
    draft = enter_seed_vote(editor_client)
    editor_client.post(change_url(draft), change_post(draft, subjects=[sanctions.pk]))
    assert list(Draft.objects.get(pk=draft.pk).subjects.all()) == [sanctions]
    html = editor_client.get(
        reverse("admin:resolutions_draft_history", args=[draft.pk])
    ).content.decode()
    assert "<strong>Subjects:</strong> <del>—</del> → <ins>Sanctions</ins>" in html


def test_an_editors_first_change_does_not_seem_to_add_the_imported_subjects(
    editor_client, imported
):
    sanctions = Subject.objects.create(name="Sanctions")
    imported.subjects.add(sanctions)
    Draft.history.all().delete()  # as an import leaves it: no history at all
    editor_client.post(
        change_url(imported),
        change_post(imported, title="Corrected title", subjects=[sanctions.pk]),
    )
    assert list(imported.subjects.all()) == [sanctions]
    html = editor_client.get(
        reverse("admin:resolutions_draft_history", args=[imported.pk])
    ).content.decode()
    assert "<ins>Corrected title</ins>" in html
    assert "<strong>Subjects:</strong>" not in html
