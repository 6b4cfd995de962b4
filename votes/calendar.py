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
        self.names: dict[int, list[MemberStateName]] = defaultdict(list)
        for name in MemberStateName.objects.all():
            self.names[name.state_id].append(name)
        self._cache: dict[date, tuple[Seat, ...]] = {}

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
                for t in self.terms
                if t.covers(on)
            ]
            seats.sort(key=lambda s: (s.seat is None, seat_sort_key(s.seat or ""), s.name))
            self._cache[on] = tuple(seats)
        return self._cache[on]

    def seat_of(self, state_id: int, on: date) -> Seat | None:
        for seat in self.sitting(on):
            if seat.state_id == state_id:
                return seat
        return None

    def holder(self, seat_code: str, on: date) -> Seat | None:
        for seat in self.sitting(on):
            if seat.seat == seat_code:
                return seat
        return None
