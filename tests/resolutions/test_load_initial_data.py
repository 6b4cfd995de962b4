"""`make run` fills an empty database once, and never touches a filled one."""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft, SourceImport
from votes.models import MembershipTerm, MemberState

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = StringIO()
    call_command("load_initial_data", stdout=out, **options)
    return out.getvalue()


def test_offline_first_start_falls_back_to_the_starter_data(settings):
    settings.UN_DATA_DIR = ""
    output = run(timeout=1)
    assert "Could not load the official record" in output
    assert "offline" in output
    assert "S/2022/431 (13–2–0, vetoed by China and the Russian Federation)" in output
    assert "sync_un_data --from-dir" in output  # how to load the full record later
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
    assert not SourceImport.objects.exists()


@pytest.mark.realdata
def test_un_data_dir_loads_the_official_record_without_network(settings, shared_data, tmp_path):
    # A folder laid out like ../shared/data, holding two of its sources.
    (tmp_path / "dppa_sc_membership").mkdir()
    (tmp_path / "undl_sc_voting").mkdir()
    membership = shared_data / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"
    voting = shared_data / "undl_sc_voting" / "2026_02_06_sc_voting_EXCERPT.csv"
    (tmp_path / "dppa_sc_membership" / membership.name).symlink_to(membership)
    (tmp_path / "undl_sc_voting" / voting.name).symlink_to(voting)
    settings.UN_DATA_DIR = str(tmp_path)

    output = run()

    resolutions = {line.split(",")[6] for line in voting.read_text().splitlines()[1:]}
    assert Draft.objects.count() == len(resolutions)
    assert not Draft.objects.filter(draft_symbol="S/2022/431").exists()  # no starter data
    assert "Could not load" not in output
    assert set(SourceImport.objects.values_list("source", flat=True)) == {"dppa", "undl"}


def test_a_database_with_votes_is_left_alone(settings):
    settings.UN_DATA_DIR = ""
    run(timeout=1)
    before = Draft.objects.count()
    output = run()
    assert "nothing loaded" in output
    assert Draft.objects.count() == before
