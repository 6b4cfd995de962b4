"""The editors' worklist: what it lists, in which order, and completing an entry
through the draft's own change form, checked against the official tally."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from resolutions.admin.worklist import held_back_positions
from resolutions.models import Draft, Meeting
from resolutions.outcomes import refresh_outcomes
from tests.resolutions.test_admin_setup import (
    change_post,
    change_url,
    errors_of,
    form_data,
    vote_rows,
)
from votes.calendar import CouncilCalendar
from votes.choices import Outcome, Position, Source
from votes.models import MemberVote
from votes.seating import place_votes

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db

WORKLIST = "/admin/resolutions/worklistentry/"
VETOERS = {"CHN": "N", "RUS": "N"}


def entry(source: str, held_back) -> dict:
    return {
        "version": "2025-11-30",
        "location": "row 9",
        "url": "",
        "values": {},
        "held_back": held_back,
    }


def draft(on, symbol, *, vetoed=True, meeting=None, sources=None, published=True, votes=None):
    """A published draft known by its totals (13-2-0 vetoed, or 4-0-11 failed)."""
    created = Draft.objects.create(
        date=on,
        draft_symbol=symbol,
        meeting=Meeting.objects.create(symbol=meeting) if meeting else None,
        recorded_yes=13 if vetoed else 4,
        recorded_no=2 if vetoed else 0,
        recorded_abstain=0 if vetoed else 11,
        recorded_vetoed_by=["CHN", "RUS"] if vetoed else [],
        sources=sources or {},
        is_published=published,
        source=Source.DHL_VETO,
    )
    if votes:
        calendar = CouncilCalendar()
        rows = [
            MemberVote(draft=created, state_id=s.state_id, position=votes.get(s.code, "Y"))
            for s in calendar.sitting(on)
            if s.code in votes or votes.get("*")
        ]
        place_votes(rows, calendar)
        MemberVote.objects.bulk_create(rows)
    refresh_outcomes([created.pk])
    created.refresh_from_db()
    return created


@pytest.fixture
def listed(council_2022):
    sitting = CouncilCalendar().sitting(date(2022, 6, 10))
    fits = {s.code: VETOERS.get(s.code, "Y") for s in sitting}
    # Shifted by one member, as the compilation's faulty rows are: 12-3-0.
    shifted = {**fits, "GHA": "N"}
    made = {
        "fits": draft(
            date(2022, 6, 10),
            "S/2022/500",
            meeting="S/PV.9100",
            sources={Source.VOTING_AGENT: entry(Source.VOTING_AGENT, fits)},
        ),
        "shifted": draft(
            date(2022, 6, 1),
            "S/2022/480",
            sources={
                Source.VOTING_AGENT: entry(
                    Source.VOTING_AGENT,
                    [{"state": code, "position": p} for code, p in shifted.items()],
                )
            },
        ),
        "old_veto": draft(date(2022, 2, 1), "S/2022/100", meeting="S/PV.8970"),
        # Newest, but not a veto: after the vetoes. Ghana's vote is known, no one else's.
        "failed": draft(date(2022, 9, 1), "S/2022/700", vetoed=False, votes={"GHA": "A"}),
        # Not listed: complete, or unpublished.
        "complete": draft(date(2022, 7, 1), "S/2022/600", votes={"*": "Y", **VETOERS}),
        "unpublished": draft(date(2022, 8, 1), "S/2022/650", published=False),
    }
    assert made["fits"].outcome == Outcome.VETOED
    assert made["failed"].outcome == Outcome.NOT_ADOPTED
    return made


def rows_of(html: str) -> list[str]:
    symbols = ("S/2022/500", "S/2022/480", "S/2022/100", "S/2022/700", "S/2022/600", "S/2022/650")
    return sorted((s for s in symbols if f">{s}</a>" in html), key=html.index)


def test_the_worklist_lists_vetoes_first_then_the_newest(editor_client, listed):
    response = editor_client.get(WORKLIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_of(html) == ["S/2022/500", "S/2022/480", "S/2022/100", "S/2022/700"]
    assert Draft.objects.incomplete_votes().count() == 4


def test_each_entry_links_its_meeting_record_and_its_change_form(editor_client, listed):
    html = editor_client.get(WORKLIST).content.decode()
    assert 'href="https://undocs.org/S/PV.9100"' in html
    assert 'href="https://undocs.org/S/PV.8970"' in html
    assert f'href="{change_url(listed["fits"])}?worklist=1"' in html
    assert "14 of 15" in html  # the failed draft: only Ghana's vote is known


def test_held_back_votes_show_as_a_checked_suggestion(editor_client, listed):
    html = editor_client.get(WORKLIST).content.decode()
    assert "13 yes, 2 no from the Voting-Agent compilation" in html
    assert "fits the official tally" in html
    assert "12 yes, 3 no from the Voting-Agent compilation" in html
    assert "does not fit the tally" in html


def test_the_admin_index_offers_the_worklist_to_editors(editor_client, listed):
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert WORKLIST in html


def test_staff_without_the_editors_rights_cannot_see_it(client, listed):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("visitor", password="x" * 20, is_staff=True)
    client.force_login(user)
    assert client.get(WORKLIST).status_code == 403


def test_opening_an_entry_fills_who_sat_with_the_suggestion(editor_client, listed):
    target = listed["fits"]
    response = editor_client.get(change_url(target) + "?worklist=1")
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    initial = {row["code"]: row["position"] for row in formset.initial_extra}
    sitting = CouncilCalendar().sitting(target.date)
    assert initial == {s.code: VETOERS.get(s.code, "Y") for s in sitting}
    said = [str(m) for m in response.context["messages"]]
    assert any("they fit the official tally" in m for m in said), said


def test_an_entry_opened_for_a_partial_record_fills_only_the_missing(editor_client, listed):
    target = listed["failed"]
    response = editor_client.get(change_url(target) + "?worklist=1")
    formset = response.context["inline_admin_formsets"][0].formset
    codes = {row["code"] for row in formset.initial_extra}
    sitting = {s.code for s in CouncilCalendar().sitting(target.date)}
    assert codes == sitting - {"GHA"}
    # No source suggests anything here: the rows start blank.
    assert {row["position"] for row in formset.initial_extra} == {""}


def test_saving_the_suggestion_completes_the_record(editor_client, listed):
    target = listed["fits"]
    post = change_post(target)
    rows = [{**row, "draft": target.pk} for row in vote_rows(target.date, VETOERS)]
    data = {**post, **form_data({}, rows)}
    response = editor_client.post(change_url(target), data)
    assert response.status_code == 302, errors_of(response)
    target.refresh_from_db()
    assert target.member_votes.count() == 15
    assert set(target.member_votes.values_list("source", flat=True)) == {Source.EDITOR}
    assert target.outcome == Outcome.VETOED
    assert not Draft.objects.incomplete_votes().filter(pk=target.pk).exists()


def test_a_suggestion_that_does_not_fit_the_tally_is_refused(editor_client, listed):
    target = listed["shifted"]
    post = change_post(target)
    rows = [{**row, "draft": target.pk} for row in vote_rows(target.date, {**VETOERS, "GHA": "N"})]
    response = editor_client.post(change_url(target), {**post, **form_data({}, rows)})
    assert response.status_code == 200
    errors = " ".join(errors_of(response))
    # The vote rules' own words: the official tally stands against the shifted row.
    assert "add up to 12–3–0" in errors and "recorded totals are 13–2–0" in errors, errors
    assert not MemberVote.objects.filter(draft=target).exists()


@pytest.mark.parametrize(
    "held",
    [
        {"GHA": "Y", "CHN": "no"},
        [{"state": "GHA", "position": "Y"}, {"code": "CHN", "position": "N"}],
        [["GHA", "yes"], ["CHN", "N"]],
    ],
)
def test_held_back_votes_are_read_in_any_shape(held):
    assert held_back_positions(held) == {"GHA": Position.YES, "CHN": Position.NO}


@pytest.mark.parametrize("held", [None, "Y", 3, [1, 2, 3], {"GHA": "maybe"}, [{"state": ""}]])
def test_anything_else_held_back_is_ignored(held):
    assert held_back_positions(held) == {}


def test_the_worklist_keeps_its_budget_whatever_its_length(editor_client, listed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as run:
            assert editor_client.get(WORKLIST).status_code == 200
        return len(run)

    few = queries()
    sitting = CouncilCalendar().sitting(date(2022, 6, 10))
    fits = {s.code: VETOERS.get(s.code, "Y") for s in sitting}
    for day in range(1, 11):
        draft(
            date(2022, 10, day),
            f"S/2022/{800 + day}",
            meeting=f"S/PV.{9200 + day}",
            sources={Source.VOTING_AGENT: entry(Source.VOTING_AGENT, fits)},
        )
    # Session and user, the count and the page, its prefetches, the Council: no
    # query per row.
    assert queries() == few
