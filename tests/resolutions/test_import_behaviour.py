"""How an import behaves: idempotent, atomic, editor-preserving, clear about bad input.

Uses the verbatim official excerpt of the voting data (8 resolutions) and the
real DPPA membership file; bad input is made by changing one line of a copy.
"""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolutions.models import Disagreement, Draft, SourceImport
from votes.choices import Position, Source
from votes.models import MemberVote

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"


@pytest.fixture
def council(shared_data):
    call_command("import_dppa", str(shared_data / MEMBERSHIP), stdout=StringIO())


@pytest.fixture
def excerpt(shared_data):
    return shared_data / EXCERPT


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, no_progress=True, **options)
    return out.getvalue()


def rows(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def changed_copy(source, target, line: int, column: str, value: str):
    """A copy of the CSV with one cell of one line (1-based, header is line 1) changed."""
    table = rows(source)
    table[line - 2][column] = value
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    return target


def test_import_creates_one_draft_per_resolution_with_its_member_votes(council, excerpt):
    output = run("import_undl", str(excerpt))
    table = rows(excerpt)
    resolutions = {r["resolution"] for r in table}
    assert f"created {len(resolutions)}" in output
    assert Draft.objects.count() == len(resolutions)
    assert MemberVote.objects.count() == len(table)
    run_ = SourceImport.objects.get(source=Source.UNDL)
    assert (run_.source, run_.version) == (Source.UNDL, "2026-02-06")
    draft = Draft.objects.get(resolution_number=2805)
    assert draft.undl_record_id == table[-1]["undl_id"]
    assert draft.sources["undl"]["url"] == table[-1]["undl_link"]
    assert draft.sources["undl"]["version"] == "2026-02-06"


def test_reimporting_the_same_file_changes_nothing_and_says_so(council, excerpt):
    run("import_undl", str(excerpt))
    output = run("import_undl", str(excerpt))
    n = len({r["resolution"] for r in rows(excerpt)})
    assert f"created 0, updated 0, unchanged {n}" in output
    assert "nothing changed" in output


def test_a_newer_file_changes_only_what_changed(council, excerpt, tmp_path):
    run("import_undl", str(excerpt))
    table = rows(excerpt)
    line = next(
        i for i, r in enumerate(table, 2) if r["ms_code"] == "POL" and "511" in r["resolution"]
    )
    newer = changed_copy(
        excerpt, tmp_path / "2026_03_01_sc_voting.csv", line, "vote_note", "a note added later"
    )
    output = run("import_undl", str(newer))
    n = len({r["resolution"] for r in table})
    assert f"created 0, updated 1, unchanged {n - 1}" in output
    changed = Draft.objects.get(resolution_number=511)
    assert changed.sources["undl"]["version"] == "2026-03-01"
    # An editor holding the draft open will see the import's change as a conflict.
    assert changed.version == 2
    assert Draft.objects.get(resolution_number=504).version == 1
    assert Draft.objects.get(resolution_number=504).sources["undl"]["version"] == "2026-02-06"


def test_a_bad_row_in_the_middle_writes_nothing(council, excerpt, tmp_path):
    bad = changed_copy(excerpt, tmp_path / "2026_02_06_sc_voting.csv", 60, "ms_vote", "Z")
    with pytest.raises(CommandError) as error:
        run("import_undl", str(bad))
    message = str(error.value)
    assert "2026_02_06_sc_voting.csv" in message
    assert "line 60" in message
    assert "'Z'" in message
    assert "Nothing was written" in message
    assert not Draft.objects.exists()
    assert not MemberVote.objects.exists()
    assert not SourceImport.objects.filter(source=Source.UNDL).exists()


def test_a_failure_while_writing_leaves_the_database_as_before(
    council, excerpt, monkeypatch, tmp_path
):
    run("import_undl", str(excerpt))
    before = sorted(MemberVote.objects.values_list("draft_id", "state_id", "position"))

    def crash(*args, **kwargs):
        raise RuntimeError("killed half-way through writing votes")

    monkeypatch.setattr("resolutions.pipeline.member_votes.bulk_update", crash)
    table = rows(excerpt)
    line = next(i for i, r in enumerate(table, 2) if r["ms_vote"] == "A")
    newer = changed_copy(excerpt, tmp_path / "2026_04_01_sc_voting.csv", line, "ms_vote", "Y")
    with pytest.raises(RuntimeError):
        run("import_undl", str(newer))
    assert sorted(MemberVote.objects.values_list("draft_id", "state_id", "position")) == before
    assert SourceImport.objects.count() == 2  # DPPA and the first import only


def test_a_vote_by_a_state_not_on_the_council_that_day_is_refused(council, excerpt, tmp_path):
    line = next(i for i, r in enumerate(rows(excerpt), 2) if r["ms_code"] == "GUY")
    bad = changed_copy(excerpt, tmp_path / "2026_02_06_sc_voting.csv", line, "ms_code", "EST")
    with pytest.raises(CommandError, match="not on the Council that day"):
        run("import_undl", str(bad))
    assert not Draft.objects.exists()


def test_a_member_voting_twice_on_one_draft_is_refused(council, excerpt, tmp_path):
    first = rows(excerpt)[0]
    bad = changed_copy(
        excerpt, tmp_path / "2026_02_06_sc_voting.csv", 3, "ms_code", first["ms_code"]
    )
    with pytest.raises(CommandError, match="twice"):
        run("import_undl", str(bad))
    assert not Draft.objects.exists()


def test_votes_without_the_council_loaded_say_what_to_do_first(excerpt):
    with pytest.raises(CommandError, match=r"membership is not loaded.*import_dppa"):
        run("import_undl", str(excerpt))
    assert not Draft.objects.exists()


def test_an_editors_change_survives_a_reimport_and_the_difference_is_reported(council, excerpt):
    run("import_undl", str(excerpt))
    draft = Draft.objects.get(resolution_number=511)
    draft.title = "Renewal of UNIFIL's mandate (editor's wording)"
    draft.field_sources["title"] = Source.EDITOR
    draft.save()
    vote = draft.member_votes.get(state__code="POL")
    vote.position, vote.source = Position.YES, Source.EDITOR
    vote.save()

    output = run("import_undl", str(excerpt))

    draft.refresh_from_db()
    assert draft.title == "Renewal of UNIFIL's mandate (editor's wording)"
    assert draft.member_votes.get(state__code="POL").position == Position.YES
    # The source's own values are kept beside the editor's.
    assert draft.sources["undl"]["values"]["title"].startswith("on renewal of the mandate")
    kept = Disagreement.objects.filter(draft=draft, kind=Disagreement.Kind.EDITOR)
    assert {d.field for d in kept} == {"title", "vote:POL"}
    assert "conflicts 2" in output


def test_dry_run_reports_what_would_change_and_writes_nothing(council, excerpt):
    output = run("import_undl", str(excerpt), dry_run=True)
    n = len({r["resolution"] for r in rows(excerpt)})
    assert f"Dry run, nothing written: would have created {n}" in output
    assert not Draft.objects.exists()
    assert not SourceImport.objects.filter(source=Source.UNDL).exists()


def test_a_progress_bar_shows_on_a_terminal_and_not_otherwise(council, excerpt, capsys):
    from resolutions.management.commands._importing import progress_wanted
    from resolutions.pipeline.sync import Input, load

    class Terminal:
        def isatty(self):
            return True

    class Pipe:
        def isatty(self):
            return False

    assert progress_wanted({}, stream=Terminal()) is True
    assert progress_wanted({}, stream=Pipe()) is False
    assert progress_wanted({"no_progress": True}, stream=Terminal()) is False
    load(Input("undl", excerpt), progress=True)
    assert "record" in capsys.readouterr().err  # tqdm draws on stderr
    load(Input("undl", excerpt), progress=False)
    assert capsys.readouterr().err == ""


def test_membership_import_reports_every_blank_name(shared_data):
    output = run("import_dppa", str(shared_data / MEMBERSHIP))
    blanks = [
        r
        for r in csv.DictReader((shared_data / MEMBERSHIP).open(encoding="utf-8-sig"))
        if not r["security_council_member"].strip()
    ]
    assert output.count("blank name") == len(blanks)
    assert Disagreement.objects.filter(kind=Disagreement.Kind.MEMBERSHIP).count() == len(blanks)


def test_veto_list_rows_with_a_meeting_record_for_a_draft_stay_as_they_are(shared_data):
    run("import_dppa", str(shared_data / MEMBERSHIP))
    run("import_dhl_veto", str(shared_data / "dhl_meetings_tables" / "scact_veto_table_en.html"))
    at_57 = Draft.objects.filter(draft_symbol="S/PV.57")
    assert at_57.count() == 3
    for draft in at_57:
        assert draft.draft_symbol_is_meeting_record
        assert any("meeting record" in flag for flag in draft.sources["dhl_veto"]["flags"])
