"""Article 27, table-driven and by property, on the pure outcome engine."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from votes.choices import Basis, Modality, Outcome, Position
from votes.outcome import (
    Ballot,
    Decision,
    Tally,
    council_size,
    decide,
    required_majority,
)

Y, N, A, X = Position.YES, Position.NO, Position.ABSTAIN, Position.NON_VOTING
P5_NOW = ["CHN", "FRA", "RUS", "GBR", "USA"]


def council(on, permanent: dict, elected: list):
    """Ballots for a whole Council: permanent seats by code, then elected positions."""
    ballots = [Ballot(position, seat) for seat, position in permanent.items()]
    ballots += [Ballot(position) for position in elected]
    assert len(ballots) == council_size(on), "test helper: wrong council size"
    return tuple(ballots)


CASES = [
    pytest.param(
        Decision(
            on=date(2022, 5, 26),
            ballots=council(
                date(2022, 5, 26),
                {"CHN": N, "FRA": Y, "RUS": N, "GBR": Y, "USA": Y},
                [Y] * 10,
            ),
        ),
        Outcome.VETOED,
        ("CHN", "RUS"),
        Tally(13, 2, 0),
        id="S/2022/431: 13-2-0, China and Russia against, vetoed by both",
    ),
    pytest.param(
        Decision(
            on=date(2022, 2, 25),
            ballots=council(
                date(2022, 2, 25),
                {"CHN": A, "FRA": Y, "RUS": N, "GBR": Y, "USA": Y},
                [A, A] + [Y] * 8,  # India and the UAE abstain
            ),
        ),
        Outcome.VETOED,
        ("RUS",),
        Tally(11, 1, 3),
        id="S/2022/155: 11-1-3, Russia against, China/India/UAE abstain: vetoed by Russia",
    ),
    pytest.param(
        Decision(
            on=date(2023, 10, 16),
            ballots=council(
                date(2023, 10, 16),
                {"CHN": Y, "FRA": N, "RUS": Y, "GBR": N, "USA": N},
                [Y, Y, Y, N] + [A] * 6,
            ),
        ),
        Outcome.NOT_ADOPTED,
        (),
        Tally(5, 4, 6),
        id="16 Oct 2023 Russian Gaza draft: 5-4-6 with France, UK, US against: no veto",
    ),
    pytest.param(
        Decision(
            on=date(2010, 6, 9),
            ballots=council(
                date(2010, 6, 9),
                {"CHN": A, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y},
                [Y] * 5 + [A] * 5,
            ),
        ),
        Outcome.ADOPTED,
        (),
        Tally(9, 0, 6),
        id="9-0-6 with a permanent member abstaining: adopted",
    ),
    pytest.param(
        Decision(
            on=date(1950, 6, 27),
            ballots=council(
                date(1950, 6, 27),
                {"CHN": Y, "FRA": Y, "RUS": X, "GBR": Y, "USA": Y},
                [Y] * 5 + [A],
            ),
        ),
        Outcome.ADOPTED,
        (),
        Tally(9, 0, 1, 1),
        id="9 in favour with the USSR absent in 1950: adopted",
    ),
    pytest.param(
        Decision(
            on=date(1965, 12, 1),
            ballots=council(
                date(1965, 12, 1),
                {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y},
                [Y, Y, A, A, A, A],
            ),
        ),
        Outcome.ADOPTED,
        (),
        Tally(7, 0, 4),
        id="7 in favour in 1965, Council of 11: adopted",
    ),
    pytest.param(
        Decision(
            on=date(1966, 2, 1),
            ballots=council(
                date(1966, 2, 1),
                {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y},
                [Y, Y] + [A] * 8,
            ),
        ),
        Outcome.NOT_ADOPTED,
        (),
        Tally(7, 0, 8),
        id="the same 7 in 1966, Council of 15: not adopted",
    ),
    pytest.param(
        Decision(
            on=date(1990, 1, 10),
            procedural=True,
            ballots=council(
                date(1990, 1, 10),
                {"CHN": N, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y},
                [Y] * 5 + [A] * 5,
            ),
        ),
        Outcome.ADOPTED,
        (),
        Tally(9, 1, 5),
        id="procedural vote, 9 in favour, a permanent member against: adopted",
    ),
    pytest.param(
        Decision(on=date(2001, 5, 1), modality=Modality.WITHOUT_VOTE),
        Outcome.ADOPTED,
        (),
        None,
        id="adopted without a vote",
    ),
    pytest.param(
        Decision(
            on=date(2005, 3, 1),
            ballots=council(
                date(2005, 3, 1),
                {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": N},
                [Y] * 4 + [A] * 6,
            ),
        ),
        Outcome.NOT_ADOPTED,
        (),
        Tally(8, 1, 6),
        id="8 in favour and a permanent member against: not adopted, not a veto",
    ),
]


@pytest.mark.parametrize(("decision", "outcome", "vetoed_by", "tally"), CASES)
def test_article_27(decision, outcome, vetoed_by, tally):
    result = decide(decision)
    assert result.outcome == outcome
    assert result.vetoed_by == vetoed_by
    assert result.tally == tally


def test_abstaining_permanent_member_is_not_a_veto():
    on = date(2022, 3, 1)
    ballots = council(on, {"CHN": A, "FRA": A, "RUS": A, "GBR": A, "USA": A}, [Y] * 10)
    assert decide(Decision(on=on, ballots=ballots)).outcome == Outcome.ADOPTED


def test_without_vote_is_not_presented_as_a_recorded_tally():
    result = decide(Decision(on=date(2001, 5, 1), modality=Modality.ACCLAMATION))
    assert result.outcome == Outcome.ADOPTED
    assert result.tally is None
    assert result.basis == Basis.WITHOUT_VOTE


def test_incomplete_breakdown_uses_recorded_totals_and_known_permanent_noes():
    # The meetings tables give 13-2-0 and the Veto List names China and Russia,
    # but no member-by-member breakdown.
    result = decide(
        Decision(
            on=date(2022, 5, 26),
            recorded=Tally(13, 2, 0),
            permanent_no=frozenset({"RUS", "CHN"}),
        )
    )
    assert result.outcome == Outcome.VETOED
    assert result.vetoed_by == ("CHN", "RUS")
    assert result.basis == Basis.RECORDED_TOTALS


def test_incomplete_breakdown_adds_permanent_noes_seen_in_partial_votes():
    result = decide(
        Decision(on=date(1976, 1, 26), ballots=(Ballot(N, "USA"),), recorded=Tally(9, 1, 3, 2))
    )
    assert result.outcome == Outcome.VETOED
    assert result.vetoed_by == ("USA",)


def test_recorded_totals_short_of_majority_are_not_adopted_despite_a_permanent_no():
    result = decide(
        Decision(on=date(1950, 9, 11), recorded=Tally(6, 3, 2), permanent_no=frozenset({"USA"}))
    )
    assert result.outcome == Outcome.NOT_ADOPTED
    assert result.vetoed_by == ()


def test_complete_breakdown_wins_over_recorded_totals():
    on = date(2022, 5, 26)
    ballots = council(on, {"CHN": N, "FRA": Y, "RUS": N, "GBR": Y, "USA": Y}, [Y] * 10)
    result = decide(Decision(on=on, ballots=ballots, recorded=Tally(15, 0, 0)))
    assert result.tally == Tally(13, 2, 0)
    assert result.basis == Basis.MEMBER_VOTES


def test_stated_veto_without_tally_keeps_the_named_seats_and_says_so():
    result = decide(
        Decision(on=date(1946, 6, 26), stated=Outcome.VETOED, permanent_no=frozenset({"RUS"}))
    )
    assert result.outcome == Outcome.VETOED
    assert result.vetoed_by == ("RUS",)
    assert result.basis == Basis.SOURCE_STATEMENT


def test_nothing_to_compute_from_is_unknown_not_a_guess():
    result = decide(Decision(on=date(1946, 6, 26)))
    assert result.outcome == Outcome.UNKNOWN


def test_a_sixteenth_member_vote_is_refused():
    on = date(2022, 5, 26)
    ballots = council(on, {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y}, [Y] * 10)
    with pytest.raises(ValueError, match="16 member votes"):
        decide(Decision(on=on, ballots=(*ballots, Ballot(Y))))


@pytest.mark.parametrize(
    ("on", "size", "majority"),
    [
        (date(1946, 1, 17), 11, 7),
        (date(1965, 12, 31), 11, 7),
        (date(1966, 1, 1), 15, 9),
        (date(2026, 11, 28), 15, 9),
    ],
)
def test_the_two_eras_of_article_27(on, size, majority):
    assert council_size(on) == size
    assert required_majority(on) == majority


# Properties over any breakdown ---------------------------------------------

dates = st.dates(min_value=date(1946, 1, 17), max_value=date(2030, 12, 31))
positions = st.sampled_from([Y, N, A, X])


@st.composite
def decisions(draw):
    on = draw(dates)
    size = council_size(on)
    permanent = draw(st.lists(positions, min_size=5, max_size=5))
    elected = draw(st.lists(positions, min_size=size - 5, max_size=size - 5))
    ballots = [Ballot(p, seat) for seat, p in zip(P5_NOW, permanent, strict=True)]
    ballots += [Ballot(p) for p in elected]
    return Decision(on=on, procedural=draw(st.booleans()), ballots=tuple(ballots))


@given(decisions())
def test_adopted_implies_enough_votes_in_favour(decision):
    result = decide(decision)
    if result.outcome == Outcome.ADOPTED:
        assert result.tally.yes >= required_majority(decision.on)


@given(decisions())
def test_vetoed_implies_non_procedural_majority_and_a_permanent_no(decision):
    result = decide(decision)
    if result.outcome == Outcome.VETOED:
        assert not decision.procedural
        assert result.tally.yes >= required_majority(decision.on)
        assert any(b.seat and b.position == N for b in decision.ballots)


@given(decisions())
def test_vetoing_seats_are_exactly_the_permanent_noes(decision):
    result = decide(decision)
    permanent_no = {b.seat for b in decision.ballots if b.seat and b.position == N}
    if result.outcome == Outcome.VETOED:
        assert set(result.vetoed_by) == permanent_no
    else:
        assert result.vetoed_by == ()


@given(decisions())
def test_every_recorded_vote_gets_one_of_three_outcomes(decision):
    result = decide(decision)
    assert result.outcome in {Outcome.ADOPTED, Outcome.VETOED, Outcome.NOT_ADOPTED}
    assert result.tally.members == council_size(decision.on)


# Incomplete member votes and no recorded totals ---------------------------------


def test_missing_votes_that_cannot_change_the_result_still_decide_it():
    on = date(2022, 5, 26)
    ballots = council(on, {"CHN": N, "FRA": Y, "RUS": N, "GBR": Y, "USA": Y}, [Y] * 10)
    # Ghana's row lost: 13 in favour already, and two permanent members against.
    result = decide(Decision(on=on, ballots=ballots[:-1]))
    assert (result.outcome, result.vetoed_by) == (Outcome.VETOED, ("CHN", "RUS"))
    # 13-2-0 is not known, only 12 of the 13 yes votes: no tally is claimed.
    assert (result.tally, result.basis) == (None, Basis.PARTIAL_VOTES)
    # Too few in favour even if every missing member had voted yes.
    few = council(on, {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y}, [A] * 10)
    assert decide(Decision(on=on, ballots=few[:-3])).outcome == Outcome.NOT_ADOPTED


def test_missing_votes_that_could_change_the_result_leave_it_open():
    on = date(2022, 5, 26)
    # 8 in favour and 2 members unknown: could be 10, could stay 8.
    ballots = council(on, {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y}, [Y] * 3 + [A] * 7)
    assert decide(Decision(on=on, ballots=ballots[:-2])).outcome == Outcome.UNKNOWN
    # 14 in favour but China's vote unknown: it might have been a veto.
    no_china = council(on, {"CHN": Y, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y}, [Y] * 10)[1:]
    assert decide(Decision(on=on, ballots=no_china)).outcome == Outcome.UNKNOWN
    assert decide(Decision(on=on, ballots=no_china, procedural=True)).outcome == Outcome.ADOPTED
    # Russia against, China's vote lost: vetoed, by Russia for certain; China is
    # named only when a source says it voted no (the Veto List).
    russia_no = {"CHN": N, "FRA": Y, "RUS": N, "GBR": Y, "USA": Y}
    no_china_russia_no = council(on, russia_no, [Y] * 10)[1:]
    alone = decide(Decision(on=on, ballots=no_china_russia_no))
    assert (alone.outcome, alone.vetoed_by) == (Outcome.VETOED, ("RUS",))
    named = decide(
        Decision(on=on, ballots=no_china_russia_no, permanent_no=frozenset({"CHN", "RUS"}))
    )
    assert (named.outcome, named.vetoed_by) == (Outcome.VETOED, ("CHN", "RUS"))
    # A source's "no" does not override a permanent member's recorded yes.
    yes_fra = decide(Decision(on=on, ballots=no_china_russia_no, permanent_no=frozenset({"FRA"})))
    assert yes_fra.vetoed_by == ("RUS",)
    # China's vote lost, every other member in favour, a source says China voted
    # no: vetoed by China, as beside recorded totals; without the source, open.
    china_no = council(on, {"CHN": N, "FRA": Y, "RUS": Y, "GBR": Y, "USA": Y}, [Y] * 10)[1:]
    said = decide(Decision(on=on, ballots=china_no, permanent_no=frozenset({"CHN"})))
    assert (said.outcome, said.vetoed_by, said.tally) == (Outcome.VETOED, ("CHN",), None)
    assert decide(Decision(on=on, ballots=china_no)).outcome == Outcome.UNKNOWN


@st.composite
def partial_decisions(draw):
    decision = draw(decisions())
    keep = draw(st.integers(min_value=1, max_value=len(decision.ballots)))
    chosen = draw(st.permutations(decision.ballots))[:keep]
    return decision, Decision(on=decision.on, procedural=decision.procedural, ballots=tuple(chosen))


@given(partial_decisions())
def test_a_decision_from_partial_votes_never_contradicts_the_full_vote(pair):
    full, partial = pair
    known = decide(partial)
    if known.outcome == Outcome.UNKNOWN:
        return
    complete = decide(full)
    assert known.outcome == complete.outcome
    # Every seat named vetoed it, and every seat seen voting no is named; a seat
    # whose vote is missing may be left out (nothing says how it voted).
    assert set(known.vetoed_by) <= set(complete.vetoed_by)
    seen_no = {b.seat for b in partial.ballots if b.seat and b.position == Position.NO}
    if known.outcome == Outcome.VETOED:
        assert seen_no <= set(known.vetoed_by)
    # A tally is never claimed from some of the votes.
    if len(partial.ballots) < len(full.ballots):
        assert known.tally is None
