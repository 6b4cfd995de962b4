"""Exports: the open-data format, streamed, safe in a spreadsheet, and read back by import_votes."""

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolutions import exports
from resolutions.models import Draft
from resolutions.pipeline.sponsors import write_sponsors
from tests.samples import sample_size
from votes.choices import Position
from votes.models import MemberVote

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.streaming, "exports are streamed, never built in memory"
    return b"".join(response.streaming_content).decode("utf-8")


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_row_per_draft_or_per_member_vote(client, sample):
    published = Draft.objects.published()
    per_draft = rows(body(client.get("/votes.csv")))
    assert len(per_draft) == published.count()
    per_vote = rows(body(client.get("/votes.csv?rows=votes")))
    without_votes = published.filter(member_votes__isnull=True).count()
    votes = MemberVote.objects.filter(draft__is_published=True).count()
    assert len(per_vote) == votes + without_votes
    assert per_vote[0]["source"]  # provenance on every row


def test_the_filtered_list_downloads_exactly_its_rows(client, sample):
    ghana_no = set(
        Draft.objects.published()
        .filter(member_votes__state__code="GHA", member_votes__position=Position.YES)
        .filter(modality="vote")  # how a member voted exists only for recorded votes
        .values_list("pk", flat=True)
    )
    got = {
        int(r["record_id"]) for r in rows(body(client.get("/votes.csv?country=ghana&position=Y")))
    }
    assert got == ghana_no and got


def test_json_nests_each_drafts_member_votes_and_cites_the_licence(client, sample):
    document = json.loads(body(client.get("/votes.json")))
    assert "non-commercial use with attribution" in document["licence"]
    seed = next(d for d in document["drafts"] if d["draft_symbol"] == "S/2022/431")
    assert seed["outcome"] == "vetoed" and seed["vetoed_by"] == "CHN|RUS"
    assert sorted(v["ms_code"] for v in seed["votes"] if v["ms_vote"] == "N") == ["CHN", "RUS"]


def test_an_invalid_filter_is_a_400_not_an_empty_file(client, sample):
    response = client.get("/votes.csv?year_from=soon")
    assert response.status_code == 400
    assert "year_from" in response.content.decode()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_spreadsheet_formulas_are_neutralised_and_restored_on_import(client, sample, text):
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    draft.title = text
    draft.save()
    row = next(r for r in rows(body(client.get("/votes.csv"))) if r["draft_symbol"] == "S/2022/431")
    assert row["title"] == "'" + text
    assert exports.restore(row["title"]) == text


def test_harmless_text_is_left_alone():
    assert exports.neutralise("Non-proliferation") == "Non-proliferation"
    assert exports.neutralise(15) == 15


@pytest.mark.parametrize("text", ["  =1+2", "\u00a0@x", "\nline", "'quoted'", "'=already", "="])
def test_neutralising_catches_hidden_formulas_and_always_reverses(text):
    guarded = exports.neutralise(text)
    assert guarded.startswith("'")
    assert exports.restore(guarded) == text


def test_neutralising_changes_exactly_the_texts_the_rule_names():
    """neutralise() returns most texts at once by their first character; every first
    character (the Basic Multilingual Plane) with every kind of rest must still give
    what the rule says: an apostrophe before a formula (after any spaces), a tab,
    carriage return or line break first, or an apostrophe first."""

    def rule(text: str) -> bool:
        stripped = text.lstrip(" \u00a0")
        return text[:1] in ("\t", "\r", "\n", "'") or stripped[:1] in (
            "=",
            "+",
            "-",
            "@",
            "\t",
            "\r",
        )

    for code in range(0x10000):
        for rest in ("", "x", "=1", " =1", "\u00a0+1", "'"):
            text = chr(code) + rest
            assert exports.neutralise(text) == ("'" + text if rule(text) else text), repr(text)
    assert exports.neutralise("") == ""


