"""`make run` fills an empty database with the data release, and says what a filled one holds."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft, SourceImport
from resolutions.release import default_dir
from votes.models import MembershipTerm, MemberState, MemberVote

pytestmark = pytest.mark.django_db

COMMITTED = json.loads((default_dir() / "datapackage.json").read_text())
ROWS = {r["name"]: r["sc_votes:rows"] for r in COMMITTED["resources"]}


def run(**options) -> str:
    out = StringIO()
    call_command("load_initial_data", stdout=out, **options)
    return out.getvalue()


def test_a_fresh_database_gets_the_data_release_offline(settings):
    settings.UN_DATA_DIR = ""
    settings.SC_VOTES_DATA = "release"

    output = run()

    assert f"Loaded data release {COMMITTED['version']}: {ROWS['drafts']:,} votes" in output
    assert "from 25 January 1946 to" in output
    assert "sync_un_data" in output  # how to refresh from the official sources
    assert Draft.objects.count() == ROWS["drafts"]
    assert MemberVote.objects.count() == ROWS["member_votes"]
    assert SourceImport.objects.count() == ROWS["sources"]
    latest = Draft.objects.published().newest_first().first()
    assert latest.date.year == 2026


def test_the_starter_data_on_request(settings):
    settings.UN_DATA_DIR = ""
    settings.SC_VOTES_DATA = "starter"
    output = run()
    assert "S/2022/431 (13–2–0, vetoed by China and the Russian Federation)" in output
    assert "make reset-data" in output  # how to get the full record
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


def test_switching_from_the_starter_data_says_how(settings):
    settings.UN_DATA_DIR = ""
    settings.SC_VOTES_DATA = "starter"
    run()
    settings.SC_VOTES_DATA = "release"

    output = run()

    assert "holds the starter data (SC_VOTES_DATA=starter), not the full record" in output
    assert "make reset-data" in output
    assert Draft.objects.count() == 1

    output = run(replace=True)

    assert "Emptying the database, which held the starter data." in output
    assert Draft.objects.count() == ROWS["drafts"]


def test_a_filled_database_is_left_alone_and_described(settings):
    settings.UN_DATA_DIR = ""
    settings.SC_VOTES_DATA = "release"
    run()

    output = run()

    assert f"holds a record of {ROWS['drafts']:,} votes from 25 January 1946" in output
    assert "nothing loaded" in output
    assert "sync_un_data" in output
    assert Draft.objects.count() == ROWS["drafts"]

    settings.SC_VOTES_DATA = "starter"
    output = run()
    assert "SC_VOTES_DATA=starter make reset-data" in output
    assert Draft.objects.count() == ROWS["drafts"]


def test_download_falls_back_on_the_release_when_offline(settings):
    settings.UN_DATA_DIR = ""
    settings.SC_VOTES_DATA = "download"
    output = run(timeout=1)
    assert "Could not download the official record" in output
    assert "offline" in output
    assert f"Loaded data release {COMMITTED['version']}" in output
    assert Draft.objects.count() == ROWS["drafts"]


@pytest.mark.realdata
def test_un_data_dir_syncs_from_local_copies_without_network(settings, shared_data, tmp_path):
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
    assert "Could not" not in output
    # The two sources, and the deduced votes every sync recomputes after them.
    assert set(SourceImport.objects.values_list("source", flat=True)) == {
        "dppa",
        "undl",
        "deduced",
    }

    # Run again (make run twice): the copies are merged on top, nothing duplicated.
    output = run()
    assert f"holds a record of {len(resolutions)} votes" in output
    assert "nothing changed" in output
    assert Draft.objects.count() == len(resolutions)
