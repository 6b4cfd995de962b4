"""Rules the merge follows on the real record, each checked against the source files.

The numbers are recounted here from the files (csv, json, regexes), never
copied from a run of the importer.
"""

import csv
import gzip
import itertools
import json
import re
from datetime import date

import pytest

from resolutions.models import Disagreement, Draft
from votes import analytics
from votes.choices import Modality, Outcome, Source

pytestmark = pytest.mark.realdata


def resolution_numbers(shared_data) -> set[int]:
    """Every resolution number any source names as adopted."""
    numbers = set()
    voting = shared_data / "undl_sc_voting"
    with gzip.open(voting / "reconstructed_1946_2021_DERIVED.csv.gz", "rt", encoding="utf-8") as f:
        numbers |= {int(r["resolution"].split("/")[2].split("(")[0]) for r in csv.DictReader(f)}
    with (voting / "2026_02_06_sc_voting_EXCERPT.csv").open(encoding="utf-8") as f:
        numbers |= {int(r["resolution"].split("/")[2].split("(")[0]) for r in csv.DictReader(f)}
    for path in (shared_data / "unxml_sc_resolutions" / "data_extract").glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                numbers.add(int(re.search(r"S/RES/(\d+)", json.loads(line)["symbol"]).group(1)))
    for path in (shared_data / "dhl_meetings_tables").glob("scact[0-9]*_table_en.htm*"):
        text = path.read_text(encoding="utf-8", errors="replace")
        numbers |= {int(n) for n in re.findall(r"S/RES/(\d+)\s*\(\d{4}\)", text)}
    return numbers


def test_only_numbered_resolutions_count_as_adopted(history, shared_data):
    numbers = resolution_numbers(shared_data)
    # Resolutions only a compilation gives are checked in test_full_load.
    adopted = Draft.objects.published().officially_recorded().filter(outcome=Outcome.ADOPTED)
    assert set(adopted.values_list("resolution_number", flat=True)) == numbers
    assert adopted.count() == len(numbers)  # no draft without a number counted adopted


def test_a_statement_its_own_tally_contradicts_decides_nothing(history):
    # The 1962 table: "Draft resolution S/5095 not adopted 7-2-1", and 7 was the
    # majority then. Neither is relied on; both are shown.
    draft = Draft.objects.get(draft_symbol="S/5095")
    assert draft.outcome == Outcome.UNKNOWN
    assert draft.outcome_disputed
    assert draft.sources["dhl_meetings"]["values"]["tally_text"] == "7-2-1"


def test_totals_over_fewer_members_than_sat_yield_to_complete_ones(history, shared_data):
    text = (shared_data / "dhl_meetings_tables" / "scact2010_table_en.html").read_text(
        encoding="utf-8", errors="replace"
    )
    written = re.search(r"S/RES/1966 \(2010\).{0,200}?(\d+-\d+-\d+)", text, re.S).group(1)
    draft = Draft.objects.get(resolution_number=1966)
    assert str(draft.tally).replace("–", "-") == written  # 14-0-1, not the file's 14 rows
    # Mexico's vote is not in the voting data: its 14 rows count 13 in favour beside the
    # recorded 14, so Mexico's yes is deduced, labelled so, and the flag stays.
    assert draft.member_votes.exclude(source=Source.DEDUCED).count() == 14
    (deduced,) = draft.member_votes.filter(source=Source.DEDUCED).select_related("state")
    assert (deduced.state.code, deduced.position) == ("MEX", "Y")
    assert draft.disagreements.filter(field=Disagreement.TOTALS_VS_VOTES).exists()


def test_a_duplicate_listing_keeps_the_row_that_agrees_with_the_other_sources(history, shared_data):
    # The 1990 table lists S/RES/663 twice; the voting data dates it 14 August.
    with gzip.open(
        shared_data / "undl_sc_voting" / "reconstructed_1946_2021_DERIVED.csv.gz", "rt"
    ) as f:
        day = next(r["date"] for r in csv.DictReader(f) if r["resolution"] == "S/RES/663(1990)")
    draft = Draft.objects.get(resolution_number=663)
    assert draft.date.isoformat() == day
    assert draft.meeting.date == draft.date


def test_resolution_numbers_run_in_date_order(history):
    dates = list(
        Draft.objects.filter(resolution_number__isnull=False)
        .order_by("resolution_number")
        .values_list("resolution_number", "date")
    )
    out_of_order = [
        (a, b) for (a, first), (b, second) in itertools.pairwise(dates) if first > second
    ]
    assert out_of_order == []
    assert Draft.objects.get(resolution_number=727).date == date(1992, 1, 8)


def test_an_adopted_resolution_with_a_permanent_no_is_procedural(history):
    draft = Draft.objects.get(resolution_number=2623)  # 27 Feb 2022, Russia against
    assert draft.outcome == Outcome.ADOPTED
    assert draft.procedural
    assert "procedural" in draft.sources["unxml_adopted"]["values"]["procedural_inferred"]


def test_recent_years_count_adopted_resolutions_too(history, shared_data):
    lines = (shared_data / "unxml_sc_resolutions" / "data_extract" / "2024.json").read_text()
    adopted_2024 = {json.loads(line)["symbol"] for line in lines.splitlines() if line.strip()}
    rows = {r["year"]: r for r in analytics.divisions_per_year(2024, 2024)}
    recorded = Draft.objects.published().filter(
        date__year=2024, modality=Modality.RECORDED_VOTE, member_votes__seat__isnull=False
    )
    assert rows[2024]["total"] == recorded.distinct().count()
    assert rows[2024]["total"] >= len(adopted_2024) - 5  # not just the failed drafts
    assert rows[2024]["divided"] < rows[2024]["total"]
