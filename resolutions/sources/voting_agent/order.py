"""Checks of the Voting-Agent file's order: dates and resolutions must rise with meetings.

Meeting numbers (S/PV.n, and the 2020 videoconference numbers V.n) are the spine: a
vote's date and its resolution number must rise with them. The file's commonest fault,
dates read month-first (1994-06-01 for 6 January 1994), shows up against that spine.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from resolutions.sources.voting_agent.group import VoteGroup


def _swappable(day: date) -> bool:
    return day.day <= 12 and day.day != day.month


def _swapped(day: date) -> date:
    return date(day.year, day.day, day.month)


def _chain_lengths(values: Sequence, strict: bool) -> list[int]:
    """For each value, the length of the longest rising chain that ends with it."""
    tails: list = []  # the smallest last value of a chain of each length so far
    lengths = []
    find = bisect_left if strict else bisect_right
    for value in values:
        length = find(tails, value)
        if length == len(tails):
            tails.append(value)
        else:
            tails[length] = value
        lengths.append(length + 1)
    return lengths


def in_order(values: Sequence[int], *, strict: bool) -> tuple[set[int], set[int]]:
    """Which values keep the order: (in every longest rising chain, in at least one).

    The values are in the order they should rise in (meeting order). A value in no
    longest chain is one of the fewest that break the order; one in some chains but not
    all is in a tie (two dates that contradict each other, with nothing to tell which
    is wrong); only those in every longest chain are certain.
    """
    ending = _chain_lengths(values, strict)
    starting = _chain_lengths([-v for v in reversed(values)], strict)[::-1]
    longest = max(ending, default=0)
    possible = {i for i in range(len(values)) if ending[i] + starting[i] - 1 == longest}
    per_length = Counter(ending[i] for i in possible)
    certain = {i for i in possible if per_length[ending[i]] == 1}
    return certain, possible


def _by_series(groups: Sequence[VoteGroup], has: Callable[[VoteGroup], bool]):
    """Votes with a meeting number, per numbering (S/PV, or the 2020 V numbers), in order."""
    series: dict[str, list[VoteGroup]] = {}
    for group in groups:
        if group.sequence and has(group):
            series.setdefault(group.sequence[0], []).append(group)
    for items in series.values():
        items.sort(key=lambda g: (g.sequence[1], g.id))
    return series.values()


def meeting_of(group: VoteGroup) -> str:
    return group.meeting_symbol or group.cells["Meeting"] or "no meeting"


def check_dates(groups: Sequence[VoteGroup]) -> None:
    """Dates must rise with meeting numbers; a date that fits only with day and month
    swapped is the file's commonest fault (Excel read day-first dates month-first).

    Dates that cannot be a swap (day above 12, or day equal to month) are anchors; the
    fewest anchors that break the order are out of sequence, and the rest bound each
    swappable date by the nearest anchors before and after it.
    """
    for items in _by_series(groups, lambda g: True):
        _check_series_dates(items)
    for group in groups:
        if group.sequence is None and _swappable(group.date):
            group.fault(
                "date_ambiguous",
                f"{group.date.isoformat()}: no meeting number to check it against",
                withhold=["date"],
            )
            group.extra["date_candidates"] = (group.date, _swapped(group.date))


def _check_series_dates(items: list[VoteGroup]) -> None:
    """One series of meeting numbers: the anchors' order, then each swappable date."""
    anchors = [g for g in items if not _swappable(g.date)]
    certain, possible = in_order([a.date.toordinal() for a in anchors], strict=False)
    _fault_anchors(anchors, certain, possible)
    chain = [anchors[k] for k in sorted(certain)]
    numbers = [a.sequence[1] for a in chain]
    for group in items:
        if _swappable(group.date):
            _check_swappable(group, chain, numbers)


def _fault_anchors(anchors: list[VoteGroup], certain, possible) -> None:
    """The fewest anchors that break the order are out of sequence (ties said so)."""
    for k, anchor in enumerate(anchors):
        if k not in certain:
            tie = " (or a neighbouring date is, and nothing tells which)" if k in possible else ""
            anchor.fault(
                "date_out_of_sequence",
                f"{anchor.date.isoformat()} (meeting {meeting_of(anchor)}) is out of step "
                f"with the dates of the meetings around it{tie}",
                withhold=["date"],
            )


