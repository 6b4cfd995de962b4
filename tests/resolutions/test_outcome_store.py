"""Stored outcomes always equal what the engine computes, and disagreements show."""

import pytest

from resolutions.models import Disagreement, Draft
from resolutions.outcomes import decision_for, refresh_outcomes
from resolutions.pipeline.writes import write_disagreements
from tests.samples import sample_size
from votes.calendar import CouncilCalendar
from votes.choices import Outcome, Position
from votes.models import MemberVote, Veto
from votes.outcome import Ballot, decide

pytestmark = pytest.mark.django_db


@sample_size("small")
def test_seed_case_is_stored_as_vetoed_by_china_and_russia(sample):
    draft = sample["seed"]
    draft.refresh_from_db()
    assert (draft.tally_yes, draft.tally_no, draft.tally_abstain) == (13, 2, 0)
    assert draft.outcome == Outcome.VETOED
    assert sorted(Veto.objects.filter(draft=draft).values_list("seat__code", flat=True)) == [
        "CHN",
        "RUS",
    ]
    assert draft.outcome_sentence == "Vetoed by China and the Russian Federation"


@sample_size("small")
def test_changing_a_vote_and_refreshing_follows_the_engine(sample):
    draft = sample["seed"]
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


@sample_size("small")
def test_refresh_is_idempotent(sample):
    draft = sample["seed"]
    assert refresh_outcomes([draft.pk]) == 0


@sample_size("small")
def test_a_source_stating_another_outcome_is_flagged_naming_both(sample):
    draft = sample["seed"]
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


@sample_size("small")
def test_every_stored_outcome_equals_a_fresh_decision(sample):
    for draft in Draft.objects.prefetch_related("member_votes__seat", "vetoes__seat"):
        ballots = [
            Ballot(v.position, v.seat.code if v.seat else None) for v in draft.member_votes.all()
        ]
        result = decide(decision_for(draft, ballots))
        assert draft.outcome == result.outcome
        assert tuple(sorted(v.seat.code for v in draft.vetoes.all())) == tuple(
            sorted(result.vetoed_by)
        )


def _flags(draft):
    return list(
        Disagreement.objects.filter(draft=draft, field=Disagreement.TOTALS_VS_VOTES).values_list(
            "detected_by", "values"
        )
    )


@sample_size("small")
def test_member_votes_that_do_not_add_up_to_the_totals_are_flagged_naming_both(sample):
    draft = sample["seed"]
    # As the Library's S/RES/1966 (2010): totals that count a member whose row is missing.
    [ghana] = [s for s in CouncilCalendar().sitting(draft.date) if s.code == "GHA"]
    MemberVote.objects.filter(draft=draft, state_id=ghana.state_id).delete()
    draft.recorded_yes, draft.recorded_no, draft.recorded_abstain = 13, 2, 0
    draft.field_sources = {**draft.field_sources, "recorded_yes": "undl"}
    draft.save()
    refresh_outcomes([draft.pk])
    counted = "12–2–0 (14 listed)"
    assert _flags(draft) == [("undl", {"undl": "13–2–0", "counting the member votes": counted})]
    assert refresh_outcomes([draft.pk]) == 0  # the same flag: nothing written

    # Another source's import recomputes its own disagreements, never this flag.
    nothing_found = {draft.pk: []}
    write_disagreements("dhl_meetings", nothing_found)
    write_disagreements("undl", nothing_found)
    assert len(_flags(draft)) == 1

    # The missing vote entered: the votes add up and the flag goes.
    MemberVote.objects.create(
        draft=draft,
        state_id=ghana.state_id,
        seat_id=ghana.seat_id,
        name_at_vote=ghana.name,
        position=Position.YES,
    )
    refresh_outcomes([draft.pk])
    assert _flags(draft) == []


@sample_size("small")
def test_no_flag_without_totals_to_compare(sample):
    draft = sample["seed"]
    MemberVote.objects.filter(draft=draft).first().delete()
    draft.recorded_yes = draft.recorded_no = draft.recorded_abstain = None
    draft.save()
    refresh_outcomes([draft.pk])
    assert _flags(draft) == []


@sample_size("small")
def test_refresh_outcomes_command_recomputes_what_an_older_engine_stored(sample):
    from io import StringIO

    from django.core.management import call_command

    draft = sample["seed"]
    # As an older engine left it: a tally and outcome that the votes do not give.
    Draft.objects.filter(pk=draft.pk).update(tally_yes=12, outcome=Outcome.ADOPTED)
    Veto.objects.filter(draft=draft).delete()
    out = StringIO()
    call_command("refresh_outcomes", "--dry-run", stdout=out)
    assert "1 would change" in out.getvalue()
    assert Draft.objects.get(pk=draft.pk).tally_yes == 12  # nothing written
    call_command("refresh_outcomes", stdout=out)
    draft.refresh_from_db()
    assert (draft.tally_yes, draft.outcome) == (13, Outcome.VETOED)
    assert sorted(draft.vetoes.values_list("seat__code", flat=True)) == ["CHN", "RUS"]
