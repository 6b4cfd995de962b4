"""The Council's membership held in memory, for work over many dates at once.

Importers and the outcome refresh look up thousands of dates; querying
``MembershipTerm.objects.on(date)`` for each would be a query per row. This
loads the terms and names once and answers with the same rule as that query
(``MembershipTerm.covers``): a member sits on a date inside one of its terms.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from votes.models import MembershipTerm, MemberState, MemberStateName
from votes.seats import seat_sort_key


@dataclass(frozen=True)
class Seat:
    """A member sitting on a given date."""

    state_id: int
    code: str
    name: str
    seat: str | None  # permanent seat code, or None for an elected member
    seat_id: int | None = None


class CouncilCalendar:
    def __init__(self):
        self.states = {s.pk: s for s in MemberState.objects.all()}
        self.by_code = {s.code: s for s in self.states.values()}
        self.terms = list(MembershipTerm.objects.select_related("seat").order_by("start"))
        self.terms_of: dict[int, list[MembershipTerm]] = defaultdict(list)
        for term in self.terms:
            self.terms_of[term.state_id].append(term)
        self._of_year, self._open = _by_year(self.terms)
        self.names: dict[int, list[MemberStateName]] = defaultdict(list)
        for name in MemberStateName.objects.all():
            self.names[name.state_id].append(name)
        self._cache: dict[date, tuple[Seat, ...]] = {}
        self._seats_of: dict[date, dict[int, Seat]] = {}

    def name_on(self, state_id: int, on: date) -> str:
        for historical in self.names.get(state_id, ()):
            if historical.covers(on):
                return historical.name
        return self.states[state_id].name

    def term_of(self, state_id: int, on: date) -> MembershipTerm | None:
        """The state's term covering a date, or None on a day it did not sit."""
        for term in self.terms_of.get(state_id, ()):
            if term.covers(on):
                return term
        return None

    def sitting(self, on: date) -> tuple[Seat, ...]:
        """The members on a date, permanent members first in seat order."""
        if on not in self._cache:
            seats = [
                Seat(
                    state_id=t.state_id,
                    code=self.states[t.state_id].code,
                    name=self.name_on(t.state_id, on),
                    seat=t.seat.code if t.seat is not None else None,
                    seat_id=t.seat_id,
                )
                for t in self._terms_in(on.year)
                if t.covers(on)
            ]
            seats.sort(key=lambda s: (s.seat is None, seat_sort_key(s.seat or ""), s.name))
            self._cache[on] = tuple(seats)
        return self._cache[on]

    def _terms_in(self, year: int) -> list[MembershipTerm]:
        """The terms that may cover a day of the year, in the order of ``terms``."""
        return [self.terms[i] for i in sorted([*self._of_year.get(year, ()), *self._open])]

    def seat_of(self, state_id: int, on: date) -> Seat | None:
        if on not in self._seats_of:
            # A sync asks for every vote (90,000): each member's seat of the day, once.
            first: dict[int, Seat] = {}
            for seat in self.sitting(on):
                first.setdefault(seat.state_id, seat)
            self._seats_of[on] = first
        return self._seats_of[on].get(state_id)

    def holder(self, seat_code: str, on: date) -> Seat | None:
        for seat in self.sitting(on):
            if seat.seat == seat_code:
                return seat
        return None


def _by_year(terms: list[MembershipTerm]) -> tuple[dict[int, list[int]], list[int]]:
    """The terms that may cover a day of each year, and those that have not ended, by
    their place in ``terms``: a sync dates 6,000 votes, and the 389 terms need not all
    be looked at for each."""
    of_year: dict[int, list[int]] = defaultdict(list)
    still_open: list[int] = []
    for i, term in enumerate(terms):
        if term.end is None:
            still_open.append(i)
        else:
            for year in range(term.start.year, term.end.year + 1):
                of_year[year].append(i)
    return of_year, still_open