def _anchors_around(number: int, chain: list[VoteGroup], numbers: list[int]) -> tuple:
    """The nearest anchors numbered before and after a meeting (None at either end)."""
    before = bisect_right(numbers, number) - 1
    after = bisect_left(numbers, number)
    low = chain[before] if before >= 0 else None
    high = chain[after] if after < len(chain) else None
    return low, high


def _check_swappable(group: VoteGroup, chain: list[VoteGroup], numbers: list[int]) -> None:
    low, high = _anchors_around(group.sequence[1], chain, numbers)

    def fits(day: date) -> bool:
        return (low is None or low.date <= day) and (high is None or day <= high.date)

    around = ", ".join(
        f"meeting {meeting_of(g)} on {g.date.isoformat()}" for g in (low, high) if g is not None
    )
    written, swapped = group.date, _swapped(group.date)
    if fits(written) and not fits(swapped):
        return
    if fits(swapped) and not fits(written):
        group.fault(
            "day_month_swapped",
            f"{written.isoformat()} (meeting {meeting_of(group)}) is out of step with {around}; "
            f"with day and month swapped, {swapped.isoformat()}, it fits",
            withhold=["date"],
        )
        group.extra["date_deduced"] = swapped
    elif fits(written):
        group.fault(
            "date_ambiguous",
            f"{written.isoformat()} and {swapped.isoformat()} both fit between {around}",
            withhold=["date"],
        )
        group.extra["date_candidates"] = (written, swapped)
    else:
        group.fault(
            "date_out_of_sequence",
            f"{written.isoformat()} (meeting {meeting_of(group)}) is out of step with {around}, "
            f"and so is {swapped.isoformat()}",
            withhold=["date"],
        )


def check_resolution_order(groups: Sequence[VoteGroup]) -> None:
    """Resolution numbers rise with meeting numbers; the fewest that break it are flagged.

    Meetings held the same day count as one: the Council numbers a day's resolutions in
    the order adopted, which need not be the order of the meetings' numbers (912 (1994)
    at S/PV.3368, 913 at S/PV.3367, both on 21 April).
    """
    for items in _by_series(groups, lambda g: g.resolution is not None):
        _check_series_resolutions(items)
    for group in groups:
        if group.resolution and group.resolution[1] != group.date.year:
            number, year = group.resolution
            group.fault(
                "resolution_year_mismatch",
                f"resolution {number} ({year}) on a vote dated {group.date.isoformat()}",
                withhold=["resolution"],
            )


def _check_series_resolutions(items: list[VoteGroup]) -> None:
    day_of: dict[int, int] = {}  # vote id -> the first meeting number of its day
    for previous, group in zip([None, *items], items, strict=False):
        same_day = previous is not None and previous.date == group.date
        day_of[group.id] = day_of[previous.id] if same_day else group.sequence[1]
    ordered = sorted(items, key=lambda g: (day_of[g.id], g.resolution[0]))
    certain, _ = in_order([g.resolution[0] for g in ordered], strict=False)
    for k, group in enumerate(ordered):
        if k not in certain:
            number, year = group.resolution
            group.fault(
                "resolution_out_of_sequence",
                f"resolution {number} ({year}) at meeting {meeting_of(group)} is out of step "
                "with the resolutions of the meetings around it",
                withhold=["resolution"],
            )


def check_meeting_numbers(groups: Sequence[VoteGroup]) -> None:
    """A vote whose date and resolution are both out of step has, most likely, a wrong
    meeting number (S/PV.5560 for S/PV.5660): blame the meeting number, not them."""
    for group in groups:
        if group.has("date_out_of_sequence") and group.has("resolution_out_of_sequence"):
            group.drop("date_out_of_sequence")
            group.drop("resolution_out_of_sequence")
            group.fault(
                "meeting_out_of_sequence",
                f"meeting {meeting_of(group)}: its date {group.date.isoformat()} and its "
                "resolution are both out of step with the meetings numbered around it",
                withhold=["meeting"],
            )
