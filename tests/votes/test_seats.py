"""The seat vocabulary agrees with the reference data it names."""

from votes.reference import permanent_terms
from votes.seats import (
    PAIR_CHOICES,
    PAIRS,
    SEAT_LABELS,
    SEAT_NAMES,
    SEAT_ORDER,
    SHORT_SEAT_LABELS,
    seat_sort_key,
)


def test_every_table_names_exactly_the_five_seats_of_the_reference_terms():
    seats = {row.seat for row in permanent_terms()}
    assert len(SEAT_ORDER) == len(set(SEAT_ORDER)) == 5
    for table in (SEAT_NAMES, SEAT_LABELS, SHORT_SEAT_LABELS):
        assert list(table) == list(SEAT_ORDER)
        assert set(table) == seats


def test_a_seats_label_names_each_predecessor_that_held_it():
    holders = {}
    for row in permanent_terms():
        holders.setdefault(row.seat, set()).add(row.code)
    # The USSR held the Russian seat; China's seat changed hands but not its code.
    assert holders["RUS"] == {"SUN", "RUS"}
    assert "USSR" in SEAT_LABELS["RUS"] and "Republic of China" in SEAT_LABELS["CHN"]
    for seat in ("FRA", "GBR", "USA"):
        assert SEAT_LABELS[seat] == SEAT_NAMES[seat]


def test_pairs_are_every_two_seats_once_in_seat_order():
    assert len(PAIRS) == 5 * 4 // 2
    assert all(SEAT_ORDER.index(a) < SEAT_ORDER.index(b) for a, b in PAIRS)
    assert [code for code, _ in PAIR_CHOICES] == [f"{a}-{b}" for a, b in PAIRS]
    assert dict(PAIR_CHOICES)["CHN-USA"] == "China and US"


def test_seats_sort_in_order_and_everything_else_after():
    assert sorted(["USA", "", "GHA", "CHN", "RUS"], key=seat_sort_key) == [
        "CHN",
        "RUS",
        "USA",
        "",
        "GHA",
    ]
