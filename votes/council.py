"""Seat limits: who can sit on the Council on any date.

On any date at most 11 members sit (up to 1965) or 15 (from 1966), and exactly
five of them are permanent. Terms are checked here, one at a time (admin,
editors) or as a whole set (importers). Pure: the terms to check are handed in
(``MembershipTerm.clean`` reads them from the database).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Protocol

from votes.choices import TermKind
from votes.dates import day_text
from votes.outcome import ENLARGEMENT, council_size

PERMANENT_SEATS = 5


class TermLike(Protocol):
    # Read-only properties, so that a model (whose fields mypy sees as wider on
    # assignment) and the calendar's plain records both fit.
    @property
    def state_id(self) -> int | None: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date | None: ...
    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class Span:
    state: object
    start: date
    end: date | None
    permanent: bool

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


def _span(term: TermLike, state: object | None = None) -> Span:
    return Span(
        state=state if state is not None else term.state_id,
        start=term.start,
        end=term.end,
        permanent=term.kind == TermKind.PERMANENT,
    )


def _breakpoints(spans: Iterable[Span], lo: date, hi: date | None) -> list[date]:
    """Dates inside [lo, hi] where the sitting membership can change."""
    points = {lo, ENLARGEMENT}
    for span in spans:
        points.add(span.start)
        if span.end is not None:
            points.add(span.end + timedelta(days=1))
    return sorted(p for p in points if p >= lo and (hi is None or p <= hi))


def seat_problems(spans: list[Span], lo: date, hi: date | None, *, exact: bool) -> list[str]:
    """Dates in [lo, hi] where the membership breaks the Charter's limits.

    ``exact`` also requires five permanent members (a complete set of terms);
    without it only "too many" is an error, so terms can be entered one by one.
    """
    return [
        problem
        for on in _breakpoints(spans, lo, hi)
        for problem in _problems_on(on, [s for s in spans if s.covers(on)], exact=exact)
    ]


def _problems_on(on: date, sitting: list[Span], *, exact: bool) -> list[str]:
    """The Charter's limits on one day: seats, and the five permanent members."""
    problems = []
    permanent = sum(s.permanent for s in sitting)
    limit = council_size(on)
    if len(sitting) > limit:
        problems.append(
            f"On {day_text(on)}, {len(sitting)} members would sit; "
            f"the Council then had {limit} seats."
        )
    if permanent > PERMANENT_SEATS or (exact and sitting and permanent != PERMANENT_SEATS):
        problems.append(
            f"On {day_text(on)}, {permanent} permanent members would sit; "
            f"there are exactly {PERMANENT_SEATS}."
        )
    return problems


def check_terms(terms: Iterable[TermLike], *, key=None) -> list[str]:
    """Every problem in a complete set of terms (overlaps and seat limits)."""
    spans = [_span(t, key(t) if key else None) for t in terms]
    problems = _overlaps(spans)
    if spans:
        lo = min(s.start for s in spans)
        problems += seat_problems(spans, lo, None, exact=True)
    return problems


def _overlaps(spans: list[Span]) -> list[str]:
    problems = []
    by_state: dict[object, list[Span]] = {}
    for span in spans:
        by_state.setdefault(span.state, []).append(span)
    for state, own in by_state.items():
        own.sort(key=lambda s: s.start)
        for before, after in pairwise(own):
            if before.end is None or before.end >= after.start:
                problems.append(
                    f"{state} has overlapping terms starting {before.start} and {after.start}."
                )
    return problems


def new_term_problems(term: TermLike, existing: Iterable) -> list[str]:
    """Problems that adding (or changing) one term would cause beside ``existing``.

    ``existing`` holds the other terms that share a day with it, each with its
    ``state`` (``MembershipTerm.objects.overlapping``).
    """
    existing = list(existing)
    problems = [
        f"{other.state} already has a term from {other.start} to {other.end or 'the present'}."
        for other in existing
        if other.state_id == term.state_id
    ]
    spans = [_span(t) for t in existing] + [_span(term)]
    problems += seat_problems(spans, term.start, term.end, exact=False)
    return problems
