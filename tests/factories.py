"""Small builders for test data. Real data comes from ../shared/data instead."""

from datetime import date

from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from votes.calendar import CouncilCalendar
from votes.choices import Position, Source
from votes.models import MemberVote
from votes.seating import place_votes


def recorded_draft(on: date, positions: dict[str, str] | None = None, **fields) -> Draft:
    """A published draft voted on `on`, every sitting member voting yes unless given."""
    positions = positions or {}
    fields.setdefault("is_published", True)
    fields.setdefault("source", Source.SEED)
    draft = Draft.objects.create(date=on, **fields)
    calendar = CouncilCalendar()
    votes = [
        MemberVote(
            draft=draft, state_id=seat.state_id, position=positions.get(seat.code, Position.YES)
        )
        for seat in calendar.sitting(on)
    ]
    place_votes(votes, calendar)
    MemberVote.objects.bulk_create(votes)
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    return draft