@sample_size("small", "large")
@pytest.mark.parametrize(
    ("url", "budget"),
    [
        # 1: when the record last changed (ETag and Last-Modified); 2: the drafts'
        # vetoes, 3: their subjects, 4: their sponsors; 5: the drafts with meeting and
        # agenda item, one cursor read to its end
        # +1 for the unfiltered three: whether the release's file can serve it
        # (resolutions/release/downloads.py; here it cannot, the record is the sample's)
        ("/votes.csv", 6),
        # 6: the member votes, a second cursor read beside the first
        ("/votes.csv?rows=votes", 7),
        ("/votes.json", 7),
        # +1: the chosen member state (form validation)
        ("/votes.csv?country=ghana&rows=votes", 7),
    ],
)
def test_a_download_reads_the_whole_stream_in_the_same_queries_at_any_size(
    client, sample, monkeypatch, django_assert_num_queries, url, budget
):
    # Chunks of 10 drafts, so that the larger sample spans many: a query per chunk
    # or per row shows at that size and not at the other.
    monkeypatch.setattr(exports, "CHUNK", 10)
    assert len(sample) == 1 or Draft.objects.published().count() > 4 * exports.CHUNK
    with django_assert_num_queries(budget) as queries:
        content = body(client.get(url))
    assert content
    if url == "/votes.csv":  # no member columns, so no member votes fetched
        assert not [q for q in queries.captured_queries if "votes_membervote" in q["sql"]]


def test_a_download_runs_no_full_garbage_collection(client, sample, monkeypatch):
    # A full collection per chunk cost up to 141 ms each in a warm worker.
    collections = []
    monkeypatch.setattr("gc.collect", lambda *args: collections.append(args) or 0)
    monkeypatch.setattr(exports, "CHUNK", 1)
    for url in ("/votes.csv", "/votes.csv?rows=votes", "/votes.json"):
        assert body(client.get(url))
    assert collections == []


def test_the_per_draft_csv_has_no_member_columns():
    assert not set(exports.VOTE_COLUMNS) & set(exports.DRAFT_COLUMNS)


def export_all() -> str:
    out = StringIO()
    call_command("export_votes", stdout=out)
    return out.getvalue()


def test_export_import_export_gives_the_same_file(sample, tmp_path):
    write_sponsors()  # the record as every load leaves it: titles built where none is given
    first = export_all()
    assert ",yes," in first  # the sample has untitled drafts: their built titles round-trip
    path = tmp_path / "dump.csv"
    path.write_text(first, encoding="utf-8")
    Draft.objects.all().delete()
    call_command("import_votes", str(path), stdout=StringIO(), no_progress=True)
    assert export_all() == first


