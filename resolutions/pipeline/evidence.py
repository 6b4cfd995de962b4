"""Choosing a disputed date by evidence, not by a fixed order of sources. Pure.

When the sources give a draft different dates, each date is weighed by, in turn:

1. whether the record rules it out: the meeting records are numbered in time, so
   a date before an earlier-numbered meeting or after a later-numbered one cannot
   be right, nor a day on which no meeting is recorded in a year whose meetings are
   dated, for a vote whose meeting no source names or whose meeting the record
   dates on another day (but the day after: a night meeting) (:class:`MeetingOrder`);
   many official records outweigh one;
2. the rank of the sources giving it: an official UN publication over a
   third-party compilation (``votes.choices.evidence_of``); the 1946–2021
   reconstruction of the Library's voting data counts as the Library's (see
   :func:`rank`);
3. how many independent sources agree on it;
4. whether it is the date of the draft's own meeting record, as a source other
   than those giving the date dates that meeting;
5. failing all of these, the fixed order of trust of ``merge.PRIORITY``.

:func:`choose` returns the choice with its reason in words; the merge stores that
reason with the disagreement, and the vote's page shows it. Nothing here touches
the database: the loader builds a :class:`MeetingOrder` from the record, or passes
none (then rule 1 and rule 4 have nothing to go on).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from votes.choices import Evidence, Source, evidence_of
from votes.dates import day_text

FIELDS = ("date",)
MEETING_NUMBER = re.compile(r"^S/PV\.(\d+)")

# The rank of what a source's value rests on, strongest first.
OFFICIAL, COMPILED, OTHER = 3, 1, 2
RANK_WORDS = {
    OFFICIAL: "an official UN source",
    OTHER: "starter or deduced data",
    COMPILED: "a third-party compilation",
}


def reconstructed(entry: dict) -> bool:
    return "reconstructed" in str(entry.get("version", "")).lower()


def rank(source: str, entry: dict) -> int:
    """OFFICIAL, OTHER or COMPILED: what a source's value for a draft rests on.

    The 1946–2021 reconstruction of the Library's voting data ranks as the Library's
    own: it rebuilds the dates the Library's catalogue gives each resolution (record
    280321 dates S/RES/338 (1973) 22 October; the meetings table gives 21 October,
    the day its night meeting began). It gives way where the others agree on
    another date or the meeting order rules its date out (S/RES/726 (1992) on
    1 January), but not on rank alone. It dates no meeting in :class:`MeetingOrder`.
    """
    evidence = evidence_of(source)
    if evidence == Evidence.COMPILED:
        return COMPILED
    if evidence == Evidence.OFFICIAL:
        return OFFICIAL
    return OTHER  # starter data, deductions: below the UN's own publications


def meeting_number(symbol) -> int | None:
    match = MEETING_NUMBER.match(symbol) if isinstance(symbol, str) else None
    return int(match.group(1)) if match else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class MeetingOrder:
    """The meetings the official record dates: meeting number -> its date, and which
    sources date it (so that a source is not taken to confirm itself)."""

    def __init__(self, dates: dict[int, date], dated_by: dict[int, set[str]] | None = None):
        self.dates = dict(dates)
        self.dated_by = dated_by or {}
        self.numbers = sorted(self.dates)
        self.days = frozenset(self.dates.values())
        self.years = frozenset(d.year for d in self.days)

    @classmethod
    def from_entries(cls, entries: Iterable[dict]) -> MeetingOrder:
        """From many drafts' ``sources`` dicts: the (meeting, date) pairs that official,
        not reconstructed, sources give; a meeting given two dates is left out."""
        seen: dict[int, set[date]] = {}
        by: dict[int, set[str]] = {}
        for sources in entries:
            for source, entry in (sources or {}).items():
                dated = _officially_dated(source, entry)
                if dated:
                    seen.setdefault(dated[0], set()).add(dated[1])
                    by.setdefault(dated[0], set()).add(source)
        dates = {n: days.pop() for n, days in seen.items() if len(days) == 1}
        return cls(dates, {n: by[n] for n in dates})

    def bounds(self, number: int) -> tuple[tuple[int, date] | None, tuple[int, date] | None]:
        """The nearest dated meetings numbered before and after ``number``."""
        numbers = self.numbers
        at = bisect_left(numbers, number)
        after_at = at + 1 if at < len(numbers) and numbers[at] == number else at
        return self._dated(at - 1), self._dated(after_at)

    def _dated(self, at: int) -> tuple[int, date] | None:
        """The meeting at this place in number order, with its date; None off either end."""
        if not 0 <= at < len(self.numbers):
            return None
        number = self.numbers[at]
        return number, self.dates[number]

    def ruled_out(self, day: date, number: int | None) -> str:
        """Why the record rules a date out for a vote at meeting ``number``, or ''."""
        if number is not None:
            return self._out_of_order(day, number)
        # A vote at a meeting of unknown date may fall on a day no other meeting has.
        if day.year in self.years and day not in self.days:
            return f"no Council meeting is recorded on {day_text(day)}"
        return ""

    def _out_of_order(self, day: date, number: int) -> str:
        """Why the meetings dated either side of ``number`` rule ``day`` out, or ''."""
        before, after = self.bounds(number)
        if before and day < before[1]:
            return f"S/PV.{before[0]}, an earlier meeting, was held on {day_text(before[1])}"
        if after and day > after[1]:
            return f"S/PV.{after[0]}, a later meeting, was held on {day_text(after[1])}"
        return self._away_from_its_meeting(day, number)

    def _away_from_its_meeting(self, day: date, number: int) -> str:
        """A day on which no meeting is recorded, days away from the one on which the
        record dates the vote's own meeting (S/RES/726 (1992) dated 1 January, at
        S/PV.3026 of 6 January). The next day is not ruled out: a night meeting's vote
        is dated the day after it began (S/RES/338 (1973), 22 October at S/PV.1747 of
        21 October)."""
        held = self.dates.get(number)
        if held is None or day in self.days or day.year not in self.years:
            return ""
        if 0 <= (day - held).days <= 1:
            return ""
        return (
            f"no Council meeting is recorded on {day_text(day)}, and S/PV.{number}, "
            f"the meeting of the vote, was held on {day_text(held)}"
        )

    def confirms(self, number: int | None, day: date, supporters: list[str]) -> bool:
        """Whether a source other than ``supporters`` dates meeting ``number`` on ``day``."""
        if number is None or self.dates.get(number) != day:
            return False
        return bool(self.dated_by.get(number, {"another record"}) - set(supporters))


def _officially_dated(source: str, entry: dict) -> tuple[int, date] | None:
    """The (meeting, date) an official, not reconstructed, source entry gives, if both."""
    values = (entry or {}).get("values", {})
    number, day = meeting_number(values.get("meeting")), _day(values.get("date"))
    if number and day and rank(source, entry) == OFFICIAL and not reconstructed(entry):
        return number, day
    return None


@dataclass(frozen=True)
class Choice:
    source: str  # the most trusted source giving the chosen value
    value: str
    reason: str


@dataclass
class _Candidate:
    value: str
    day: date
    supporters: list[str]
    first: int  # its place in the fixed order
    best_rank: int = 0
    ruled_out: str = ""
    own_meeting: bool = False

    def key(self) -> tuple:
        return (
            not self.ruled_out,
            self.best_rank,
            len(self.supporters),
            self.own_meeting,
            -self.first,
        )


def _meeting_of(sources: dict) -> int | None:
    """The draft's meeting number, as most sources give it."""
    numbers = Counter(
        n
        for entry in sources.values()
        if (n := meeting_number((entry or {}).get("values", {}).get("meeting")))
    )
    return numbers.most_common(1)[0][0] if numbers else None


