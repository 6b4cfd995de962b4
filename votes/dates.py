"""The Council's dates in numbers and words: its first year, year bounds, months.

Pure, for the filters, forms, pages and parsers alike, so that a bound or a
month name is written once.
"""

from __future__ import annotations

from datetime import date

# The Security Council first met on 17 January 1946 (S/PV.1): no vote is older.
FIRST_MEETING = date(1946, 1, 17)
FIRST_YEAR = FIRST_MEETING.year
# The last year a filter or form accepts: far enough ahead, and small enough
# that a typed 20222 is refused instead of querying for nothing.
LAST_YEAR = 2100

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# Month names as the UN's documents write them, lower case, to the month's number:
# in full, in three letters, and "sept".
MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}


def day_text(on: date) -> str:
    """A date as the pages and messages write it: '26 May 2022'."""
    return f"{on.day} {on:%B %Y}"
