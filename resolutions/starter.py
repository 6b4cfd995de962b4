"""The starter data: the 2022 Council and the reference case, draft S/2022/431.

Loaded by ``manage.py load_initial_data`` when the database is empty and the
official record cannot be loaded, so that a newcomer sees a real vote at once.
Facts from ../shared/docs/domain.md. Mind the date trap: the vote was on
Thursday 26 May 2022, not 14 April 2024 (an article's publication date).
"""

from datetime import date

from django.db import transaction

from resolutions.models import AgendaItem, Draft, Meeting
from resolutions.outcomes import refresh_outcomes
from votes.calendar import CouncilCalendar
from votes.choices import Modality, Position, Source, TermKind
from votes.models import MembershipTerm, MemberState, MemberVote
from votes.reference.load import load_reference_data
from votes.seating import place_votes

# The ten elected members of 2022 and their two-year terms.
ELECTED_2022 = {
    "IND": 2021,
    "IRL": 2021,
    "KEN": 2021,
    "MEX": 2021,
    "NOR": 2021,
    "ALB": 2022,
    "BRA": 2022,
    "GAB": 2022,
    "GHA": 2022,
    "ARE": 2022,
}
VOTE_DATE = date(2022, 5, 26)
AGAINST = {"CHN", "RUS"}


@transaction.atomic
def load_starter_data() -> Draft:
    load_reference_data()
    states = MemberState.objects.in_bulk(ELECTED_2022, field_name="code")
    for code, first_year in ELECTED_2022.items():
        MembershipTerm.objects.get_or_create(
            state=states[code],
            start=date(first_year, 1, 1),
            defaults={
                "end": date(first_year + 1, 12, 31),
                "kind": TermKind.ELECTED,
                "source": Source.SEED,
            },
        )

    meeting, _ = Meeting.objects.get_or_create(
        symbol="S/PV.9048", defaults={"number": 9048, "date": VOTE_DATE}
    )
    agenda, _ = AgendaItem.objects.get_or_create(
        name="Non-proliferation – Democratic People's Republic of Korea"
    )
    draft, created = Draft.objects.get_or_create(
        draft_symbol="S/2022/431",
        date=VOTE_DATE,
        defaults={
            "meeting": meeting,
            "press_release": "SC/14911",
            "title": "Draft resolution on non-proliferation: Democratic People's Republic of Korea",
            "agenda_item": agenda,
            "modality": Modality.RECORDED_VOTE,
            "source": Source.SEED,
            "is_published": True,
            "recorded_yes": 13,
            "recorded_no": 2,
            "recorded_abstain": 0,
            "recorded_non_voting": 0,
            "recorded_members": 15,
            "field_sources": {"*": Source.SEED},
        },
    )
    if created:
        calendar = CouncilCalendar()
        votes = [
            MemberVote(
                draft=draft,
                state_id=seat.state_id,
                position=Position.NO if seat.code in AGAINST else Position.YES,
                source=Source.SEED,
            )
            for seat in calendar.sitting(VOTE_DATE)
        ]
        place_votes(votes, calendar)
        MemberVote.objects.bulk_create(votes)
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    return draft
