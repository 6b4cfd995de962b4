"""One writer for a member vote's seat and name on the day (votes.seating).

An editor's change to a term or a name reaches the votes it covers, and the
outcomes and vetoes follow; the expected values are worked out here from the
dates, not read back from the code under test.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Draft
from tests.factories import recorded_draft
from tests.resolutions.test_pages_data import large_history, seat_elected
from votes.calendar import CouncilCalendar
from votes.choices import Outcome, Position, TermKind
from votes.models import MembershipTerm, MemberState, MemberStateName, MemberVote, PermanentSeat
from votes.reference import load as reference_load
from votes.reference import rows as reference_rows
from votes.seating import place, reseat

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    return large_history(extra=20)


def names_of(code: str) -> dict[date, str]:
    return dict(
        MemberVote.objects.filter(state__code=code).values_list("draft__date", "name_at_vote")
    )


def test_an_editors_change_of_a_names_dates_renames_the_votes_in_range(history):
    ghana = MemberState.objects.get(code="GHA")
    before = names_of("GHA")
    assert len({on.year for on in before}) > 3 and set(before.values()) == {ghana.name}

    old_name = MemberStateName.objects.create(
        state=ghana, name="Gold Coast", end=date(1987, 12, 31)
    )
    assert names_of("GHA") == {
        on: "Gold Coast" if on <= date(1987, 12, 31) else ghana.name for on in before
    }

    old_name.start, old_name.end = date(1988, 1, 1), date(1989, 6, 30)
    old_name.save()
    in_range = {on for on in before if date(1988, 1, 1) <= on <= date(1989, 6, 30)}
    assert in_range and names_of("GHA") == {
        on: "Gold Coast" if on in in_range else ghana.name for on in before
    }

    old_name.delete()
    assert names_of("GHA") == before


def test_renaming_a_state_today_renames_the_votes_no_dated_name_covers(history):
    ghana = MemberState.objects.get(code="GHA")
    ghana.name = "Republic of Ghana"
    ghana.save()
    assert set(names_of("GHA").values()) == {"Republic of Ghana"}


def test_a_renamed_veto_holder_is_renamed_on_its_vetoes_too(history):
    ussr = MemberStateName.objects.get(state__code="SUN", name="USSR")
    ussr.name = "Union of Soviet Socialist Republics"
    ussr.save()
    veto = history["ussr_veto"].vetoes.get()
    assert (veto.seat.code, veto.name_at_vote) == ("RUS", "Union of Soviet Socialist Republics")
    assert set(names_of("SUN").values()) == {"Union of Soviet Socialist Republics"}


def test_a_term_change_moves_the_seat_and_the_vetoes_follow(history):
    term = MembershipTerm.objects.get(state__code="SUN", kind=TermKind.PERMANENT)
    russian_seat = term.seat
    sun_votes = MemberVote.objects.filter(state__code="SUN")
    assert sun_votes.count() > 5 and set(sun_votes.values_list("seat", flat=True)) == {
        russian_seat.pk
    }

    # Entered as an elected term by mistake: the USSR's votes hold no seat, and its
    # "no" on S/17000 is no longer a veto.
    term.kind, term.seat = TermKind.ELECTED, None
    term.save()
    assert set(sun_votes.values_list("seat", flat=True)) == {None}
    vetoed = Draft.objects.get(pk=history["ussr_veto"].pk)
    assert vetoed.outcome == Outcome.ADOPTED and not vetoed.vetoes.exists()

    term.kind, term.seat = TermKind.PERMANENT, russian_seat
    term.save()
    assert set(sun_votes.values_list("seat", flat=True)) == {russian_seat.pk}
    vetoed.refresh_from_db()
    assert vetoed.outcome == Outcome.VETOED
    assert list(vetoed.vetoes.values_list("seat__code", "state__code")) == [("RUS", "SUN")]


def test_a_term_moved_to_another_seat_moves_its_votes(history):
    term = MembershipTerm.objects.get(state__code="SUN", kind=TermKind.PERMANENT)
    other = PermanentSeat.objects.get(code="FRA")
    term.seat = other
    term.save()
    seats = set(MemberVote.objects.filter(state__code="SUN").values_list("seat__code", flat=True))
    assert seats == {"FRA"}
    assert history["ussr_veto"].vetoes.get().seat.code == "FRA"


def test_deleting_a_term_leaves_its_votes_without_a_seat(history):
    term = MembershipTerm.objects.get(state__code="SUN", kind=TermKind.PERMANENT)
    # The USSR's votes would be stranded; the model's clean() refuses that to editors.
    # Deleted all the same (a superuser in the shell), the seat cannot stay.
    term.delete()
    assert set(MemberVote.objects.filter(state__code="SUN").values_list("seat", flat=True)) == {
        None
    }


def test_elected_terms_change_no_vote(history):
    before = list(MemberVote.objects.order_by("pk").values_list("pk", "seat", "name_at_vote"))
    with CaptureQueriesContext(connection) as saved:
        seat_elected(1991, 1991, codes=("GHA",))
        MembershipTerm.objects.filter(state__code="GHA", start=date(1991, 1, 1)).get().delete()
    assert not any("votes_membervote" in q["sql"] for q in saved.captured_queries)
    assert list(MemberVote.objects.order_by("pk").values_list("pk", "seat", "name_at_vote")) == (
        before
    )


def test_place_names_and_seats_a_new_vote_as_on_its_day(history):
    calendar = CouncilCalendar()
    sun = MemberState.objects.get(code="SUN")
    vote = MemberVote(state=sun, position=Position.YES)
    assert place(vote, date(1988, 1, 5), calendar) is True
    assert (vote.seat.code, vote.name_at_vote) == ("RUS", "USSR")
    assert place(vote, date(1988, 1, 5), calendar) is False
    ghana = MemberState.objects.get(code="GHA")
    elected = MemberVote(state=ghana, position=Position.NO)
    place(elected, date(1988, 1, 5), calendar)
    assert (elected.seat_id, elected.name_at_vote) == (None, ghana.name)


def test_reseating_costs_the_same_queries_for_many_votes_as_for_few(history):
    ghana = MemberState.objects.get(code="GHA")

    def rename(name: str) -> tuple[int, set[int]]:
        MemberState.objects.filter(pk=ghana.pk).update(name=name)  # no signal: reseat by hand
        with CaptureQueriesContext(connection) as queries:
            drafts = reseat([ghana.pk])
        return len(queries), drafts

    few, few_drafts = rename("Ghana (few)")
    for i in range(30):
        recorded_draft(date(1986, 2, 1) + timedelta(days=30 * i), draft_symbol=f"S/3{i:04}")
    many, many_drafts = rename("Ghana (many)")
    assert len(many_drafts) == len(few_drafts) + 30
    assert many == few


def test_a_corrected_reference_name_reaches_the_votes_on_reload(history, monkeypatch):
    """load_reference_data writes in bulk (no signals), so it reseats the votes itself."""
    corrected = tuple(
        replace(row, name="Soviet Union") if row.code == "SUN" else row
        for row in reference_rows.state_names()
    )
    monkeypatch.setattr(reference_load, "state_names", lambda: corrected)
    reference_load.load_reference_data()
    assert set(names_of("SUN").values()) == {"Soviet Union"}
    assert history["ussr_veto"].vetoes.get().name_at_vote == "Soviet Union"
