"""The whole official record loads into one merged, consistent database."""

import csv
import gzip
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from resolutions.models import Disagreement, Draft, SourceImport
from resolutions.outcomes import decision_for
from resolutions.pipeline.sync import inputs_from_dir
from votes.choices import SECONDARY, Outcome, Source
from votes.models import MemberVote
from votes.outcome import Ballot, decide

pytestmark = pytest.mark.realdata


def voting_rows(shared_data):
    path = shared_data / "undl_sc_voting" / "reconstructed_1946_2021_DERIVED.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_adopted_resolution_in_the_voting_data_is_one_draft(history, shared_data):
    numbers = {int(r["resolution"].split("/")[2].split("(")[0]) for r in voting_rows(shared_data)}
    loaded = set(
        Draft.objects.filter(resolution_number__in=numbers).values_list(
            "resolution_number", flat=True
        )
    )
    assert loaded == numbers
    # Each number once (also a database constraint), and all of them adopted.
    assert Draft.objects.filter(resolution_number__in=numbers).count() == len(numbers)
    assert (
        not Draft.objects.filter(resolution_number__in=numbers)
        .exclude(outcome=Outcome.ADOPTED)
        .exists()
    )


def test_member_votes_of_the_history_are_all_loaded(history, shared_data):
    rows = voting_rows(shared_data)
    by_position = Counter(r["ms_vote"] for r in rows)
    # The votes the sources give (deduced and compiled votes are counted elsewhere).
    loaded = dict(
        MemberVote.objects.filter(draft__resolution_number__lte=2617)
        .exclude(source__in=[Source.DEDUCED, *SECONDARY])
        .values_list("position")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert sum(loaded.values()) == len(rows)
    assert loaded == dict(by_position)


def test_seed_case_is_one_merged_draft_vetoed_by_china_and_russia(history):
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    assert {"dhl_veto", "dhl_meetings"} <= set(draft.sources)
    assert draft.date.isoformat() == "2022-05-26"
    assert draft.meeting.symbol == "S/PV.9048"
    assert draft.press_release == "SC/14911"
    assert draft.outcome == Outcome.VETOED
    assert sorted(draft.vetoes.values_list("seat__code", flat=True)) == ["CHN", "RUS"]
    # The meetings table writes 13-0-2; the veto's two "no" votes settle the order.
    assert (draft.recorded_yes, draft.recorded_no, draft.recorded_abstain) == (13, 2, 0)


def test_gaza_draft_of_16_october_2023_is_not_a_veto(history):
    draft = Draft.objects.get(draft_symbol="S/2023/772")
    assert (draft.tally_yes, draft.tally_no, draft.tally_abstain) == (5, 4, 6)
    assert draft.outcome == Outcome.NOT_ADOPTED
    assert not draft.vetoes.exists()


def test_every_stored_outcome_equals_the_engines_decision(history):
    ballots = {}
    for draft_id, position, seat in MemberVote.objects.values_list(
        "draft_id", "position", "seat__code"
    ):
        ballots.setdefault(draft_id, []).append(Ballot(position, seat))
    for draft in Draft.objects.prefetch_related("vetoes__seat"):
        result = decide(decision_for(draft, ballots.get(draft.pk, [])))
        assert (draft.outcome, draft.outcome_basis) == (result.outcome, result.basis), draft
        assert sorted(v.seat.code for v in draft.vetoes.all()) == sorted(result.vetoed_by)


def test_every_field_remembers_its_source(history):
    draft = Draft.objects.get(resolution_number=2627)
    assert draft.field_sources["date"] in draft.sources
    for info in Draft.objects.get(draft_symbol="S/2022/431").sources.values():
        assert info["version"]


def test_sources_disagreements_are_recorded_not_resolved(history):
    kinds = set(Disagreement.objects.values_list("kind", flat=True))
    assert {"tally", "date", "outcome"} <= kinds
    # S/PV.49 (1946): the Veto List names France and the USSR, the meetings table
    # the USSR alone; both statements are kept and the list's is used.
    item = Disagreement.objects.get(draft__draft_symbol="S/PV.49", field="vetoed_by")
    assert item.values == {"dhl_veto": ["FRA", "RUS"], "dhl_meetings": ["RUS"]}


def test_a_second_sync_changes_nothing_and_says_so(history, shared_data):
    before = (Draft.objects.count(), MemberVote.objects.count(), Disagreement.objects.count())
    votes = set(MemberVote.objects.values_list("pk", "position", "source", "note"))
    sources = dict(Draft.objects.values_list("pk", "sources"))
    out = StringIO()
    call_command("sync_un_data", from_dir=str(shared_data), no_progress=True, stdout=out)
    # Not one vote rewritten (deduced and compiled ones included), no entry changed.
    assert set(MemberVote.objects.values_list("pk", "position", "source", "note")) == votes
    assert dict(Draft.objects.values_list("pk", "sources")) == sources
    output = out.getvalue()
    assert "created 0, updated 0" in output.splitlines()[-1]
    assert "nothing changed" in output.splitlines()[-1]
    assert (Draft.objects.count(), MemberVote.objects.count(), Disagreement.objects.count()) == (
        before
    )
    # Each official source created records on the first run only. A compilation creates
    # only the records no official source describes (compiled_only), on the first run
    # too; the deduction never creates one.
    official = {i.source for i in inputs_from_dir(shared_data) if i.source not in SECONDARY}
    creating = Counter(SourceImport.objects.filter(created__gt=0).values_list("source", flat=True))
    assert official <= set(creating)
    assert set(creating) - official <= set(SECONDARY)
    assert all(n == 1 for source, n in creating.items() if source in SECONDARY)
    compiled = sum(
        SourceImport.objects.filter(source__in=SECONDARY).values_list("created", flat=True)
    )
    assert compiled == Draft.objects.compiled_only().count() > 0


def test_the_resolution_numbers_missing_are_those_no_voting_file_lists(history, shared_data):
    # Recounted from the raw files: the Library's two voting files and DGACM's
    # JSON Lines. A number any of them lists is held; the gaps reported are numbers
    # none of them lists (the meetings tables, 1946-2022, list none of the gaps).
    import json
    import re

    listed = {int(re.match(r"S/RES/(\d+)", r["resolution"])[1]) for r in voting_rows(shared_data)}
    excerpt = shared_data / "undl_sc_voting" / "2026_02_06_sc_voting_EXCERPT.csv"
    with excerpt.open(encoding="utf-8") as handle:
        listed |= {
            int(re.match(r"S/RES/(\d+)", r["resolution"])[1])
            for r in csv.DictReader(handle)
            if r["resolution"]
        }
    for path in (shared_data / "unxml_sc_resolutions" / "data_extract").glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                listed.add(int(re.match(r"S/RES/(\d+)", json.loads(line)["symbol"])[1]))

    missing = sorted(set(range(1, max(listed) + 1)) - listed)
    count, gaps = Draft.objects.officially_recorded().resolution_number_gaps(limit=10_000)
    assert gaps == missing
    # The compilation gives some of them: those it lists, loaded as its records alone.
    compiled = set()
    with (shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        for row in csv.DictReader(handle):
            if number := re.search(r"(\d+)\s*\(\d{4}\)", row["Resolution"]):
                compiled.add(int(number[1]))
    only = Draft.objects.compiled_only().exclude(resolution_number=None)
    assert set(only.values_list("resolution_number", flat=True)) == set(missing) & compiled
    assert Draft.objects.resolution_number_gaps(limit=10_000)[1] == sorted(set(missing) - compiled)
    assert count == len(gaps)
    out = StringIO()
    call_command("data_report", stdout=out)
    report = out.getvalue()
    still = Draft.objects.resolution_number_gaps(limit=10_000)[0]
    assert f"Resolution numbers no source lists: {still}" in report
    assert f"Resolutions only a compilation lists (no official source): {only.count()}" in report
    assert all(f"S/RES/{n}" in report for n in gaps[:10])
