"""Where a vote stood: margin, near-miss, decisive members, isolation (synthetic cases)."""

from datetime import date

from votes.choices import Outcome, Position
from votes.outcome import Ballot, Decision, Tally, decide
from votes.seats import SEAT_ORDER
from votes.standing import standing

Y, N, A, X = Position.YES, Position.NO, Position.ABSTAIN, Position.NON_VOTING
TODAY = date(2022, 5, 26)
OLD = date(1960, 1, 1)


def vote(permanent: dict[str, str], elected: list[str], on=TODAY, **fields) -> Decision:
    """Ballots: the five seats (yes unless given), then the elected members in order."""
    ballots = [Ballot(permanent.get(code, Y), code) for code in SEAT_ORDER]
    ballots += [Ballot(position) for position in elected]
    return Decision(on=on, ballots=tuple(ballots), **fields)


def test_double_veto_13_2_the_two_vetoers_are_decisive():
    decision = vote({"CHN": N, "RUS": N}, [Y] * 10)
    result = decide(decision)
    assert result.outcome == Outcome.VETOED and result.vetoed_by == ("CHN", "RUS")
    stood = standing(decision)
    assert [decision.ballots[i].seat for i in stood.decisive] == ["CHN", "RUS"]
    assert stood.margin == 13 - 9 and not stood.near_miss and stood.isolated is None


def test_single_veto_14_1_decisive_and_alone():
    decision = vote({"RUS": N}, [Y] * 10)
    stood = standing(decision)
    assert [decision.ballots[i].seat for i in stood.decisive] == ["RUS"]
    assert decision.ballots[stood.isolated].seat == "RUS"


def test_adopted_with_exactly_nine_every_yes_is_decisive():
    decision = vote({"CHN": A, "RUS": A}, [Y] * 6 + [A] * 4)
    assert decide(decision).outcome == Outcome.ADOPTED
    stood = standing(decision)
    yes = [i for i, b in enumerate(decision.ballots) if b.position == Y]
    assert len(yes) == 9 and stood.decisive == tuple(yes)
    assert stood.margin == 0 and not stood.near_miss


def test_five_yes_failure_is_not_a_near_miss_and_nobody_decided_it():
    # The 16 October 2023 Russian draft: 5-4-6, France, the UK and the US against.
    decision = vote({"FRA": N, "GBR": N, "USA": N}, [Y] * 3 + [N] + [A] * 6)
    assert decide(decision).outcome == Outcome.NOT_ADOPTED
    stood = standing(decision)
    assert stood.margin == 5 - 9
    assert not stood.near_miss and stood.decisive == () and stood.isolated is None


def test_eight_yes_failure_without_a_veto_is_a_near_miss():
    decision = vote({"CHN": A, "RUS": A}, [Y] * 5 + [A] * 5)
    assert decide(decision).outcome == Outcome.NOT_ADOPTED
    stood = standing(decision)
    assert stood.margin == -1 and stood.near_miss


def test_eight_yes_with_a_permanent_no_is_not_a_near_miss():
    # One more yes would have met a veto, not an adoption.
    decision = vote({"CHN": A, "RUS": N}, [Y] * 5 + [A] * 5)
    assert standing(decision).margin == -1 and not standing(decision).near_miss


def test_an_elected_member_alone_14_1():
    decision = vote({}, [Y] * 9 + [A])
    stood = standing(decision)
    assert stood.isolated == len(decision.ballots) - 1
    assert stood.decisive == ()  # adopted 14-0-1: no single vote carried it


def test_before_1966_seven_required_and_10_1():
    decision = vote({"USA": N}, [Y] * 6, on=OLD)
    result = decide(decision)
    assert result.required == 7 and result.outcome == Outcome.VETOED
    stood = standing(decision)
    assert stood.margin == 10 - 7
    assert decision.ballots[stood.isolated].seat == "USA"


def test_absent_member_is_not_alone_and_totals_give_only_the_margin():
    absent = vote({}, [Y] * 9 + [X])
    assert standing(absent).isolated is None
    totals = Decision(on=TODAY, recorded=Tally(8, 0, 7))
    stood = standing(totals)
    assert (stood.margin, stood.near_miss, stood.decisive, stood.isolated) == (-1, True, (), None)


def test_without_a_vote_has_no_margin():
    stood = standing(Decision(on=TODAY, modality="without_vote"))
    assert stood.margin is None and not stood.near_miss


def test_a_double_veto_known_from_totals_names_the_vetoing_seats():
    decision = Decision(on=TODAY, recorded=Tally(13, 2, 0), permanent_no=frozenset({"CHN", "RUS"}))
    assert decide(decision).outcome == Outcome.VETOED
    stood = standing(decision)
    assert stood.decisive == () and stood.decisive_seats == ("CHN", "RUS")
    assert (stood.margin, stood.near_miss, stood.isolated) == (4, False, None)
    failed = Decision(on=TODAY, recorded=Tally(5, 4, 6), permanent_no=frozenset({"USA"}))
    assert standing(failed).decisive_seats == ()
