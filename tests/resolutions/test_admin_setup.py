"""Shared set-up for the admin tests: Councils, editors, and the draft form's POST.

Imported by the ``test_admin_*`` modules; it holds no tests itself.
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from resolutions.management.commands.create_editor import editors_group
from resolutions.models import Draft
from resolutions.starter import ELECTED_2022
from votes.calendar import CouncilCalendar
from votes.choices import Source, TermKind
from votes.models import MembershipTerm, MemberState
from votes.reference.load import load_reference_data

VOTE_DATE = date(2022, 5, 26)
PREFIX = "member_votes"
PASSWORD = "a-long-test-password"
# Six elected members of 1960 (an 11-member Council), for a second Council size.
ELECTED_1960 = {"ARG": 1959, "ITA": 1959, "TUN": 1959, "LKA": 1960, "ECU": 1960, "POL": 1960}


def elected_terms(first_years: dict[str, int]) -> None:
    states = MemberState.objects.in_bulk(first_years, field_name="code")
    for code, first_year in first_years.items():
        MembershipTerm.objects.get_or_create(
            state=states[code],
            start=date(first_year, 1, 1),
            defaults={
                "end": date(first_year + 1, 12, 31),
                "kind": TermKind.ELECTED,
                "source": Source.SEED,
            },
        )


def load_council_2022() -> None:
    """The reference data and the ten elected members of 2022, as the starter loads
    them, but not the seed draft: the editor enters it."""
    load_reference_data()
    elected_terms(ELECTED_2022)


def make_editor(username: str = "editor", password: str = PASSWORD):
    user = get_user_model().objects.create_user(username, password=password, is_staff=True)
    user.groups.add(editors_group())
    return user


def vote_rows(on: date, positions: dict[str, str] | None = None, default: str = "Y"):
    """One row per member sitting on ``on``, as the form posts them (codes -> positions)."""
    positions = positions or {}
    return [
        {
            "state": seat.state_id,
            "name_at_vote": seat.name,
            "permanent": "1" if seat.seat else "",
            "position": positions.get(seat.code, default),
            "non_voting": "",
            "note": "",
        }
        for seat in CouncilCalendar().sitting(on)
    ]


def form_data(fields: dict, rows: list[dict], initial_forms: int = 0) -> dict:
    """A POST of the draft form: booleans as checkboxes, lists as repeated values."""
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(rows)),
        f"{PREFIX}-INITIAL_FORMS": str(initial_forms),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for key, value in fields.items():
        if value is None or value is False:
            continue
        data[key] = "on" if value is True else value if isinstance(value, list) else str(value)
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is not None:
                data[f"{PREFIX}-{index}-{key}"] = str(value)
    return data


def new_draft_post(rows: list[dict], **fields) -> dict:
    """The add form for S/2022/431 at S/PV.9048, with ``fields`` overriding."""
    base = {
        "date": VOTE_DATE.isoformat(),
        "draft_symbol": "S/2022/431",
        "meeting_symbol": "S/PV.9048",
        "modality": "vote",
        "title": "Non-proliferation: Democratic People's Republic of Korea",
    }
    return form_data({**base, **fields}, rows)


def change_post(draft: Draft, positions: dict[str, str] | None = None, **fields) -> dict:
    """The change form of ``draft`` as an editor would submit it after loading it now,
    with ``positions`` (state code -> position) and ``fields`` changed."""
    positions = positions or {}
    draft = Draft.objects.select_related("meeting").get(pk=draft.pk)
    current = {
        "date": draft.date.isoformat(),
        "draft_symbol": draft.draft_symbol,
        "meeting_symbol": draft.meeting.symbol if draft.meeting else "",
        "resolution_number": draft.resolution_number,
        "resolution_year": draft.resolution_year,
        "press_release": draft.press_release,
        "title": draft.title,
        "description": draft.description,
        "agenda_item": draft.agenda_item_id,
        "modality": draft.modality,
        "procedural": draft.procedural,
        "party_to_dispute_abstained": draft.party_to_dispute_abstained,
        "recorded_yes": draft.recorded_yes,
        "recorded_no": draft.recorded_no,
        "recorded_abstain": draft.recorded_abstain,
        "recorded_non_voting": draft.recorded_non_voting,
        "recorded_members": draft.recorded_members,
        "recorded_outcome": draft.recorded_outcome,
        "recorded_vetoed_by": list(draft.recorded_vetoed_by or []),
        "is_published": draft.is_published,
        "loaded_version": draft.version,
    }
    rows = [
        {
            "id": vote.pk,
            "draft": draft.pk,
            "state": vote.state_id,
            "name_at_vote": vote.name_at_vote,
            "permanent": "1" if vote.seat_id else "",
            "position": positions.get(vote.state.code, vote.position),
            "non_voting": vote.non_voting,
            "note": vote.note,
        }
        for vote in draft.member_votes.select_related("state").order_by("pk")
    ]
    return form_data({**current, **fields}, rows, initial_forms=len(rows))


def add_url() -> str:
    return reverse("admin:resolutions_draft_add")


def change_url(draft: Draft) -> str:
    return reverse("admin:resolutions_draft_change", args=[draft.pk])


def errors_of(response) -> list[str]:
    """Every error message on a re-displayed admin form, in plain text."""
    messages = []
    context = response.context
    messages += [str(e) for e in context["adminform"].form.non_field_errors()]
    for name, errors in context["adminform"].form.errors.items():
        if name != "__all__":
            messages += [str(e) for e in errors]
    for formset in context["inline_admin_formsets"]:
        messages += [str(e) for e in formset.formset.non_form_errors()]
        for form in formset.formset.forms:
            for errors in form.errors.values():
                messages += [str(e) for e in errors]
    return messages


def enter_seed_vote(client, **fields) -> Draft:
    """The editor enters S/2022/431 through the add form: China and Russia against."""
    rows = vote_rows(VOTE_DATE, {"CHN": "N", "RUS": "N"})
    response = client.post(add_url(), new_draft_post(rows, **fields))
    assert response.status_code == 302, errors_of(response)
    return Draft.objects.get(draft_symbol="S/2022/431")


@pytest.fixture
def council_2022(db):
    load_council_2022()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
