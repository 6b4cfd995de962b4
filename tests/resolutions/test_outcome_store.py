"""Stored outcomes always equal what the engine computes, and disagreements show."""

import pytest

from resolutions.models import Draft
from resolutions.outcomes import decision_for, refresh_outcomes
from resolutions.starter import load_starter_data
from votes.choices import Outcome, Position
from votes.models import MemberVote, Veto
from votes.outcome import Ballot, decide

pytestmark = pytest.mark.django_db


def test_seed_case_is_stored_as_vetoed_by_china_and_russia():
    draft = load_starter_data()
    draft.refresh_from_db()
    assert (draft.tally_yes, draft.tally_no, draft.tally_abstain) == (13, 2, 0)
    assert draft.outcome == Outcome.VETOED
    assert sorted(Veto.objects.filter(draft=draft).values_list("seat__code", flat=True)) == [
        "CHN",
        "RUS",
    ]
    assert draft.outcome_sentence == "Vetoed by China and the Russian Federation"


def test_changing_a_vote_and_refreshing_follows_the_engine():
    draft = load_starter_data()
    MemberVote.objects.filter(draft=draft, state__code="CHN").update(position=Position.ABSTAIN)
    assert refresh_outcomes([draft.pk]) == 1
    draft.refresh_from_db()
    assert draft.outcome == Outcome.VETOED
    assert list(draft.vetoes.values_list("seat__code", flat=True)) == ["RUS"]
    MemberVote.objects.filter(draft=draft, state__code="RUS").update(position=Position.ABSTAIN)
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    assert draft.outcome == Outcome.ADOPTED
    assert not draft.vetoes.exists()


def test_refresh_is_idempotent():
    draft = load_starter_data()
    assert refresh_outcomes([draft.pk]) == 0


def test_a_source_stating_another_outcome_is_flagged_naming_both():
    draft = load_starter_data()
    draft.sources = {"dhl_meetings": {"values": {"outcome": "not_adopted"}}}
    draft.save()
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    assert draft.outcome == Outcome.VETOED  # the votes decide, the statement is kept
    assert draft.outcome_disputed
    assert draft.outcome_disagreements == [
        {
            "source": "dhl_meetings",
            "stated": "not_adopted",
            "stated_vetoed_by": [],
            "computed": "vetoed",
            "computed_vetoed_by": ["CHN", "RUS"],
        }
    ]


def test_every_stored_outcome_equals_a_fresh_decision():
    load_starter_data()
    for draft in Draft.objects.prefetch_related("member_votes__seat", "vetoes__seat"):
        ballots = [
            Ballot(v.position, v.seat.code if v.seat else None) for v in draft.member_votes.all()
        ]
        result = decide(decision_for(draft, ballots))
        assert draft.outcome == result.outcome
        assert tuple(sorted(v.seat.code for v in draft.vetoes.all())) == tuple(
            sorted(result.vetoed_by)
        )
