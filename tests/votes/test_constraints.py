"""The database and the models refuse what the Charter does not allow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.samples import sample_size
from votes.choices import Position, TermKind
from votes.models import MembershipTerm, MemberState, MemberVote

pytestmark = [pytest.mark.django_db, sample_size("small")]


@pytest.fixture
def seed(sample):
    return sample["seed"]


def test_database_itself_rejects_a_second_vote_by_the_same_member(seed):
    ghana = MemberState.objects.get(code="GHA")
    # bulk_create skips model validation: only the database constraint stands.
    with (
        pytest.raises(IntegrityError, match=r"one_vote_per_member_per_draft|UNIQUE"),
        transaction.atomic(),
    ):
        MemberVote.objects.bulk_create(
            [MemberVote(draft=seed, state=ghana, position=Position.NO, name_at_vote="Ghana")]
        )
    assert seed.member_votes.filter(state=ghana).get().position == Position.YES


def test_a_sixteenth_member_on_a_date_is_refused(seed):
    assert MemberState.objects.sitting_on(date(2022, 5, 26)).count() == 15
    estonia = MemberState.objects.get(code="EST")
    term = MembershipTerm(
        state=estonia, start=date(2022, 1, 1), end=date(2022, 12, 31), kind=TermKind.ELECTED
    )
    with pytest.raises(ValidationError, match="16 members would sit"):
        term.full_clean()


def test_a_sixth_permanent_member_is_refused(seed):
    from votes.models import PermanentSeat

    term = MembershipTerm(
        state=MemberState.objects.get(code="IND"),
        start=date(2023, 1, 1),
        kind=TermKind.PERMANENT,
        seat=PermanentSeat.objects.get(code="USA"),
    )
    with pytest.raises(ValidationError, match="6 permanent members"):
        term.full_clean()


def test_a_vote_by_a_state_not_on_the_council_is_refused(seed):
    estonia = MemberState.objects.get(code="EST")
    vote = MemberVote(draft=seed, state=estonia, position=Position.YES, name_at_vote="Estonia")
    with pytest.raises(ValidationError, match="not on the Council on 26 May 2022"):
        vote.full_clean()


def test_overlapping_terms_for_one_state_are_refused(seed):
    ghana = MemberState.objects.get(code="GHA")
    term = MembershipTerm(
        state=ghana, start=date(2023, 6, 1), end=date(2024, 5, 31), kind=TermKind.ELECTED
    )
    with pytest.raises(ValidationError, match="already has a term"):
        term.full_clean()


def test_a_term_ending_before_it_starts_is_refused_by_the_database(seed):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipTerm.objects.bulk_create(
            [
                MembershipTerm(
                    state=MemberState.objects.get(code="EST"),
                    start=date(2020, 1, 1),
                    end=date(2019, 12, 31),
                    kind=TermKind.ELECTED,
                )
            ]
        )


def test_sitting_on_counts_the_russian_seat_under_its_holder_on_the_day(seed):
    before = set(MemberState.objects.sitting_on(date(1991, 12, 23)).values_list("code", flat=True))
    after = set(MemberState.objects.sitting_on(date(1991, 12, 24)).values_list("code", flat=True))
    assert "SUN" in before and "RUS" not in before
    assert "RUS" in after and "SUN" not in after


def test_votes_of_the_russian_seat_include_the_ussrs(seed):
    from resolutions.models import Draft
    from votes.models import PermanentSeat

    older = Draft.objects.create(date=date(1980, 1, 9), is_published=True)
    ussr = MemberState.objects.get(code="SUN")
    MemberVote.objects.create(
        draft=older,
        state=ussr,
        seat=PermanentSeat.objects.get(code="RUS"),
        position=Position.NO,
        name_at_vote="USSR",
    )
    codes = set(MemberVote.objects.of_seat("RUS").values_list("state__code", flat=True))
    assert codes == {"SUN", "RUS"}
    assert not MemberVote.objects.of_seat("CHN").filter(state=ussr).exists()


def test_shortening_a_term_that_would_strand_recorded_votes_is_refused(seed):
    term = MembershipTerm.objects.get(state__code="GHA", start=date(2022, 1, 1))
    term.end = date(2022, 3, 1)  # the seed vote of 26 May 2022 would fall outside
    with pytest.raises(ValidationError, match=r"1 recorded vote.*Ghana.*S/2022/431"):
        term.full_clean()
    term.end = date(2023, 6, 30)  # still covers the vote
    term.full_clean()
