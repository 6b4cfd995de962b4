"""Secondary sources loaded on top of the official record: checked, labelled, never overriding.

The official record of 2017 (DPPA's membership, the Veto List, the 2017 meetings table)
is loaded from ../shared/data; the Voting-Agent file is cut to its 2017 rows, written by
the test (changed where a test needs a disagreement or a fault). Expectations are
recounted from those rows.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Disagreement, Draft
from resolutions.pipeline.sync import Input, load
from resolutions.sources import voting_agent
from tests.conftest import kept_for_the_scope
from tests.resolutions.pipeline.official import load_membership_and_vetoes, load_official_year
from votes.choices import Source
from votes.models import MemberVote
from votes.names import default_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

AGENT = "sc_voting_agent_1994_2025/sc_voting_from_xlsx_DERIVED.csv"
TABLE_2017 = "dhl_meetings_tables/scact2017_table_en.html"
POSITION = {"Yes": "Y", "No": "N", "Abstain": "A"}


def _rows(shared_data, year: int) -> list[dict]:
    with (shared_data / AGENT).open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["Year"] == str(year)]


def _write(rows: list[dict], path):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def official_2017(shared_data, tmp_path_factory, django_db_setup, django_db_blocker):
    """The official record of 2017, with the deduced votes, as sync_un_data leaves it.

    Built once for the module (each test's changes roll back with the test).
    """
    folder = tmp_path_factory.mktemp("official")
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            load_membership_and_vetoes(shared_data)
            load_official_year(shared_data, folder, 2017)
        yield _rows(shared_data, 2017)


@pytest.fixture
def record_2017(official_2017, db):
    """The official record of 2017 and the compilation's rows of 2017, for one test."""
    return [dict(row) for row in official_2017]


def _load_agent(rows, tmp_path):
    return load(Input(Source.VOTING_AGENT, _write(rows, tmp_path / "agent.csv")))


def _votes_of(rows: list[dict], symbol: str) -> dict[str, str]:
    """State code -> position, as the file's rows for one draft give them (names as the
    file writes them, resolved by the reference list of names)."""
    names = default_resolver()
    return {
        names.resolve(r["Member State"], date.fromisoformat(r["date_iso"])): POSITION[r["Vote"]]
        for r in rows
        if r["Draft"].strip() == symbol
    }


def test_agreeing_votes_are_written_labelled_for_members_no_official_fact_settles(
    record_2017, tmp_path
):
    # S/2017/962, 11-2-2, vetoed by the Russian Federation: the deduction settles only
    # Russia's no (China abstained, so the permanent members are not all settled).
    summary = _load_agent(record_2017, tmp_path)
    draft = Draft.objects.get(draft_symbol="S/2017/962")
    expected = _votes_of(record_2017, "S/2017/962")
    assert Counter(expected.values()) == {"Y": 11, "N": 2, "A": 2}
    votes = {v.state.code: v for v in draft.member_votes.select_related("state")}
    assert len(votes) == len(expected) == 15
    by_source = Counter(v.source for v in votes.values())
    assert by_source == {Source.VOTING_AGENT: 14, Source.DEDUCED: 1}
    assert votes["RUS"].source == Source.DEDUCED
    for name, vote in votes.items():
        assert vote.position == expected[name], name
    # Its name and version are on the draft, for the label.
    assert draft.sources["voting_agent"]["version"] == summary.version
    assert "held_back" not in draft.sources["voting_agent"]
    assert not Disagreement.objects.filter(draft=draft, detected_by=Source.VOTING_AGENT).exists()


def test_a_compilation_never_writes_over_a_deduced_or_official_vote(record_2017, tmp_path):
    deduced = dict(MemberVote.objects.filter(source=Source.DEDUCED).values_list("pk", "position"))
    assert deduced  # 2017's unanimous and vetoed drafts settle votes
    _load_agent(record_2017, tmp_path)
    after = dict(MemberVote.objects.filter(pk__in=deduced).values_list("pk", "position"))
    assert after == deduced
    assert set(MemberVote.objects.filter(pk__in=deduced).values_list("source", flat=True)) == {
        Source.DEDUCED
    }


def test_a_compilation_that_disagrees_is_held_back_and_the_disagreement_recorded(
    record_2017, tmp_path
):
    # One member's vote on S/2017/970 changed from yes to no: the votes now count a
    # tally the meetings table contradicts.
    rows = [dict(r) for r in record_2017]
    changed = next(r for r in rows if r["Draft"] == "S/2017/970" and r["Vote"] == "Yes")
    changed["Vote"] = "No"
    _load_agent(rows, tmp_path)
    draft = Draft.objects.get(draft_symbol="S/2017/970")
    assert not draft.member_votes.filter(source=Source.VOTING_AGENT).exists()
    held = draft.sources["voting_agent"]["held_back"]
    assert len(held["votes"]) == 15 and "the official tally is" in held["reason"]
    found = Disagreement.objects.get(draft=draft, detected_by=Source.VOTING_AGENT, kind="tally")
    counted = Counter(POSITION[r["Vote"]] for r in rows if r["Draft"] == "S/2017/970")
    assert found.values["voting_agent"] == f"{counted['Y']}–{counted['N']}–{counted['A']}"
    assert found.values["dhl_meetings"] != found.values["voting_agent"]


def test_faults_are_reported_by_kind_and_never_written(record_2017, tmp_path):
    # A member listed twice on S/2017/968, under another vote: the parser withholds
    # that member's vote; a row repeated as it is on S/2017/970 counts once.
    rows = [dict(r) for r in record_2017]
    at = next(i for i, r in enumerate(rows) if r["Draft"] == "S/2017/968")
    twice = {**rows[at], "Vote": "Yes" if rows[at]["Vote"] != "Yes" else "No"}
    rows.insert(at, twice)
    at = next(i for i, r in enumerate(rows) if r["Draft"] == "S/2017/970")
    rows.insert(at, dict(rows[at]))
    summary = _load_agent(rows, tmp_path)
    parsed = voting_agent.parse(tmp_path / "agent.csv")
    kinds = Counter(kind for r in parsed.records for kind, _ in r.extra["faults"])
    assert kinds["member_listed_twice"] == 1 and kinds["member_repeated"] == 1
    for kind, n in kinds.items():
        assert summary.faults[kind] == n
    draft = Draft.objects.get(draft_symbol="S/2017/968")
    compiled = set(
        draft.member_votes.filter(source=Source.VOTING_AGENT).values_list("state__name", flat=True)
    )
    assert twice["Member State"] not in compiled
    assert "faults caught" in str(summary)


def test_a_compilation_creates_no_draft_and_a_second_load_changes_nothing(
    record_2017, tmp_path, shared_data
):
    drafts = Draft.objects.count()
    first = _load_agent(record_2017, tmp_path)
    assert first.created == 0 and Draft.objects.count() == drafts
    votes = sorted(MemberVote.objects.values_list("pk", "position", "source"))
    disagreements = sorted(Disagreement.objects.values_list("pk", "values"))
    second = _load_agent(record_2017, tmp_path)
    assert not second.changed
    assert sorted(MemberVote.objects.values_list("pk", "position", "source")) == votes
    assert sorted(Disagreement.objects.values_list("pk", "values")) == disagreements
    # The Yordán list too: matched where the official record has the veto. A veto it
    # lists after the Veto List ends, at a meeting no official source describes, is a
    # record of its own (compiled_only); the rest is reported and not loaded.
    veto_list_end = Draft.objects.filter(sources__has_key="dhl_veto").latest("date").date
    yordan = load(
        Input(Source.YORDAN_VETOES, shared_data / "yordan_vetoes/unsc_vetoes_1946_sept2022.csv")
    )
    assert Draft.objects.count() == drafts + yordan.created
    alone = Draft.objects.compiled_only()
    assert alone.count() == yordan.created > 0
    assert all(d.source == Source.YORDAN_VETOES and d.date > veto_list_end for d in alone)
    assert all(d.outcome == "vetoed" for d in alone)
    assert Draft.objects.get(draft_symbol="S/2017/962").sources["yordan_vetoes"]


def test_official_loaders_leave_compiled_and_deduced_votes_to_their_writers(
    record_2017, tmp_path, shared_data
):
    _load_agent(record_2017, tmp_path)
    before = sorted(MemberVote.objects.values_list("pk", "position", "source"))
    tables = tmp_path / "tables"
    tables.mkdir()
    shutil.copy(shared_data / TABLE_2017, tables)
    out = StringIO()
    call_command("import_dhl_meetings", str(tables), no_progress=True, stdout=out)
    call_command(
        "import_dhl_veto",
        str(shared_data / "dhl_meetings_tables" / "scact_veto_table_en.html"),
        no_progress=True,
        stdout=out,
    )
    assert sorted(MemberVote.objects.values_list("pk", "position", "source")) == before


def test_the_sync_reads_dppas_vetoes_when_present_and_the_compilations_last(tmp_path, shared_data):
    from resolutions.pipeline.sync import SECONDARY_FILES, inputs_from_dir
    from resolutions.sources import dppa_vetoes

    (tmp_path / "dppa_sc_membership").mkdir()
    membership = shared_data / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"
    (tmp_path / "dppa_sc_membership" / membership.name).symlink_to(membership)
    assert [i.source for i in inputs_from_dir(tmp_path)] == [Source.DPPA]
    # No copy of DPPA's veto dataset is stored: a file in its layout, written here.
    (tmp_path / "dppa_sc_vetoes").mkdir()
    (tmp_path / "dppa_sc_vetoes" / "DPPA-SCVETOES.csv").write_text(
        ",".join(dppa_vetoes.COLUMNS) + "\n", encoding="utf-8"
    )
    for _source, name in SECONDARY_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).symlink_to(shared_data / name)
    assert [i.source for i in inputs_from_dir(tmp_path)] == [
        Source.DPPA,
        Source.DPPA_VETOES,
        Source.VOTING_AGENT,
        Source.YORDAN_VETOES,
        Source.FAILED_DRAFTS_SAMPLE,
    ]


def test_a_restored_dump_keeps_its_deduced_and_compiled_votes(record_2017, tmp_path):
    from resolutions.pipeline.deduction import deduce_votes

    _load_agent(record_2017, tmp_path)
    labelled = Counter(MemberVote.objects.values_list("source", flat=True))
    assert labelled[Source.DEDUCED] and labelled[Source.VOTING_AGENT]
    out = StringIO()
    call_command("export_votes", format="csv", stdout=out)
    dump = tmp_path / "dump.csv"
    dump.write_text(out.getvalue(), encoding="utf-8")
    Draft.objects.all().delete()
    call_command("import_votes", str(dump), no_progress=True, stdout=StringIO())
    assert Counter(MemberVote.objects.values_list("source", flat=True)) == labelled
    # The official facts behind the deduced votes are not loaded: they stay as restored.
    deduce_votes()
    assert Counter(MemberVote.objects.values_list("source", flat=True)) == labelled