def _candidates(said: dict, sources: dict, order: MeetingOrder | None) -> list[_Candidate]:
    number = _meeting_of(sources)
    found: dict[str, _Candidate] = {}
    for place, (source, value) in enumerate(said.items()):
        day = _day(value)
        if day is None:
            return []  # not a date: nothing to weigh
        candidate = found.setdefault(value, _Candidate(value, day, [], place))
        candidate.supporters.append(source)
        candidate.best_rank = max(candidate.best_rank, rank(source, sources.get(source) or {}))
    for candidate in found.values():
        if order is not None:
            candidate.ruled_out = order.ruled_out(candidate.day, number)
            candidate.own_meeting = order.confirms(number, candidate.day, candidate.supporters)
    return list(found.values())


def choose(
    name: str, said: dict, sources: dict, order: MeetingOrder | None = None, on: date | None = None
):
    """The value of a disputed field chosen by evidence, with its reason; None when the
    sources agree, the field is not weighed here, or a value is not a date. A disputed
    meeting is weighed against the vote's date ``on`` (:func:`choose_meeting`)."""
    if name == "meeting":
        return choose_meeting(said, order, on)
    if name not in FIELDS or len(set(said.values())) < 2:
        return None
    candidates = sorted(_candidates(said, sources, order), key=_Candidate.key, reverse=True)
    if len(candidates) < 2:
        return None
    chosen, runner_up = candidates[0], candidates[1]
    # The most trusted of its strongest supporters gives it (field_sources names it).
    source = next(s for s in chosen.supporters if rank(s, sources.get(s) or {}) == chosen.best_rank)
    return Choice(source, chosen.value, _reason(chosen, runner_up, candidates[1:]))


