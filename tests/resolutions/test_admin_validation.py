"""Each validation rule of the draft form, in the plain words the editor reads.

Every rule is shown failing (nothing saved, the message shown) and, where it
has a way out, passing (the record saved).
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from resolutions.models import Draft
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    VOTE_DATE,
    add_url,
    change_post,
    change_url,
    enter_seed_vote,
    errors_of,
    new_draft_post,
    vote_rows,
)
from votes.choices import NonVoting, Position
from votes.models import MemberState, MemberVote

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
SEED = {"CHN": "N", "RUS": "N"}


def refused(client, data, url=None) -> list[str]:
    response = client.post(url or add_url(), data)
    assert response.status_code == 200, "the form was saved but should not have been"
    return errors_of(response)


def test_a_state_not_on_the_council_that_day_is_refused(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, SEED)
    japan = MemberState.objects.get(code="JPN")
    rows[-1] = {**rows[-1], "state": japan.pk, "name_at_vote": "Japan"}
    errors = refused(editor_client, new_draft_post(rows))
    assert "Japan was not on the Council on 26 May 2022." in errors
    assert not Draft.objects.exists()


def test_saved_votes_that_no_longer_fit_a_changed_date_are_refused(editor_client, council_2022):
    draft = enter_seed_vote(editor_client)
    # On 26 May 2020 Albania, Brazil, Gabon, Ghana and the UAE were not yet members.
    errors = refused(editor_client, change_post(draft, date="2020-05-26"), change_url(draft))
    assert any("Albania was not on the Council on 26 May 2020." in e for e in errors)
    assert Draft.objects.get().date == VOTE_DATE


def test_a_sitting_member_missing_is_refused(editor_client, council_2022):
    rows = [row for row in vote_rows(VOTE_DATE, SEED) if row["name_at_vote"] != "Ghana"]
    errors = refused(editor_client, new_draft_post(rows))
    assert (
        "Ghana was on the Council on 26 May 2022 but has no vote: give its position, "
        "or mark it “Not present”." in errors
    )


def test_a_row_left_without_a_position_counts_as_missing(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, {**SEED, "GHA": "", "KEN": ""})
    errors = refused(editor_client, new_draft_post(rows))
    assert any(e.startswith("Ghana and Kenya were on the Council") for e in errors)


def test_a_member_marked_not_present_needs_no_position(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, {**SEED, "GHA": ""})
    ghana = next(row for row in rows if row["name_at_vote"] == "Ghana")
    ghana["non_voting"] = NonVoting.NOT_PRESENT
    response = editor_client.post(add_url(), new_draft_post(rows))
    assert response.status_code == 302, errors_of(response)
    vote = MemberVote.objects.get(name_at_vote="Ghana")
    assert (vote.position, vote.non_voting) == (Position.NON_VOTING, NonVoting.NOT_PRESENT)
    draft = Draft.objects.get()
    assert (draft.tally_yes, draft.tally_no, draft.tally_abstain) == (12, 2, 0)
    assert draft.tally_non_voting == 1


def test_a_member_that_voted_cannot_also_be_not_present(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, SEED)
    rows[6]["non_voting"] = NonVoting.NOT_PRESENT
    errors = refused(editor_client, new_draft_post(rows))
    assert f"{rows[6]['name_at_vote']} voted yes, so it cannot also be “not present”." in errors


def test_the_same_member_twice_is_refused(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, SEED)
    rows.append(dict(rows[0]))
    errors = refused(editor_client, new_draft_post(rows))
    assert "China is listed 2 times: keep one row per member." in errors


def test_positions_that_do_not_add_up_to_the_recorded_totals_are_refused(
    editor_client, council_2022
):
    rows = vote_rows(VOTE_DATE, SEED)
    data = new_draft_post(rows, recorded_yes=12, recorded_no=2, recorded_abstain=1)
    errors = refused(editor_client, data)
    assert (
        "The positions add up to 13–2–0 (0 not voting), but the recorded totals are "
        "12–2–1 (0 not voting): correct the positions or the totals." in errors
    )


def test_positions_that_match_the_recorded_totals_are_saved(editor_client, council_2022):
    draft = enter_seed_vote(
        editor_client, recorded_yes=13, recorded_no=2, recorded_abstain=0, recorded_members=15
    )
    assert str(draft.recorded_tally) == str(draft.tally) == "13–2–0"


def test_recorded_totals_are_all_three_or_none(editor_client, council_2022):
    errors = refused(editor_client, new_draft_post(vote_rows(VOTE_DATE, SEED), recorded_yes=13))
    assert "Enter all three recorded totals (yes, no, abstentions) or none." in errors


def test_a_resolution_number_already_used_is_refused(editor_client, council_2022):
    recorded_draft(date(2022, 3, 25), resolution_number=2627, resolution_year=2022)
    rows = vote_rows(VOTE_DATE)
    errors = refused(
        editor_client, new_draft_post(rows, draft_symbol="S/2022/500", resolution_number=2627)
    )
    assert "Resolution 2627 is already recorded: S/RES/2627 (2022), voted on 25 March 2022." in (
        errors
    )
    assert Draft.objects.count() == 1


def test_a_new_resolution_number_takes_the_year_of_the_vote(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE)
    data = new_draft_post(rows, draft_symbol="S/2022/500", resolution_number=2628)
    assert editor_client.post(add_url(), data).status_code == 302
    assert Draft.objects.get().resolution_symbol == "S/RES/2628 (2022)"


def test_a_vetoed_draft_cannot_carry_a_resolution_number(editor_client, council_2022):
    rows = vote_rows(VOTE_DATE, SEED)
    errors = refused(editor_client, new_draft_post(rows, resolution_number=2700))
    assert (
        "Only an adopted draft becomes resolution 2700, but the votes give “Vetoed by "
        "China, Russian Federation”: remove the resolution number or correct the votes." in errors
    )


def test_a_date_in_the_future_is_refused(editor_client, council_2022):
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors = refused(editor_client, new_draft_post(vote_rows(VOTE_DATE), date=tomorrow))
    day = f"{tomorrow.day} {tomorrow:%B %Y}"
    assert f"{day} is in the future: enter the day the Council voted." in errors


def test_a_date_before_the_council_first_met_is_refused(editor_client, council_2022):
    errors = refused(editor_client, new_draft_post([], date="1945-12-31"))
    assert "The Security Council first met on 17 January 1946." in errors


def test_publishing_needs_a_computable_outcome_and_a_symbol(editor_client, council_2022):
    errors = refused(editor_client, new_draft_post([], draft_symbol="", is_published=True))
    assert (
        "To publish this record, add the draft symbol or the resolution number and every "
        "member's position (or the recorded totals). To keep working on it, untick “Published”."
    ) in errors
    # Unpublished, the same incomplete record is kept as work in progress.
    response = editor_client.post(add_url(), new_draft_post([], draft_symbol=""))
    assert response.status_code == 302
    assert Draft.objects.get().is_published is False


def test_a_meeting_record_must_look_like_one(editor_client, council_2022):
    errors = refused(editor_client, new_draft_post(vote_rows(VOTE_DATE), meeting_symbol="9048"))
    assert "A meeting record looks like S/PV.9048." in errors


def test_an_imported_gap_does_not_block_an_unrelated_correction(editor_client, council_2022):
    # A source listed 14 of the 15 members; correcting the title must not require
    # settling that first. Changing a vote does.
    draft = recorded_draft(VOTE_DATE, SEED, draft_symbol="S/2022/431", source="undl")
    MemberVote.objects.filter(draft=draft, name_at_vote="Ghana").delete()
    response = editor_client.post(change_url(draft), change_post(draft, title="Corrected"))
    assert response.status_code == 302, errors_of(response)
    assert Draft.objects.get().title == "Corrected"
    errors = refused(editor_client, change_post(draft, {"KEN": "A"}), change_url(draft))
    assert any(e.startswith("Ghana was on the Council") for e in errors)
