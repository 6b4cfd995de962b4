"""The editors' admin against the whole official record (loaded once, tests/fullhistory).

The budgets are those of
test_admin_budgets.py, where each query is named, now at the full size; counts
are recounted with direct queries.
"""

import pytest
from django.db.models import Count
from django.urls import reverse

from resolutions.models import Draft
from tests.resolutions.test_admin_budgets import (
    CHANGE_BUDGET,
    FILTERED_BUDGET,
    HISTORY_BUDGET,
    LIST_BUDGET,
    UNPUBLISHED_CHANGE_BUDGET,
)
from tests.resolutions.test_admin_setup import change_post, change_url, errors_of, make_editor
from votes.history import BASELINE_REASON
from votes.models import MemberState, MemberVote

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]
LIST = reverse("admin:resolutions_draft_changelist")


@pytest.fixture
def full_record(history):
    return history


@pytest.fixture
def editor_client(client, full_record, db):
    client.force_login(make_editor())
    return client


def with_votes(members: int, before_1966: bool) -> Draft:
    drafts = Draft.objects.annotate(n=Count("member_votes")).filter(n=members)
    drafts = (
        drafts.filter(date__year__lt=1966) if before_1966 else drafts.filter(date__year__gte=1966)
    )
    return drafts.order_by("-date").first()


def test_the_whole_record_is_loaded(full_record, db):
    assert Draft.objects.count() > 2500
    assert MemberVote.objects.count() > 30000


def test_the_list_keeps_its_budget(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_BUDGET):
        response = editor_client.get(LIST)
    assert response.context["cl"].result_count == Draft.objects.count()
    assert len(response.context["cl"].result_list) == 50


def test_the_filtered_list_keeps_its_budget_and_counts_right(
    editor_client, django_assert_max_num_queries
):
    russia = MemberState.objects.get(code="RUS")
    query = {"outcome__exact": "adopted", "state": russia.pk, "year": "2017"}
    with django_assert_max_num_queries(FILTERED_BUDGET):
        response = editor_client.get(LIST, query)
    expected = Draft.objects.filter(
        outcome="adopted", date__year=2017, member_votes__state=russia
    ).count()
    assert response.context["cl"].result_count == expected > 0


@pytest.mark.parametrize(("members", "before_1966"), [(11, True), (15, False)])
def test_the_change_form_keeps_its_budget(
    editor_client, members, before_1966, django_assert_max_num_queries
):
    draft = with_votes(members, before_1966)
    budget = CHANGE_BUDGET if draft.is_published else UNPUBLISHED_CHANGE_BUDGET
    with django_assert_max_num_queries(budget):
        response = editor_client.get(change_url(draft))
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == members


def test_the_history_page_keeps_its_budget(editor_client, django_assert_max_num_queries):
    draft = with_votes(15, before_1966=False)
    editor_client.post(change_url(draft), change_post(draft, title="Corrected title"))
    with django_assert_max_num_queries(HISTORY_BUDGET):
        response = editor_client.get(reverse("admin:resolutions_draft_history", args=[draft.pk]))
    assert response.status_code == 200


def test_an_imported_vote_changed_and_undone(editor_client):
    draft = with_votes(15, before_1966=False)
    before = (draft.tally_yes, draft.tally_abstain)
    tally, no = str(draft.tally), draft.tally_no
    vote = draft.member_votes.filter(position="Y").select_related("state").order_by("pk").first()
    # The source recorded totals too: the editor corrects them with the vote.
    data = change_post(
        draft,
        {vote.state.code: "A"},
        recorded_yes=draft.recorded_yes - 1,
        recorded_abstain=draft.recorded_abstain + 1,
    )
    response = editor_client.post(change_url(draft), data)
    assert response.status_code == 302, errors_of(response)
    draft.refresh_from_db()
    assert (draft.tally_yes, draft.tally_abstain) == (before[0] - 1, before[1] + 1)

    [entry] = editor_client.get(
        reverse("admin:resolutions_draft_history", args=[draft.pk])
    ).context["vote_changes"]
    assert entry["changes"] == ["Position: Yes → Abstention"]
    baseline = MemberVote.history.get(history_id=int(entry["undo_url"].rstrip("/").split("/")[-1]))
    assert baseline.history_change_reason == BASELINE_REASON
    form = editor_client.get(entry["undo_url"]).context["adminform"].form
    # The draft and the member of a saved vote are shown, not submitted.
    data = {name: form[name].value() or "" for name in ("position", "note")}
    data.update(
        non_voting=form["non_voting"].value() or "", loaded_history=form["loaded_history"].value()
    )
    undone = editor_client.post(entry["undo_url"], data, follow=True)
    warnings = [str(m) for m in undone.context["messages"] if m.level_tag == "warning"]
    # The corrected totals stay until they are reverted too: the editor is told.
    assert warnings == [
        f"The positions add up to {tally} (0 not voting), but the recorded totals are "
        f"{before[0] - 1}–{no}–{before[1] + 1} (0 not voting): correct the positions or the totals."
    ]
    vote.refresh_from_db()
    draft.refresh_from_db()
    assert (vote.position, vote.source) == ("Y", baseline.source)
    assert (draft.tally_yes, draft.tally_abstain) == before


def _failed_without_votes() -> Draft:
    """A draft not adopted whose tally settles no member's vote (no source, nor the
    deduction, gives its member votes)."""
    drafts = (
        Draft.objects.annotate(n=Count("member_votes"))
        .filter(n=0, outcome="not_adopted", date__year__gte=1966, recorded_abstain__gt=0)
        .exclude(draft_symbol="")  # publishable with votes: it has a symbol
        .order_by("-date")
    )
    for draft in drafts:
        if draft.recorded_yes + draft.recorded_no + draft.recorded_abstain == 15:
            return draft
    raise AssertionError("no failed draft without member votes")


def test_an_editor_adds_the_member_votes_an_import_lacked(editor_client):
    # The meetings table gives the totals of such a draft, not its votes.
    draft = _failed_without_votes()
    assert not draft.member_votes.exists()
    from tests.resolutions.test_admin_setup import form_data, vote_rows
    from votes.calendar import CouncilCalendar

    sitting = sorted(CouncilCalendar().sitting(draft.date), key=lambda s: s.seat is not None)
    codes = [s.code for s in sitting]
    no, abstain = draft.recorded_no, draft.recorded_abstain
    positions = dict.fromkeys(codes[:no], "N") | dict.fromkeys(codes[no : no + abstain], "A")
    data = change_post(draft)
    wrong = {**positions, codes[-1]: "A"}
    response = editor_client.post(
        change_url(draft), {**data, **form_data({}, vote_rows(draft.date, wrong))}
    )
    assert f"recorded totals are {draft.recorded_tally}" in " ".join(errors_of(response))

    rows = vote_rows(draft.date, positions)
    response = editor_client.post(change_url(draft), {**data, **form_data({}, rows)})
    assert response.status_code == 302, errors_of(response)
    draft.refresh_from_db()
    assert draft.outcome == "not_adopted" and not draft.vetoes.exists()
    assert draft.outcome_basis == "member_votes"
    assert draft.member_votes.filter(source="editor").count() == 15
