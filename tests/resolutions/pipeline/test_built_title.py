"""Titles built for drafts no source gives a title (resolutions.pipeline.sponsors)."""

from resolutions.pipeline.sponsors import NAMED_SPONSORS, TITLE_LENGTH, built_title, sponsors_named


def test_a_few_sponsors_are_all_named():
    assert sponsors_named(["France", "Ghana"]) == "France and Ghana"


def test_many_sponsors_are_counted_after_the_first_ones():
    names = [f"State {n}" for n in range(1, NAMED_SPONSORS + 4)]
    named = sponsors_named(names)
    assert named.startswith("State 1, State 2, ")
    assert named.endswith(f"State {NAMED_SPONSORS} and 3 others")
    assert f"State {NAMED_SPONSORS + 1}" not in named


def test_a_built_title_fits_its_column_on_every_database():
    title = built_title("x" * 2 * TITLE_LENGTH, "France")
    assert len(title) == TITLE_LENGTH and title.endswith("…")
    assert built_title("", "") == ""
