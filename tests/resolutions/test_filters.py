"""DraftFilter, the one FilterSet: published only, well ordered, reusable with a fixed state."""

import pytest
from django.db.models import Q

from resolutions.filters import DraftFilter, symbol_query
from resolutions.models import Draft
from tests.samples import sample_size
from votes.choices import Position
from votes.models import MemberState, MemberVote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("S/2022/431", Q(draft_symbol__iexact="S/2022/431")),
        (" s/2022/431 ", Q(draft_symbol__iexact="s/2022/431")),
        ("S/9696", Q(draft_symbol__iexact="S/9696")),
        ("2627", Q(resolution_number=2627)),
        ("resolution 2627", Q(resolution_number=2627)),
        ("S/RES/2627 (2022)", Q(resolution_number=2627, resolution_year=2022)),
        ("S/RES/2627(2022)", Q(resolution_number=2627, resolution_year=2022)),
        ("S/RES/2627", Q(resolution_number=2627)),
        ("S/PV.9048", Q(meeting__symbol__iexact="S/PV.9048")),
        ("SC/14911", Q(press_release__iexact="SC/14911")),
        ("sanctions on Korea", None),
        ("", None),
    ],
)
def test_symbol_query_reads_every_kind_of_symbol(text, expected):
    assert symbol_query(text) == expected


@sample_size(10)
def test_qs_is_published_and_newest_first_even_from_a_given_queryset(sample):
    named = sample
    filtered = DraftFilter({}, queryset=Draft.objects.all()).qs
    assert named["unpublished"] not in filtered
    assert list(filtered) == list(Draft.objects.published().newest_first())
    unbound = DraftFilter().qs
    assert unbound.count() == Draft.objects.published().count()


@sample_size(10)
def test_a_fixed_state_restricts_to_its_votes_and_reads_position_as_its_own(sample):
    ghana = MemberState.objects.get(code="GHA")
    filterset = DraftFilter({"position": Position.NO}, state=ghana)
    assert "country" not in filterset.form.fields
    expected = MemberVote.objects.filter(
        state=ghana, position=Position.NO, draft__is_published=True
    ).values_list("draft_id", flat=True)
    assert sorted(d.pk for d in filterset.qs) == sorted(expected)
    assert {d.state_position for d in filterset.qs} == {Position.NO}
    all_votes = DraftFilter({}, state=ghana).qs
    assert (
        all_votes.count()
        == MemberVote.objects.filter(state=ghana, draft__is_published=True).count()
    )


@sample_size(0)
def test_description_puts_the_filters_in_words(sample):
    filterset = DraftFilter(
        {"country": "ghana", "position": "N", "year_from": "2011", "year_to": "2022"}
    )
    assert filterset.is_valid()
    filterset.qs  # noqa: B018 - runs the filters, as a view would
    assert filterset.description() == "Ghana voted no, 2011–2022"


def test_position_without_a_member_is_an_error_not_a_guess():
    filterset = DraftFilter({"position": "N"})
    assert not filterset.is_valid()
    assert "Choose a member state" in str(filterset.errors)
