"""What the Council allows in a vote's member-by-member list: who sat that day, who is
missing, who is listed twice, and whether the positions add up to the totals.

One set of rules for the editors' admin and every importer (``resolutions/rules.py``
adds what a draft becomes). Each check is a small named function returning the
problems it finds, in plain words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from votes.calendar import CouncilCalendar, Seat
from votes.outcome import Tally


def day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Row:
    """One member's line as entered; position is "" when none was chosen."""

    state_id: int
    name: str
    position: str
    non_voting: str = ""


@dataclass(frozen=True)
class Recorded:
    """What a source (or the editor) recorded besides the member votes."""

    tally: Tally | None = None
    non_voting: int | None = None
    members: int | None = None
    roll_call: bool = True  # a recorded vote, not "without a vote"


def council_problems(
    on: date,
    rows: list[Row],
    recorded: Recorded,
    calendar: CouncilCalendar,
    *,
    as_recorded: bool = False,
) -> tuple[list[str], tuple[Seat, ...], list[str]]:
    """What is wrong with a list of member votes cast on ``on``, in plain words,
    the members who sat that day (permanent members first), and the gaps
    accepted ``as_recorded``.

    ``as_recorded``: when recorded totals are given, a member with no vote and
    positions that do not add up to the totals are accepted and returned as gaps,
    not problems. The official sources have such gaps (DGACM's record of S/RES/2797
    (2025) lists 14 votes, Algeria took no part; the Library's S/RES/1966 (2010)
    has no row for Mexico though its totals are 14-0-1), and the vote's page shows
    them as disputed. import_votes passes it, so that a full export loads again;
    the admin never does: there an editor marks such a member "Not present" and
    makes the totals agree.
    """
    sitting = calendar.sitting(on)
    problems = [
        *listed_twice(rows),
        *no_membership(on, rows, sitting),
        *not_sitting(on, rows, sitting),
    ]
    gaps = [*missing_votes(on, rows, sitting, recorded), *totals_disagree(rows, sitting, recorded)]
    accepted = []
    if as_recorded and recorded.tally is not None:
        accepted = gaps
    else:
        problems += gaps
    # Never gaps in the record: more votes, or members, than sat is impossible.
    problems += too_many_counted(on, sitting, recorded)
    problems += wrong_member_count(on, sitting, recorded)
    return problems, sitting, accepted


def listed_twice(rows: list[Row]) -> list[str]:
    problems = []
    for state_id, times in Counter(r.state_id for r in rows).items():
        if times > 1:
            name = next(r.name for r in rows if r.state_id == state_id)
            problems.append(f"{name} is listed {times} times: keep one row per member.")
    return problems


def no_membership(on: date, rows: list[Row], sitting: tuple[Seat, ...]) -> list[str]:
    if rows and not sitting:
        return [f"No Council membership is recorded for {day(on)}: add the membership terms first."]
    return []


def not_sitting(on: date, rows: list[Row], sitting: tuple[Seat, ...]) -> list[str]:
    if not sitting:
        return []  # said once by no_membership, not once per member
    seated = {s.state_id for s in sitting}
    names = sorted({r.name for r in rows if r.state_id not in seated})
    return [f"{name} was not on the Council on {day(on)}." for name in names]


def _missing(rows: list[Row], sitting: tuple[Seat, ...]) -> list[str]:
    """The members who sat but have no position."""
    entered = {r.state_id for r in rows if r.position}
    return [s.name for s in sitting if s.state_id not in entered]


def missing_votes(
    on: date, rows: list[Row], sitting: tuple[Seat, ...], recorded: Recorded
) -> list[str]:
    missing = _missing(rows, sitting)
    if not (rows and missing and recorded.roll_call):
        return []
    one = len(missing) == 1
    return [
        f"{join_words(missing)} {'was' if one else 'were'} on the Council on {day(on)} but "
        f"{'has' if one else 'have'} no vote: give {'its' if one else 'each one’s'} "
        "position, or mark it “Not present”."
    ]


def totals_disagree(rows: list[Row], sitting: tuple[Seat, ...], recorded: Recorded) -> list[str]:
    """The positions against the recorded totals, once every member has one."""
    given = [r for r in rows if r.position]
    if recorded.tally is None or not given or _missing(rows, sitting):
        return []
    counted = Tally.count(r.position for r in given)
    wanted = recorded.tally
    if str(counted) == str(wanted) and recorded.non_voting in (None, counted.non_voting):
        return []
    return [
        f"The positions add up to {counted} ({counted.non_voting} not voting), "
        f"but the recorded totals are {wanted} ({wanted.non_voting} not voting): "
        "correct the positions or the totals."
    ]


def too_many_counted(on: date, sitting: tuple[Seat, ...], recorded: Recorded) -> list[str]:
    tally = recorded.tally
    if tally is None or not sitting or tally.members <= len(sitting):
        return []
    return [
        f"The recorded totals count {tally.members} members "
        f"({tally}, {tally.non_voting} not voting), "
        f"but {len(sitting)} sat on the Council on {day(on)}."
    ]


def wrong_member_count(on: date, sitting: tuple[Seat, ...], recorded: Recorded) -> list[str]:
    if not (recorded.members and sitting) or recorded.members == len(sitting):
        return []
    return [
        f"The recorded number of members is {recorded.members}, "
        f"but {len(sitting)} sat on the Council on {day(on)}."
    ]
