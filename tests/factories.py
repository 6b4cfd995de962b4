"""Small builders for test data. Real data comes from ../shared/data instead."""

from datetime import date

from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from votes.calendar import CouncilCalendar
from votes.choices import Position, Source
from votes.models import MemberVote
from votes.seating import place_votes


def recorded_draft(
    on: date,
    positions: dict[str, str] | None = None,
    *,
    calendar: CouncilCalendar | None = None,
    refresh: bool = True,
    **fields,
) -> Draft:
    """A published draft voted on `on`, every sitting member voting yes unless given.

    To build many, pass one `calendar` and ``refresh=False``, then call
    refresh_outcomes once for them all (tests/resolutions/test_pages_data.py).
    """
    positions = positions or {}
    fields.setdefault("is_published", True)
    fields.setdefault("source", Source.SEED)
    draft = Draft.objects.create(date=on, **fields)
    calendar = calendar or CouncilCalendar()
    votes = [
        MemberVote(
            draft=draft, state_id=seat.state_id, position=positions.get(seat.code, Position.YES)
        )
        for seat in calendar.sitting(on)
    ]
    place_votes(votes, calendar)
    MemberVote.objects.bulk_create(votes)
    if refresh:
        refresh_outcomes([draft.pk])
        draft.refresh_from_db()
    return draft
