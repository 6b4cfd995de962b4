"""The deduction rule: which member votes an official tally, its vetoes and the Council settle."""

from datetime import date

from resolutions.pipeline.deduction import Facts, Member, settle
from votes.outcome import Tally

Y, N, A, X = "Y", "N", "A", "X"
P5 = ["CHN", "FRA", "RUS", "GBR", "USA"]
P5_1950 = ["CHN", "FRA", "SUN", "GBR", "USA"]


def council(elected: int, permanent=P5) -> list[Member]:
    """Permanent members get ids 1-5 (in the order given), elected ones 101, 102, ..."""
    return [Member(i + 1, seat) for i, seat in enumerate(permanent)] + [
        Member(101 + i) for i in range(elected)
    ]


def seat_id(seat: str, permanent=P5) -> int:
    return permanent.index(seat) + 1


ON_2022 = date(2022, 5, 26)


def test_13_2_0_with_two_named_vetoers_settles_all_fifteen():
    # S/2022/431: China and the Russian Federation against, the other thirteen in favour.
    settled = settle(Facts(ON_2022, Tally(13, 2, 0), council(10), frozenset({"CHN", "RUS"})))
    assert len(settled) == 15
    assert {s: p for s, p in settled.items() if p == N} == {
        seat_id("CHN"): N,
        seat_id("RUS"): N,
    }
    assert sum(p == Y for p in settled.values()) == 13


def test_15_0_0_settles_every_member_yes():
    settled = settle(Facts(ON_2022, Tally(15, 0, 0), council(10)))
    assert settled == {m.state_id: Y for m in council(10)}


def test_13_2_0_with_one_named_vetoer_settles_only_the_permanent_members():
    # The second no is an elected member's (a permanent one would be a veto too):
    # which elected member is not settled, so none is.
    settled = settle(Facts(ON_2022, Tally(13, 2, 0), council(10), frozenset({"RUS"})))
    assert settled == {1: Y, 2: Y, 3: N, 4: Y, 5: Y}


def test_a_veto_with_abstentions_settles_only_the_vetoer():
    settled = settle(Facts(ON_2022, Tally(11, 1, 3), council(10), frozenset({"USA"})))
    assert settled == {seat_id("USA"): N}


def test_14_0_0_leaves_one_non_voting_member_unknown_so_settles_nothing():
    # One member did not vote (absent or not participating); which one, the tally doesn't say.
    assert settle(Facts(ON_2022, Tally(14, 0, 0), council(10))) == {}


def test_a_known_non_voting_member_lets_the_others_be_settled():
    # 14-0-0 and a source lists the one member that did not participate.
    settled = settle(Facts(ON_2022, Tally(14, 0, 0), council(10), known={107: X}))
    assert len(settled) == 14 and set(settled.values()) == {Y} and 107 not in settled


def test_known_votes_are_never_settled_again_and_count_against_the_tally():
    # A source gives Ghana (101) no and Brazil (102) abstaining: the other 13 are yes.
    settled = settle(Facts(ON_2022, Tally(13, 1, 1), council(10), known={101: N, 102: A}))
    assert 101 not in settled and 102 not in settled
    assert settled == {m.state_id: Y for m in council(10) if m.state_id not in (101, 102)}


def test_the_eleven_member_council_before_1966():
    # 10-1-0 vetoed by the USSR, eleven members.
    on = date(1955, 12, 13)
    settled = settle(Facts(on, Tally(10, 1, 0), council(6, P5_1950), frozenset({"SUN"})))
    assert len(settled) == 11
    assert settled[seat_id("SUN", P5_1950)] == N
    assert sum(p == Y for p in settled.values()) == 10


def test_the_eleven_member_council_with_an_absent_permanent_member():
    # As resolution 82 (1950), adopted 9-0-1 with the USSR absent: who abstained and who
    # was absent is unknown, so nothing is settled; with the USSR's absence given, still
    # nothing (9 yes and 1 abstention among the other 10).
    on = date(1950, 6, 25)
    assert settle(Facts(on, Tally(9, 0, 1), council(6, P5_1950))) == {}
    assert settle(Facts(on, Tally(9, 0, 1), council(6, P5_1950), known={3: X})) == {}


def test_seven_votes_era_a_failed_draft_short_of_the_majority_settles_no_permanent_member():
    # 6-0-5 before 1966: short of 7, so not adopted; no one is settled.
    on = date(1960, 1, 1)
    assert settle(Facts(on, Tally(6, 0, 5), council(6, P5_1950))) == {}


def test_a_veto_list_naming_a_member_a_source_lists_as_yes_settles_nothing():
    facts = Facts(ON_2022, Tally(13, 2, 0), council(10), frozenset({"CHN", "RUS"}), known={1: Y})
    assert settle(facts) == {}


def test_a_tally_larger_than_the_council_settles_nothing():
    assert settle(Facts(ON_2022, Tally(15, 1, 0), council(10))) == {}


def test_a_vetoed_draft_short_of_the_majority_is_contradictory_and_settles_nothing():
    # 8 yes is short of 9: a "veto" cannot be; nothing follows about the permanent members.
    settled = settle(Facts(ON_2022, Tally(8, 2, 5), council(10), frozenset({"RUS"})))
    assert settled == {}


def test_a_stated_outcome_the_tally_contradicts_settles_nothing():
    # Said to be adopted, but 13-2-0 with a named vetoer is a veto by Article 27.
    facts = Facts(ON_2022, Tally(13, 2, 0), council(10), frozenset({"RUS"}), stated="adopted")
    assert settle(facts) == {}
    # The same facts without the statement settle the permanent members.
    assert settle(Facts(ON_2022, Tally(13, 2, 0), council(10), frozenset({"RUS"}))) != {}


def test_a_procedural_vote_settles_no_permanent_member_unless_the_tally_does():
    # 12-3-0 on a procedural vote: a permanent member may vote no. Each is Y or N: nothing.
    facts = Facts(ON_2022, Tally(12, 3, 0), council(10), procedural=True)
    assert settle(facts) == {}
    # 0-0-15 is settled whatever the rule about permanent members.
    assert set(settle(Facts(ON_2022, Tally(0, 0, 15), council(10))).values()) == {A}


def test_an_adopted_non_procedural_vote_with_a_no_settles_the_permanent_members_as_yes():
    # 14-1-0 adopted: the no cannot be a permanent member's (it would have vetoed it).
    settled = settle(Facts(ON_2022, Tally(14, 1, 0), council(10), stated="adopted"))
    assert settled == {1: Y, 2: Y, 3: Y, 4: Y, 5: Y}
