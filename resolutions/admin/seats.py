"""The one place the admin writes a member vote's seat and its name on the day.

Every save of a vote names the member as it was called on the vote's date, with
the permanent seat it held then (``votes.calendar.CouncilCalendar``). Kept here,
in one pair of functions, so that it can give way to the project's single writer
of seats and names (``votes/seating.py``).
"""

from __future__ import annotations

from datetime import date

from resolutions.models import Draft
from votes.calendar import CouncilCalendar
from votes.models import MemberVote


def seat_vote(vote: MemberVote, state_id: int, on: date, calendar: CouncilCalendar) -> bool:
    """Name an (unsaved) vote and its seat as on ``on``; whether anything changed."""
    seat = calendar.seat_of(state_id, on)
    if seat is None or (vote.name_at_vote, vote.seat_id) == (seat.name, seat.seat_id):
        return False
    vote.name_at_vote, vote.seat_id = seat.name, seat.seat_id
    return True


def rename_votes(draft: Draft) -> None:
    """After a date change, name each member and its seat as on the new date."""
    calendar = CouncilCalendar()
    for vote in MemberVote.objects.filter(draft=draft):
        if seat_vote(vote, vote.state_id, draft.date, calendar):
            vote.save()
