"""The Library's yearly meetings tables: one record per voted decision, peculiarities flagged."""

import html
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources.dhl_meetings import parse, parse_year
from resolutions.sources.records import SourceError
from votes.choices import Modality, Outcome, Source

HEADER4 = (
    "<tr><th>Meeting<br/>Record</th><th>Date</th><th>Topic</th>"
    "<th>Security Council<br> Outcome / Vote</th></tr>"
)
HEADER5 = (
    "<tr><th>Meeting Record</th><th>Date</th><th>Press Release</th><th>Topic</th>"
    "<th>Security Council Outcome / Vote</th></tr>"
)


def page(rows: str, header: str = HEADER5, before: str = "") -> bytes:
    title = '<tr><th colspan="5">Meetings conducted by the Security Council</th></tr>'
    return f"<html><body>{before}<table>{title}{header}{rows}</table></body></html>".encode()


def row(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


# ---------------------------------------------------------------- real files


@pytest.fixture(scope="module")
def tables(shared_data: Path) -> Path:
    return shared_data / "dhl_meetings_tables"


@pytest.fixture(scope="module")
def parsed(tables: Path):
    return parse(tables)


def raw_text(path: Path) -> str:
    """The page as plain text: tags dropped, entities decoded (independent of lxml)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def table_files(tables: Path) -> list[Path]:
    return sorted(p for p in tables.glob("scact*_table_en.html") if "veto" not in p.name)


def per_file(parsed, outcome: str) -> Counter:
    return Counter(Path(r.extra["file"]).name for r in parsed.records if r.outcome == outcome)


@pytest.mark.realdata
def test_every_yearly_page_and_the_covid_page_are_read(parsed, tables):
    files = table_files(tables)
    years = {int(re.match(r"scact(\d{4})", p.name).group(1)) for p in files}
    assert years == set(range(1946, 2023))
    read = {Path(r.extra["file"]).name for r in parsed.records}
    assert read == {p.name for p in files}
    assert parsed.source == Source.DHL_MEETINGS


@pytest.mark.realdata
def test_vetoed_decisions_per_page_match_a_recount_of_vetoed_by(parsed, tables):
    expected = {
        p.name: len(re.findall(r"vetoed\s+by", raw_text(p), re.I)) for p in table_files(tables)
    }
    got = per_file(parsed, Outcome.VETOED)
    assert {name: got.get(name, 0) for name in expected} == expected
    assert sum(expected.values()) > 200  # the recount itself found the vetoes


@pytest.mark.realdata
def test_drafts_not_adopted_per_page_match_a_recount_of_not_adopted(parsed, tables):
    expected = {
        p.name: len(re.findall(r"not\s+adopted", raw_text(p), re.I)) for p in table_files(tables)
    }
    got = per_file(parsed, Outcome.NOT_ADOPTED)
    assert {name: got.get(name, 0) for name in expected} == expected
    assert sum(expected.values()) > 100


@pytest.mark.realdata
def test_adopted_resolutions_per_page_match_a_recount_of_resolution_symbols(parsed, tables):
    symbol = re.compile(r"S/RES/\s*\d+\s*\(\s*\d{4}\s*\)")
    expected = {p.name: len(symbol.findall(raw_text(p))) for p in table_files(tables)}
    got = per_file(parsed, Outcome.ADOPTED)
    assert {name: got.get(name, 0) for name in expected} == expected


@pytest.mark.realdata
def test_resolution_listed_twice_is_flagged_on_both_rows(parsed, tables):
    symbol = re.compile(r"S/RES/\s*(\d+)\s*\(\s*(\d{4})\s*\)")
    seen = Counter()
    for p in table_files(tables):
        seen.update((int(n), int(y)) for n, y in symbol.findall(raw_text(p)))
    repeated = {key for key, count in seen.items() if count > 1}
    assert (1996, 2011) in repeated  # two identical rows for S/PV.6576 in the 2011 page
    flagged = {
        (r.resolution_number, r.resolution_year)
        for r in parsed.records
        if any("also listed" in f for f in r.flags)
    }
    assert flagged == repeated


@pytest.mark.realdata
def test_seed_case_s_2022_431_read_as_13_for_2_against(parsed):
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/2022/431"]
    assert record.date == date(2022, 5, 26)
    assert record.meeting_symbol == "S/PV.9048"
    assert record.press_release == "SC/14911"
    assert record.outcome == Outcome.VETOED
    assert set(record.vetoed_by) == {"CHN", "RUS"}
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (13, 2, 0)
    assert record.tally_text == "13-0-2"  # as the page writes it
    assert record.extra["tally_reading"]["order"] == "yes-abstain-no"
    assert record.modality == Modality.RECORDED_VOTE
    assert record.location.startswith("scact2022_table_en.html, table row ")


@pytest.mark.realdata
def test_s_1759_not_adopted_in_1950_keeps_its_ambiguous_tally(parsed):
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/1759"]
    assert record.date == date(1950, 9, 11)
    assert record.outcome == Outcome.NOT_ADOPTED
    assert record.tally_text == "6-3-2"
    reading = record.extra["tally_reading"]
    assert (reading["yes"], reading["no"], reading["abstain"]) == (6, 3, 2)
    assert reading["ambiguous"] and reading["council_size"] == 11
    assert record.recorded_yes is None and any("ambiguous" in f for f in record.flags)


@pytest.mark.realdata
def test_first_united_states_veto_s_9696_is_read_with_both_vetoing_members(parsed):
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/9696"]
    assert record.date == date(1970, 3, 17)
    assert record.outcome == Outcome.VETOED
    assert set(record.vetoed_by) == {"GBR", "USA"}


@pytest.mark.realdata
def test_meeting_record_in_draft_column_is_kept_and_flagged(parsed):
    records = [r for r in parsed.records if r.extra.get("draft_note") == "(Transjordan)"]
    (record,) = records
    assert record.draft_symbol == "S/PV.57"
    assert record.extra["draft_is_meeting_record"] is True
    assert any("meeting record (S/PV.57)" in f for f in record.flags)
    assert record.vetoed_by == ("SUN",)


@pytest.mark.realdata
def test_uncertain_tallies_leave_totals_empty_but_keep_the_text(parsed):
    for record in parsed.records:
        reading = record.extra["tally_reading"]
        if reading and (reading["ambiguous"] or reading["inconsistent"]):
            assert record.recorded_yes is None and record.recorded_no is None
            assert record.tally_text
            assert any(("ambiguous" in f or "inconsistent" in f) for f in record.flags)


@pytest.mark.realdata
def test_the_pages_give_no_last_updated_date_so_the_version_is_the_years(parsed, tables):
    has_date = [p.name for p in table_files(tables) if re.search("updated", raw_text(p), re.I)]
    assert has_date == []
    assert parsed.version == "1946-2022"
    assert any("no 'last updated' date" in w for w in parsed.warnings)


# ----------------------------------------------------------- synthetic pages


def test_changed_layout_raises_source_error_naming_the_file(tmp_path):
    changed = page(row("S/PV.1", "1 May", "x", "--"), header="<tr><th>When</th><th>What</th></tr>")
    path = tmp_path / "scact2010_table_en.html"
    path.write_bytes(changed)
    with pytest.raises(SourceError, match=r"scact2010_table_en\.html.*no table with the expected"):
        parse_year(path, year=2010)


def test_unknown_column_raises_source_error(tmp_path):
    header = HEADER5.replace("<th>Topic</th>", "<th>Agenda</th>")
    with pytest.raises(SourceError, match="unknown column"):
        parse_year(page("", header=header), year=2010, name="x.html")


def test_row_with_extra_cells_raises_source_error_naming_the_row():
    rows = row("S/PV.1", "1 May", "SC/1", "Topic", "--") + row(
        "S/PV.2", "2 May", "SC/2", "Topic", "S/RES/1 (2010)<br>15-0-0", "surprise"
    )
    with pytest.raises(SourceError, match=r"x\.html, table row 2: 6 cells"):
        parse_year(page(rows), year=2010, name="x.html")


def test_row_missing_cells_before_the_outcome_raises_source_error():
    with pytest.raises(SourceError, match="table row 1: 3 cells"):
        parse_year(page(row("S/PV.1", "1 May", "SC/1")), year=2010, name="x.html")


@pytest.mark.parametrize("bad", ["31 Junly", "May 1", "31 June"])
def test_unreadable_date_raises_source_error_naming_the_row(bad):
    rows = row("S/PV.1", "1 May", "SC/1", "T", "--") + row("S/PV.2", bad, "SC/2", "T", "--")
    with pytest.raises(SourceError, match=rf"table row 2: .*{bad}"):
        parse_year(page(rows), year=2010, name="x.html")


def test_decisions_in_one_cell_become_records_in_order():
    cell = (
        "Draft resolution S/2010/5 vetoed by the United States and UK<br>12-2-1<br>"
        "S/2010/6 was not adopted 4-7-4<br>S/RES/2900 (2010)<br>14-0-1 S/PRST/2010/3"
    )
    parsed = parse_year(
        page(row("S/PV.9500 (closed)", "3 March", "none issued", "T", cell)), year=2010
    )
    records = parsed.records
    assert [r.outcome for r in records] == [Outcome.VETOED, Outcome.NOT_ADOPTED, Outcome.ADOPTED]
    assert records[0].vetoed_by == ("USA", "GBR")
    assert (records[0].recorded_yes, records[0].recorded_no) == (12, 2)
    assert records[1].draft_symbol == "S/2010/6" and records[1].tally_text == "4-7-4"
    assert (records[2].resolution_number, records[2].resolution_year) == (2900, 2010)
    assert [r.location for r in records] == [f"table row 1, decision {k} of 3" for k in (1, 2, 3)]
    assert all(r.meeting_symbol == "S/PV.9500" and r.extra["closed"] for r in records)
    assert all(r.press_release == "" and r.date == date(2010, 3, 3) for r in records)


def test_statements_communiques_and_empty_cells_make_no_records():
    rows = (
        row("S/PV.1", "1 May", "SC/1", "T", "--")
        + row("S/PV.2", "2 May", "SC/2", "T", "S/PRST/2010/1")
        + row("S/PV.3", "3 May", "none issued", "T", "Communiqu&#233;")
        + row("S/PV.4", "4 May", "SC/4", "T", "Election of Mr. A (UK) and Mr. B (USSR)")
    )
    parsed = parse_year(page(rows), year=2010)
    assert parsed.records == ()
    assert not any("not understood" in w for w in parsed.warnings)


def test_rowspan_and_blank_cells_continue_the_meeting_above():
    rows = (
        '<tr><th rowspan="2">S/PV.530</th><th rowspan="2">30 November</th>'
        "<td>Taiwan</td><td>Draft resolution S/1921 not adopted<br>1-9-0</td></tr>"
        "<tr><td>Korea</td><td>Draft resolution S/1894 vetoed by USSR<br>9-1-1</td></tr>"
        + row("", "", "Palestine", "S/RES/89 (1950)<br>9-0-2")
    )
    parsed = parse_year(page(rows, header=HEADER4), year=1950)
    assert [r.meeting_symbol for r in parsed.records] == ["S/PV.530"] * 3
    assert {r.date for r in parsed.records} == {date(1950, 11, 30)}
    assert [r.agenda for r in parsed.records] == ["Taiwan", "Korea", "Palestine"]
    assert parsed.records[1].vetoed_by == ("SUN",)


def test_adopted_unanimously_and_without_vote_give_no_totals():
    rows = row("S/PV.1", "1 May", "T", "S/RES/29 (1947)<br>adopted unanimously") + row(
        "S/PV.2", "2 May", "T", "S/RES/30 (1947)<br>without vote"
    )
    unanimous, without = parse_year(page(rows, header=HEADER4), year=1947).records
    assert unanimous.outcome == Outcome.ADOPTED and unanimous.recorded_yes is None
    assert unanimous.modality == "" and any("without numbers" in f for f in unanimous.flags)
    assert without.modality == Modality.WITHOUT_VOTE and without.recorded_yes is None


def test_bare_tally_without_decision_is_kept_and_flagged():
    (record,) = parse_year(
        page(row("S/PV.8823", "22 July", "SC/1", "T", "2-0-13")), year=2021
    ).records
    assert record.outcome == "" and record.draft_symbol == "" and record.tally_text == "2-0-13"
    assert any("names no decision" in f for f in record.flags)


def test_odd_rows_are_tolerated_with_warnings():
    rows = (
        '<tr><td colspan="6">Document links will work later.</td></tr>'
        + "<tr> </tr>"
        + row("S/PV.1", "14-15 October", "SC/1", "T", "S/RES/1 (2010)<br>15-0-0", "--")
        + "<tr><td>S/PV.2</td><td>1 May</td><td>SC/2</td><td>T</td></tr>"
    )
    parsed = parse_year(page(rows), year=2010)
    (record,) = parsed.records
    assert record.date == date(2010, 10, 14)
    assert any("first day is used" in f for f in record.flags)
    assert any("note across the table" in w for w in parsed.warnings)
    assert any("extra empty cell" in w for w in parsed.warnings)
    assert any("no outcome cell" in w for w in parsed.warnings)


def test_last_updated_date_becomes_the_version():
    parsed = parse_year(page("", before="<p>Last updated: 12 July 2022</p>"), year=2022)
    assert parsed.version == "12 July 2022"
    assert any("last updated" in w for w in parsed.warnings)
    assert parse_year(page(""), year=2022).version == "2022"


def test_videoconference_layout_reads_letters_and_no_meeting_record():
    header = (
        "<tr><th>Meeting Record</th><th>Date</th><th>Recording</th><th>Topic</th>"
        "<th>Letter with Vote Procedure / Briefings</th><th>Letter with Vote Outcome</th>"
        "<th>Security Council Outcome / Vote</th></tr>"
    )
    cell = "S/2020/667 <br>vetoed by China, Russian Federation<br>13-2-0"
    rows = row("--", "10 July", "Webcast", "Middle East", "S/2020/693", "S/2020/681", cell)
    (record,) = parse_year(page(rows, header=header), year=2020).records
    assert record.draft_symbol == "S/2020/667" and record.vetoed_by == ("CHN", "RUS")
    assert record.meeting_symbol == "" and any("no meeting record" in f for f in record.flags)
    assert record.extra["outcome_letter"] == "S/2020/681"


def test_directory_parse_picks_table_files_and_year_filter(tmp_path):
    one = row("S/PV.1", "1 May", "SC/1", "T", "S/RES/1 (2010)<br>15-0-0")
    (tmp_path / "scact2010_table_en.html").write_bytes(page(one))
    (tmp_path / "scact2011_table_en.html").write_bytes(page(one.replace("2010", "2011")))
    (tmp_path / "scact_veto_table_en.html").write_bytes(b"<html>not a meetings table</html>")
    parsed = parse(tmp_path, years=range(2011, 2032))
    (record,) = parsed.records
    assert record.resolution_year == 2011
    assert record.location == "scact2011_table_en.html, table row 1"
    with pytest.raises(SourceError, match=r"no scactYEAR_table_en\.html"):
        parse(tmp_path, years=range(1946, 1947))
