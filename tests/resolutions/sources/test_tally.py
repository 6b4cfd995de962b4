"""How a tally text whose order is uncertain is read against Article 27."""

from datetime import date

import pytest

from resolutions.sources.tally import (
    CONSENSUS,
    UNANIMOUS,
    WITHOUT_VOTE,
    YES_ABSTAIN_NO,
    YES_NO_ABSTAIN,
    council_size,
    interpret_tally,
    is_tally_text,
    required_majority,
)
from votes.choices import Outcome

ADOPTED, NOT_ADOPTED, VETOED = Outcome.ADOPTED, Outcome.NOT_ADOPTED, Outcome.VETOED

# text, outcome, vetoers, day -> yes, no, abstain, non_voting, order, ambiguous, inconsistent
READINGS = [
    # S/2022/431: written yes-abstain-no; only 13 for, 2 against fits two vetoes (domain.md).
    ("13-0-2", VETOED, 2, date(2022, 5, 26), (13, 2, 0, 0, YES_ABSTAIN_NO, False, False)),
    # S/2022/231: both orders fit a failed draft; the yes-no-abstain reading, marked.
    ("2-0-13", NOT_ADOPTED, 0, date(2022, 3, 23), (2, 0, 13, 0, YES_NO_ABSTAIN, True, False)),
    # One veto, and both 1 or 3 against would allow it.
    ("11-1-3", VETOED, 1, date(2022, 2, 25), (11, 1, 3, 0, YES_NO_ABSTAIN, True, False)),
    # Two vetoes need two votes against: only the yes-no-abstain reading fits.
    ("13-2-0", VETOED, 2, date(2019, 12, 20), (13, 2, 0, 0, YES_NO_ABSTAIN, False, False)),
    # Equal second and third numbers: the order does not matter.
    ("9-1-1", VETOED, 1, date(1946, 8, 29), (9, 1, 1, 0, YES_NO_ABSTAIN, False, False)),
    ("15-0-0", ADOPTED, 0, date(2022, 6, 29), (15, 0, 0, 0, YES_NO_ABSTAIN, False, False)),
    # A majority reached but "not adopted" and no veto named: inconsistent.
    ("7-2-2", NOT_ADOPTED, 0, date(1962, 6, 22), (7, 2, 2, 0, YES_NO_ABSTAIN, False, True)),
    ("3-3-9", VETOED, 1, date(1972, 8, 25), (3, 3, 9, 0, YES_NO_ABSTAIN, False, True)),
    # Two vetoing members but at most one vote against in either order.
    ("14-0-1", VETOED, 2, date(2010, 1, 1), (14, 0, 1, 0, YES_NO_ABSTAIN, False, True)),
    ("8-0-7", ADOPTED, 0, date(2000, 12, 18), (8, 0, 7, 0, YES_NO_ABSTAIN, False, True)),
    # Eleven members and seven votes needed before 1966.
    ("8-2-1", VETOED, 1, date(1946, 8, 29), (8, 2, 1, 0, YES_NO_ABSTAIN, True, False)),
    ("6-3-2", NOT_ADOPTED, 0, date(1950, 9, 11), (6, 3, 2, 0, YES_NO_ABSTAIN, True, False)),
    ("7-0-4", ADOPTED, 0, date(1948, 5, 22), (7, 0, 4, 0, YES_NO_ABSTAIN, True, False)),
    ("6-0-5", ADOPTED, 0, date(1946, 4, 4), (6, 0, 5, 0, YES_NO_ABSTAIN, False, True)),
    ("7-0-4", NOT_ADOPTED, 0, date(1950, 1, 1), (7, 0, 4, 0, YES_NO_ABSTAIN, False, True)),
    ("9-0-1", ADOPTED, 0, date(1950, 6, 25), (9, 0, 1, 1, YES_NO_ABSTAIN, True, False)),
    ("11-0-0", ADOPTED, 0, date(1946, 12, 10), (11, 0, 0, 0, YES_NO_ABSTAIN, False, False)),
    ("12-0-0", ADOPTED, 0, date(1946, 12, 10), (12, 0, 0, None, YES_NO_ABSTAIN, False, True)),
    # The Council grew on 1 January 1966: 8 votes were enough the day before, not after.
    ("8-0-3", ADOPTED, 0, date(1965, 12, 31), (8, 0, 3, 0, YES_NO_ABSTAIN, True, False)),
    ("8-0-3", ADOPTED, 0, date(1966, 1, 1), (8, 0, 3, 4, YES_NO_ABSTAIN, False, True)),
    # Notes beside the numbers must match the members left uncounted.
    (
        "14-0-0 (1 absent)",
        ADOPTED,
        0,
        date(2000, 1, 31),
        (14, 0, 0, 1, YES_NO_ABSTAIN, False, False),
    ),
    (
        "15-0-0 (1 absent)",
        ADOPTED,
        0,
        date(2000, 1, 31),
        (15, 0, 0, 0, YES_NO_ABSTAIN, False, True),
    ),
    (
        "11-0-3 (France did not participate in the voting.)",
        ADOPTED,
        0,
        date(1999, 12, 17),
        (11, 0, 3, 1, YES_NO_ABSTAIN, True, False),
    ),
    # En dashes and spaces as some pages write them.
    (
        "13 \u2013 2 \u2013 0",
        VETOED,
        2,
        date(2019, 12, 20),
        (13, 2, 0, 0, YES_NO_ABSTAIN, False, False),
    ),
    # No outcome stated (a bare tally in the table): only the arithmetic is checked.
    ("2-0-13", "", 0, date(2021, 7, 22), (2, 0, 13, 0, YES_NO_ABSTAIN, True, False)),
]