def test_import_votes_refuses_bad_rows_and_writes_nothing(sample, tmp_path):
    lines = export_all().splitlines()
    header = lines[0].split(",")
    code = header.index("ms_vote")
    bad = lines[5].split(",")
    bad[code] = "Maybe"
    lines[5] = ",".join(bad)
    path = tmp_path / "votes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = Draft.objects.count()
    Draft.objects.all().delete()
    with pytest.raises(CommandError) as error:
        call_command("import_votes", str(path), stdout=StringIO(), no_progress=True)
    assert "votes.csv, line 6" in str(error.value)
    assert "ms_vote 'Maybe'" in str(error.value)
    assert not Draft.objects.exists()
    assert before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"draft_symbol,ms_code\nS/1,GHA\n", "missing columns: date"),
        (b"date,title\n2022-01-01,x\n", "missing columns: record_id or resolution or draft_symbol"),
        (b"date,draft_symbol,colour\n2022-01-01,S/1,red\n", "unknown columns: colour"),
        (b"date,draft_symbol\n2022-13-01,S/1\n", "is not YYYY-MM-DD"),
        ("date,draft_symbol,title\n2022-01-01,S/1,Zaïre\n".encode("latin-1"), "not UTF-8"),
        (b"date,draft_symbol,ms_code,ms_vote\n2022-05-26,S/1,XXX,Y\n", "unknown member state"),
        (b"date,draft_symbol,ms_code,ms_vote\n1995-05-26,S/1,GHA,Y\n", "not on the Council"),
    ],
)
def test_import_votes_errors_name_the_reason(sample, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    before = Draft.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_votes", str(path), stdout=StringIO(), no_progress=True)
    assert Draft.objects.count() == before


def test_a_spreadsheet_of_new_votes_creates_a_draft_the_engine_decides(sample, tmp_path):
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    lines = ["date,draft_symbol,meeting,title,ms_code,ms_vote"]
    for seat in CouncilCalendar().sitting(on):
        vote = "N" if seat.code == "USA" else "Y"
        lines.append(f"{on},S/2022/999,S/PV.9999,A test draft,{seat.code},{vote}")
    path = tmp_path / "new.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = StringIO()
    call_command("import_votes", str(path), stdout=output, no_progress=True)
    draft = Draft.objects.get(draft_symbol="S/2022/999")
    assert "created 1" in output.getvalue()
    assert draft.outcome == "vetoed"
    assert list(draft.vetoes.values_list("seat__code", flat=True)) == ["USA"]
    assert draft.field_sources["title"] == "editor"


def _spreadsheet(tmp_path, lines, name="votes.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_spreadsheet_sorted_by_member_still_gives_one_draft_per_vote(sample, tmp_path):
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    members = CouncilCalendar().sitting(on)
    lines = ["date,draft_symbol,ms_code,ms_vote"]
    for seat in sorted(members, key=lambda s: s.code):  # interleaves the two drafts
        lines.append(f"{on},S/2022/991,{seat.code},Y")
        lines.append(f"{on},S/2022/992,{seat.code},{'N' if seat.code == 'RUS' else 'Y'}")
    call_command(
        "import_votes", str(_spreadsheet(tmp_path, lines)), stdout=StringIO(), no_progress=True
    )
    assert Draft.objects.get(draft_symbol="S/2022/991").outcome == "adopted"
    assert Draft.objects.get(draft_symbol="S/2022/992").outcome == "vetoed"
    assert Draft.objects.filter(draft_symbol__in=["S/2022/991", "S/2022/992"]).count() == 2


def test_a_row_that_matches_another_vote_by_number_is_refused(sample, tmp_path):
    adopted = Draft.objects.filter(resolution_number__isnull=False).first()
    number, year, day = adopted.resolution_number, adopted.resolution_year, adopted.date
    lines = [
        "date,resolution,draft_symbol,ms_code,ms_vote",
        f"{day.year - 1}-03-01,S/RES/{number} ({year}),S/1999/5,GHA,Y",
    ]
    path = _spreadsheet(tmp_path, lines)
    with pytest.raises(CommandError, match=rf"it matches .* recorded on {day}"):
        call_command("import_votes", str(path), stdout=StringIO(), no_progress=True)
    assert Draft.objects.get(pk=adopted.pk).date == day


def test_a_spreadsheet_vote_missing_a_member_is_refused_like_in_the_admin(sample, tmp_path):
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    lines = ["date,draft_symbol,ms_code,ms_vote"]
    lines += [f"{on},S/2022/993,{s.code},Y" for s in CouncilCalendar().sitting(on)][:-1]
    with pytest.raises(CommandError, match="line 2"):
        call_command(
            "import_votes", str(_spreadsheet(tmp_path, lines)), stdout=StringIO(), no_progress=True
        )
    assert not Draft.objects.filter(draft_symbol="S/2022/993").exists()


def test_a_member_with_no_vote_is_kept_when_the_file_gives_totals(sample, tmp_path):
    # As in a restored export of DGACM's S/RES/2797 (2025): 14 votes, one member
    # listed nowhere, and the totals the source recorded. The gap is reported.
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    sitting = sorted(CouncilCalendar().sitting(on), key=lambda s: s.code)
    head = "date,draft_symbol,recorded_yes,recorded_no,recorded_abstain,ms_code,ms_vote"
    lines = [head] + [f"{on},S/2022/995,14,0,0,{s.code},Y" for s in sitting[1:]]
    out = StringIO()
    call_command("import_votes", str(_spreadsheet(tmp_path, lines)), stdout=out, no_progress=True)
    draft = Draft.objects.get(draft_symbol="S/2022/995")
    assert draft.member_votes.count() == 14
    assert not draft.member_votes.filter(state_id=sitting[0].state_id).exists()
    assert draft.outcome == "adopted"
    assert f"{sitting[0].name} was on the Council" in out.getvalue()
    assert "kept as the file records it" in out.getvalue()


def test_positions_that_do_not_add_up_to_the_files_totals_are_flagged(sample, client, tmp_path):
    # As the Library's S/RES/1966 (2010): a member's row missing beside totals
    # that count it. Kept, and the vote's page says the tallies differ.
    from datetime import date

    from resolutions.models import Disagreement
    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    sitting = sorted(CouncilCalendar().sitting(on), key=lambda s: s.code)
    head = "date,draft_symbol,recorded_yes,recorded_no,recorded_abstain,ms_code,ms_vote"
    lines = [head] + [f"{on},S/2022/997,15,0,0,{s.code},Y" for s in sitting[1:]]
    call_command(
        "import_votes", str(_spreadsheet(tmp_path, lines)), stdout=StringIO(), no_progress=True
    )
    draft = Draft.objects.get(draft_symbol="S/2022/997")
    [flag] = Disagreement.objects.filter(draft=draft, kind=Disagreement.Kind.TALLY)
    assert flag.values == {"editor": "15–0–0", "counting the member votes": "14–0–0 (14 listed)"}
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "The sources give different tallies for this vote" in html


def test_totals_that_count_more_members_than_sat_are_refused(sample, tmp_path):
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    sitting = CouncilCalendar().sitting(on)
    head = "date,draft_symbol,recorded_yes,recorded_no,recorded_abstain,ms_code,ms_vote"
    lines = [head] + [f"{on},S/2022/998,9,9,9,{s.code},Y" for s in sitting]
    with pytest.raises(CommandError, match="The recorded totals count 27 members"):
        call_command(
            "import_votes", str(_spreadsheet(tmp_path, lines)), stdout=StringIO(), no_progress=True
        )
    assert not Draft.objects.filter(draft_symbol="S/2022/998").exists()


def test_a_record_with_nothing_to_decide_it_is_refused_unless_the_file_says_unknown(
    sample, tmp_path
):
    lines = ["date,draft_symbol,title", "2022-06-30,S/2022/999,A draft with no vote given"]
    with pytest.raises(CommandError, match="To publish this record, add every member"):
        call_command(
            "import_votes", str(_spreadsheet(tmp_path, lines)), stdout=StringIO(), no_progress=True
        )
    # Our dumps say "unknown" where the sources do not settle a vote (S/5095).
    lines = ["date,draft_symbol,title,outcome", "2022-06-30,S/2022/999,Unsettled,unknown"]
    out = StringIO()
    call_command(
        "import_votes", str(_spreadsheet(tmp_path, lines, "b.csv")), stdout=out, no_progress=True
    )
    assert Draft.objects.get(draft_symbol="S/2022/999").outcome == "unknown"
    assert "the outcome is unknown, as the file states" in out.getvalue()


def test_a_newer_spreadsheet_corrects_an_earlier_one(sample, tmp_path):
    from datetime import date

    from votes.calendar import CouncilCalendar

    on = date(2022, 6, 30)
    sitting = CouncilCalendar().sitting(on)
    first = ["date,draft_symbol,title,ms_code,ms_vote"]
    first += [f"{on},S/2022/994,Old title,{s.code},Y" for s in sitting]
    call_command(
        "import_votes",
        str(_spreadsheet(tmp_path, first, "a.csv")),
        stdout=StringIO(),
        no_progress=True,
    )
    second = [line.replace("Old title", "New title") for line in first]
    call_command(
        "import_votes",
        str(_spreadsheet(tmp_path, second, "b.csv")),
        stdout=StringIO(),
        no_progress=True,
    )
    assert Draft.objects.get(draft_symbol="S/2022/994").title == "New title"