def choose_meeting(said: dict, order: MeetingOrder | None, on: date | None) -> Choice | None:
    """Of meetings the sources dispute, the most trusted one the record does not date on
    another day than the vote's (S/RES/2423 (2018), 28 June: DGACM's JSON names S/PV.8277,
    a meeting of 6 June; the meetings table S/PV.8298). None where nothing rules the
    most trusted out."""
    if order is None or on is None or len(set(said.values())) < 2:
        return None
    held = {value: _held(order, value, on) for value in set(said.values())}
    standing = [(source, value) for source, value in said.items() if not held[value]]
    first_source, first = next(iter(said.items()))
    first_held = held[first]
    if first_held is None or not standing:
        return None
    source, value = standing[0]
    return Choice(source, value, _meeting_reason(value, first, first_source, first_held, on))


def _meeting_reason(value: str, first: str, first_source: str, held: date, on: date) -> str:
    return (
        f"{value} is shown: {first} ({_names([first_source])}) was held on "
        f"{day_text(held)}, not on {day_text(on)}, the date of the vote."
    )


def _held(order: MeetingOrder, symbol, on: date) -> date | None:
    """The day the record holds a meeting, where that rules it out as the vote's (not
    the vote's day, nor the day before it: a night meeting); else None."""
    number = meeting_number(symbol)
    held = order.dates.get(number) if number is not None else None
    if held is None or 0 <= (on - held).days <= 1:
        return None
    return held


def _names(sources: list[str]) -> str:
    labels = [Source(s).label if s in Source.values else s for s in sources]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _reason(chosen: _Candidate, runner_up: _Candidate, losers: list[_Candidate]) -> str:
    """Why ``chosen`` won, by the first rule that sets it apart from the runner-up."""
    won, lost = day_text(chosen.day), day_text(runner_up.day)
    lead = f"{won} is shown"
    if runner_up.ruled_out and not chosen.ruled_out:
        ruled = "; ".join(f"{day_text(c.day)}: {c.ruled_out}" for c in losers if c.ruled_out)
        return f"{lead}: the record rules out the other date ({ruled})."
    if chosen.best_rank > runner_up.best_rank:
        return (
            f"{lead}: {_names(chosen.supporters)} give it, {RANK_WORDS[chosen.best_rank]}; "
            f"{lost} rests only on {RANK_WORDS[runner_up.best_rank]} "
            f"({_names(runner_up.supporters)})."
        )
    if len(chosen.supporters) > len(runner_up.supporters):
        return (
            f"{lead}: {len(chosen.supporters)} independent sources agree on it "
            f"({_names(chosen.supporters)}), against {len(runner_up.supporters)} for {lost}."
        )
    if chosen.own_meeting and not runner_up.own_meeting:
        return (
            f"{lead}: it is the date of the meeting record at which the vote was taken, "
            "as another source dates that meeting."
        )
    return (
        f"{lead}: the sources for {won} and {lost} weigh the same, so the one most "
        f"trusted for dates ({_names(chosen.supporters[:1])}) is followed."
    )


def explained(disagreements: list[dict], choice: Choice | None) -> list[dict]:
    """The disagreements with the choice's reason stored as their detail."""
    if choice is None:
        return disagreements
    return [
        {**d, "detail": f"{d['detail']} {choice.reason}".strip()}
        if d.get("field") in (*FIELDS, "meeting")
        else d
        for d in disagreements
    ]
