"""The five permanent seats: their order, names and labels, and their pairs.

The one vocabulary of seats for the whole project: the outcome engine, the
reference data, the analytics, the charts, the filters and the pages all read
it from here. Pure: no database, no settings.

A seat is named by the code of its holder today; it includes its predecessors
(the Russian seat the USSR's votes to 1991, China's the Republic of China's to
1971), which is what the labels say.
"""

from __future__ import annotations

from itertools import combinations

# The canonical order of the seats wherever they are listed, alphabetical by name.
SEAT_ORDER = ("CHN", "FRA", "RUS", "GBR", "USA")

# The seat's own name (``PermanentSeat.name``): its holder's name today.
SEAT_NAMES = {
    "CHN": "China",
    "FRA": "France",
    "RUS": "Russian Federation",
    "GBR": "United Kingdom",
    "USA": "United States",
}

# The seat, with the predecessors whose votes and vetoes it includes.
SEAT_LABELS = {
    "CHN": "China (with the Republic of China to 1971)",
    "FRA": "France",
    "RUS": "Russian Federation (with the USSR to 1991)",
    "GBR": "United Kingdom",
    "USA": "United States",
}

# For charts and short phrases ("vetoed by Russia", "China and US").
SHORT_SEAT_LABELS = {"CHN": "China", "FRA": "France", "RUS": "Russia", "GBR": "UK", "USA": "US"}

# Every pair of seats once, in seat order: ("CHN", "FRA"), ("CHN", "RUS"), ...
PAIRS: tuple[tuple[str, str], ...] = tuple(combinations(SEAT_ORDER, 2))
PAIR_CHOICES = [
    (f"{a}-{b}", f"{SHORT_SEAT_LABELS[a]} and {SHORT_SEAT_LABELS[b]}") for a, b in PAIRS
]


def seat_sort_key(seat: str) -> tuple[int, str]:
    """Seats in canonical order; anything else (an elected member, "") after them."""
    return (SEAT_ORDER.index(seat) if seat in SEAT_ORDER else len(SEAT_ORDER), seat)
