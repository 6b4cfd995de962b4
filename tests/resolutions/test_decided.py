"""``resolutions.outcomes.decided`` remembers decide() and standing() by the Council's
era: it must give exactly what they give, for every date, and never mix the eras."""

from datetime import date
from itertools import product

from resolutions.outcomes import decided
from votes.choices import Position
from votes.outcome import ENLARGEMENT, Ballot, Decision, council_size, decide
from votes.standing import standing

SEATS = ("CHN", "FRA", "RUS", "GBR", "USA")
DAYS = (date(1946, 3, 1), date(1965, 12, 31), ENLARGEMENT, date(1990, 6, 1), date(2022, 5, 26))


def decisions():
    """Every split of yes and no among the elected members, with each permanent seat
    voting yes, no or abstaining in turn, on days of both eras."""
    for on, (p5, elected_yes) in product(
        DAYS, product((Position.YES, Position.NO, Position.ABSTAIN), range(0, 11))
    ):
        elected = council_size(on) - len(SEATS)
        if elected_yes > elected:
            continue
        ballots = [Ballot(p5, seat) for seat in SEATS]
        ballots += [Ballot(Position.YES)] * elected_yes
        ballots += [Ballot(Position.NO)] * (elected - elected_yes)
        yield Decision(on=on, ballots=tuple(ballots))


def test_remembered_answers_are_those_of_decide_and_standing():
    for decision in list(decisions()) * 2:  # the second time from memory
        result = decide(decision)
        assert decided(decision) == (result, standing(decision, result)), decision


def test_the_eras_are_not_mixed():
    """The same ballots, a day apart across the enlargement: 7 of 11 needed, then 9 of 15."""
    ballots = tuple([Ballot(Position.YES)] * 8 + [Ballot(Position.ABSTAIN)] * 3)
    before = decided(Decision(on=date(1965, 12, 31), ballots=ballots))[0]
    after = decided(Decision(on=ENLARGEMENT, ballots=ballots))[0]
    assert (before.required, after.required) == (7, 9)
    assert after == decide(Decision(on=ENLARGEMENT, ballots=ballots))
