"""`make run` fills an empty database once, and never touches a filled one."""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft
from votes.models import MembershipTerm, MemberState

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("load_initial_data", stdout=out)
    return out.getvalue()


def test_empty_database_gets_the_seed_case_and_the_2022_council():
    output = run()
    assert "S/2022/431 (13–2–0, vetoed by China and the Russian Federation)" in output
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    assert draft.date.isoformat() == "2022-05-26"  # the vote, not the article's 2024 date
    assert draft.meeting.symbol == "S/PV.9048"
    sitting = MemberState.objects.sitting_on(draft.date)
    assert sorted(sitting.values_list("name", flat=True)) == sorted(
        [
            "Albania",
            "Brazil",
            "China",
            "France",
            "Gabon",
            "Ghana",
            "India",
            "Ireland",
            "Kenya",
            "Mexico",
            "Norway",
            "Russian Federation",
            "United Arab Emirates",
            "United Kingdom",
            "United States",
        ]
    )
    assert MembershipTerm.objects.on(draft.date).permanent().count() == 5


def test_a_database_with_votes_is_left_alone():
    run()
    before = Draft.objects.count()
    output = run()
    assert "nothing loaded" in output
    assert Draft.objects.count() == before
