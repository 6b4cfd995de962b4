"""Sample histories for the public pages' tests, at two sizes.

``small_history()`` is the starter data alone (S/2022/431). ``large_history()``
adds a Council for 1986–1990 (with the USSR in the Russian seat) and for 2022,
and votes of every kind: adopted, vetoed by one or two seats (the USSR among
them), not adopted despite a permanent "no", adopted without a vote, absences,
and an unpublished draft that must never show. Query budgets are checked at
both sizes, so an N+1 cannot hide.

The tests in this module check the builders themselves.
"""

from datetime import date, timedelta

import pytest

from resolutions.models import AgendaItem, Draft, Subject
from resolutions.outcomes import refresh_outcomes
from resolutions.starter import load_starter_data
from tests import factories
from tests.samples import sample_size
from votes.calendar import CouncilCalendar
from votes.choices import Modality, Outcome, Position, Source, TermKind
from votes.models import MembershipTerm, MemberState, MemberVote, Veto

TEN = ("ALB", "BRA", "GAB", "GHA", "ARE", "IND", "IRL", "KEN", "MEX", "NOR")
Y, N, A, X = Position.YES, Position.NO, Position.ABSTAIN, Position.NON_VOTING


def seat_elected(first_year: int, last_year: int, codes=TEN) -> None:
    """Elected terms for `codes` over whole years (test data: no two-year rule)."""
    for state in MemberState.objects.filter(code__in=codes):
        MembershipTerm.objects.get_or_create(
            state=state,
            start=date(first_year, 1, 1),
            defaults={
                "end": date(last_year, 12, 31),
                "kind": TermKind.ELECTED,
                "source": Source.SEED,
            },
        )


def small_history() -> Draft:
    return load_starter_data()


def large_history(extra: int = 40) -> dict:
    """The starter vote plus `extra` votes of every kind; returns named drafts."""
    seed = load_starter_data()
    seat_elected(1986, 1990)
    # One calendar for every draft and one outcome refresh at the end: building
    # them one by one spent most of this function's time on those two.
    calendar = CouncilCalendar()
    built: list[Draft] = []

    def recorded_draft(on, positions=None, **fields) -> Draft:  # the factory's, batched
        draft = factories.recorded_draft(on, positions, calendar=calendar, refresh=False, **fields)
        built.append(draft)
        return draft

    sanctions = AgendaItem.objects.create(name="Sanctions against apartheid")
    middle_east = AgendaItem.objects.create(name="The situation in the Middle East")
    subject = Subject.objects.create(name="Human rights")
    named = {"seed": seed}
    named["ussr_veto"] = recorded_draft(
        date(1986, 3, 1), {"SUN": N}, draft_symbol="S/17000", agenda_item=middle_east
    )
    named["us_uk_veto"] = recorded_draft(
        date(1987, 4, 9),
        {"USA": N, "GBR": N, "FRA": A},
        draft_symbol="S/18785",
        agenda_item=sanctions,
    )
    named["failed"] = recorded_draft(
        date(1988, 5, 2),
        {"USA": N, "GHA": A, "IND": A, "IRL": A, "KEN": A, "MEX": A, "NOR": A, "ALB": A},
        draft_symbol="S/19868",
        agenda_item=middle_east,
    )
    named["absent"] = recorded_draft(
        date(1989, 6, 3),
        {"CHN": X, "GHA": N},
        resolution_number=640,
        resolution_year=1989,
        agenda_item=sanctions,
    )
    named["absent"].subjects.add(subject)
    named["without_vote"] = recorded_draft(
        date(1990, 1, 5),
        resolution_number=650,
        resolution_year=1990,
        modality=Modality.WITHOUT_VOTE,
    )
    named["unpublished"] = recorded_draft(
        date(1990, 2, 6), {"FRA": N}, draft_symbol="S/21111", is_published=False
    )
    kinds = [{}, {"GHA": N}, {"CHN": A, "RUS": A}, {"GBR": N}, {"USA": A, "GHA": A}]
    for i in range(extra):
        on = date(1986, 1, 10) + timedelta(days=40 * i)
        if on.year > 1990:
            on = date(2022, 1, 10) + timedelta(days=3 * (i % 40))
            if on == date(2022, 5, 26):
                on += timedelta(days=1)
        positions = dict(kinds[i % len(kinds)])
        if "RUS" in positions and on.year < 1992:
            positions["SUN"] = positions.pop("RUS")
        recorded_draft(
            on,
            positions,
            resolution_number=1000 + i if not any(p == N for p in positions.values()) else None,
            resolution_year=on.year if not any(p == N for p in positions.values()) else None,
            draft_symbol=f"S/{on.year}/{500 + i}" if on.year > 1993 else f"S/{20000 + i}",
            agenda_item=(sanctions, middle_east)[i % 2],
        )
    refresh_outcomes([draft.pk for draft in built])
    for draft in named.values():
        draft.refresh_from_db()
    return named


# Checks of the builders (each built once by tests/samples.py) -------------------------

pytestmark = pytest.mark.django_db


@sample_size(0)
def test_large_history_has_a_full_council_in_1988_with_the_ussr(sample):
    draft = Draft.objects.get(draft_symbol="S/19868")
    assert draft.member_votes.count() == 15
    assert draft.member_votes.filter(state__code="SUN", name_at_vote="USSR").exists()


@sample_size(0)
def test_large_history_stores_the_engines_outcomes(sample):
    named = sample
    assert named["ussr_veto"].outcome == Outcome.VETOED
    assert list(
        Veto.objects.filter(draft=named["ussr_veto"]).values_list("state__code", flat=True)
    ) == ["SUN"]
    assert named["us_uk_veto"].vetoing_names() == ["United Kingdom", "United States"]
    # 7 yes of 15, with a US "no": not adopted, and not a veto.
    assert named["failed"].outcome == Outcome.NOT_ADOPTED
    assert not Veto.objects.filter(draft=named["failed"]).exists()
    assert named["absent"].outcome == Outcome.ADOPTED
    assert named["without_vote"].outcome == Outcome.ADOPTED
    assert MemberVote.objects.filter(draft=named["unpublished"]).count() == 15


@sample_size("large")
def test_extra_drafts_are_all_decided(sample):
    assert not Draft.objects.filter(outcome=Outcome.UNKNOWN).exists()
    assert Draft.objects.count() == 1 + 6 + 40