@pytest.mark.parametrize(("text", "outcome", "vetoers", "on", "expected"), READINGS)
def test_reading_of_numeric_tallies(text, outcome, vetoers, on, expected):
    reading = interpret_tally(text, outcome=outcome, vetoers=vetoers, on=on)
    got = (
        reading.yes,
        reading.no,
        reading.abstain,
        reading.non_voting,
        reading.order,
        reading.ambiguous,
        reading.inconsistent,
    )
    assert got == expected
    assert reading.text == text
    assert bool(reading.reason) == (reading.ambiguous or reading.inconsistent)
    assert reading.usable == (not reading.ambiguous and not reading.inconsistent)


def test_ambiguous_reading_says_both_orders():
    reading = interpret_tally("11-1-3", outcome=VETOED, vetoers=1, on=date(2022, 2, 25))
    assert "11 for, 1 against, 3 abstaining" in reading.reason
    assert "11 for, 3 against, 1 abstaining" in reading.reason


def test_inconsistent_reading_gives_the_reason():
    reading = interpret_tally("7-2-2", outcome=NOT_ADOPTED, vetoers=0, on=date(1962, 6, 22))
    assert "required majority of 7" in reading.reason


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("adopted unanimously", UNANIMOUS),
        ("Adopted unanimously", UNANIMOUS),
        ("without vote", WITHOUT_VOTE),
        ("Without vote", WITHOUT_VOTE),
        ("without a vote", WITHOUT_VOTE),
        ("adopted by consensus", CONSENSUS),
    ],
)
def test_worded_tallies_give_no_counts(text, kind):
    reading = interpret_tally(text, outcome=ADOPTED, vetoers=0, on=date(1960, 1, 1))
    assert reading.kind == kind
    assert (reading.yes, reading.no, reading.abstain, reading.non_voting) == (None,) * 4
    assert not reading.ambiguous and not reading.inconsistent
    assert not reading.usable


def test_worded_adoption_of_a_vetoed_draft_is_inconsistent():
    reading = interpret_tally("adopted unanimously", outcome=VETOED, vetoers=1, on=date(1960, 1, 1))
    assert reading.inconsistent


def test_text_that_is_no_tally_is_refused():
    with pytest.raises(ValueError, match="not a tally"):
        interpret_tally("S/PRST/2022/4", outcome=ADOPTED, vetoers=0, on=date(2022, 1, 1))
    assert not is_tally_text("S/PRST/2022/4")
    assert is_tally_text("13-0-2") and is_tally_text("without a vote")


def test_council_size_and_majority_change_on_1_january_1966():
    assert (council_size(date(1965, 12, 31)), required_majority(date(1965, 12, 31))) == (11, 7)
    assert (council_size(date(1966, 1, 1)), required_majority(date(1966, 1, 1))) == (15, 9)


def test_reading_exports_its_fields():
    reading = interpret_tally("13-0-2", outcome=VETOED, vetoers=2, on=date(2022, 5, 26))
    fields = reading.as_dict()
    assert fields["yes"] == 13 and fields["no"] == 2 and fields["order"] == YES_ABSTAIN_NO
    assert fields["council_size"] == 15 and fields["required"] == 9
