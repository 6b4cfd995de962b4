"""The Dag Hammarskjöld Library Veto List parser, on the real page and on synthetic pages.

Counts about the real page are recounted here with a plain regex reading of the
raw HTML, independent of the parser's lxml reading.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources import dhl_veto
from resolutions.sources.records import SourceError
from votes.choices import Outcome, Source

VETO_PAGE = Path("dhl_meetings_tables") / "scact_veto_table_en.html"

# The test's own reading of the member names on the page.
NAMES = {
    "USSR": "SUN",
    "Russian Federation": "RUS",
    "China": "CHN",
    "France": "FRA",
    "UK": "GBR",
    "USA": "USA",
}


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", fragment)).split())


def _raw_rows(page: Path) -> list[list[str]]:
    """Raw cell HTML of every <tr> block whose first <td> is a date."""
    source = page.read_text(encoding="utf-8")
    rows = []
    for block in re.split(r"<tr\b[^>]*>", source, flags=re.IGNORECASE)[1:]:
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", block, flags=re.IGNORECASE | re.DOTALL)
        if cells and re.fullmatch(r"\d{1,2}(-\d{1,2})? [A-Z][a-z]+ (\d{2}|\d{4})", _text(cells[0])):
            rows.append(cells)
    return rows


def _raw_members(cell: str) -> list[str]:
    names = _text(re.sub(r"<\s*/?\s*br\s*/?\s*>", ",", cell, flags=re.IGNORECASE)).split(",")
    return [NAMES[name.strip()] for name in names if name.strip()]


def _raw_year(cell: str) -> int:
    year = int(_text(cell).split()[-1])
    return year + 1900 if year < 100 else year


def _flagged(records, kind: str) -> list:
    return [r for r in records if any(flag.startswith(kind) for flag in r.flags)]


@pytest.fixture(scope="module")
def page(shared_data: Path) -> Path:
    return shared_data / VETO_PAGE


@pytest.fixture(scope="module")
def parsed(page: Path):
    return dhl_veto.parse(page)


@pytest.fixture(scope="module")
def raw_rows(page: Path) -> list[list[str]]:
    return _raw_rows(page)


def _by_draft(parsed, symbol: str):
    matches = [r for r in parsed.records if r.draft_symbol == symbol]
    assert len(matches) == 1, matches
    return matches[0]


# --- the real page -------------------------------------------------------------------


@pytest.mark.realdata
def test_one_record_per_table_row_in_the_pages_order(parsed, raw_rows):
    assert len(raw_rows) > 200
    assert len(parsed.records) == len(raw_rows)
    assert [r.extra["date_as_written"] for r in parsed.records] == [
        _text(row[0]) for row in raw_rows
    ]
    assert [r.location for r in parsed.records] == [
        f"table row {n}" for n in range(1, len(raw_rows) + 1)
    ]
    assert {r.source for r in parsed.records} == {Source.DHL_VETO}
    assert {r.outcome for r in parsed.records} == {Outcome.VETOED}


@pytest.mark.realdata
def test_vetoes_per_member_match_a_raw_recount(parsed, raw_rows):
    raw = Counter(code for row in raw_rows for code in _raw_members(row[4]))
    assert Counter(code for r in parsed.records for code in r.vetoed_by) == raw
    assert [list(r.vetoed_by) for r in parsed.records] == [_raw_members(row[4]) for row in raw_rows]


@pytest.mark.realdata
def test_rows_per_decade_match_a_raw_recount(parsed, raw_rows):
    raw = Counter(_raw_year(row[0]) // 10 * 10 for row in raw_rows)
    assert Counter(r.date.year // 10 * 10 for r in parsed.records) == raw


@pytest.mark.realdata
def test_seed_case_s_2022_431(parsed):
    # Official record (domain.md): vetoed by China and the Russian Federation on
    # 26 May 2022 at S/PV.9048.
    record = _by_draft(parsed, "S/2022/431")
    assert record.date == date(2022, 5, 26)
    assert record.meeting_symbol == "S/PV.9048"
    assert set(record.vetoed_by) == {"CHN", "RUS"}
    assert record.url.endswith("/S/2022/431")
    assert record.flags == ()


@pytest.mark.realdata
def test_s_2022_155_vetoed_by_the_russian_federation(parsed, raw_rows):
    record = _by_draft(parsed, "S/2022/155")
    (raw,) = [row for row in raw_rows if _text(row[1]) == "S/2022/155"]
    assert record.vetoed_by == ("RUS",)
    assert record.extra["date_as_written"] == _text(raw[0]) == "25 February 2022"
    assert record.date == date(2022, 2, 25)
    assert "S/2014/136" in record.agenda  # the cited letter stays in the agenda text


@pytest.mark.realdata
def test_earliest_row_is_the_ussr_veto_of_16_february_1946(parsed):
    earliest = parsed.records[-1]
    assert earliest.date == min(r.date for r in parsed.records) == date(1946, 2, 16)
    assert earliest.vetoed_by == ("SUN",)
    assert earliest.extra["vetoed_by_as_written"] == ("USSR",)


@pytest.mark.realdata
def test_ussr_and_russian_federation_names_agree_with_the_date(parsed):
    for record in parsed.records:
        if "SUN" in record.vetoed_by:
            assert record.date < dhl_veto.RUSSIAN_SEAT_SUCCESSION, record.location
        if "RUS" in record.vetoed_by:
            assert record.date >= dhl_veto.RUSSIAN_SEAT_SUCCESSION, record.location


@pytest.mark.realdata
def test_meeting_record_in_draft_column_is_kept_and_flagged(parsed, raw_rows):
    raw = [
        row
        for row in raw_rows
        if all(s.startswith("S/PV.") for s in re.findall(r"S/[\w./]+", _text(row[1])))
    ]
    flagged = _flagged(parsed.records, dhl_veto.FLAG_PV_IN_DRAFT)
    assert len(flagged) == len(raw) > 0
    assert all(r.draft_symbol.startswith("S/PV.") for r in flagged)
    # 18 June 1946: the draft column reads S/PV.45, the written record S/PV.47.
    (record,) = [r for r in flagged if r.date == date(1946, 6, 18)]
    assert (record.draft_symbol, record.meeting_symbol) == ("S/PV.45", "S/PV.47")
    assert any(f.startswith(dhl_veto.FLAG_PV_MISMATCH) for f in record.flags)


@pytest.mark.realdata
def test_1946_france_ussr_preliminary_question_is_kept_and_flagged(parsed, raw_rows):
    raw = [row for row in raw_rows if "preliminary question" in _text(row[3]).lower()]
    flagged = _flagged(parsed.records, dhl_veto.FLAG_PRELIMINARY)
    assert len(flagged) == len(raw) > 0
    (record,) = [r for r in flagged if r.date == date(1946, 6, 26)]
    assert record.vetoed_by == ("FRA", "SUN")
    assert record.extra["vetoed_by_as_written"] == ("France", "USSR")


@pytest.mark.realdata
def test_several_symbols_in_draft_column_use_the_first_draft(parsed):
    (first,) = [r for r in parsed.records if r.extra.get("draft_cell") == "S/471 and S/471/Add.1"]
    assert first.draft_symbol == "S/471"
    assert first.url.endswith("/S/471")
    (second,) = [r for r in parsed.records if r.extra.get("draft_cell") == "S/552, S/PV.202"]
    assert second.draft_symbol == "S/552"
    for record in (first, second):
        assert any(f.startswith(dhl_veto.FLAG_SEVERAL_SYMBOLS) for f in record.flags)


@pytest.mark.realdata
def test_written_procedure_rows_keep_their_documents(parsed, raw_rows):
    raw = [row for row in raw_rows if "S/PV." not in _text(row[2])]
    flagged = _flagged(parsed.records, dhl_veto.FLAG_RECORD_DOCUMENTS)
    assert len(flagged) == len(raw) > 0
    assert all(r.meeting_symbol == "" for r in flagged)
    record = _by_draft(parsed, "S/2020/852")
    (raw_row,) = [row for row in raw_rows if _text(row[1]) == "S/2020/852"]
    assert record.extra["record_documents"] == tuple(re.findall(r"S/\d{4}/\d+", _text(raw_row[2])))


@pytest.mark.realdata
def test_no_last_updated_text_so_version_is_the_latest_date(parsed):
    assert parsed.version == max(r.date for r in parsed.records).isoformat()
    assert any("no 'last updated' text" in w for w in parsed.warnings)


# --- synthetic pages -----------------------------------------------------------------

HEADER = (
    "<tr><th>Date</th><th>Draft</th><th>Written<br>Record</th><th>Agenda Item</th>"
    "<th>Permanent<br>Member Casting<br>Negative Vote</th></tr>"
)


def _row(when: str, members: str, draft: str = "S/1", record: str = "S/PV.1") -> str:
    return (
        f'<tr><td>{when}</td><td><a href="https://undocs.org/en/{draft}">{draft}</a></td>'
        f"<td>{record}</td><td>Some item</td><td>{members}</td></tr>"
    )


def _page(*rows: str, header: str = HEADER, note: str = "") -> bytes:
    return f"<html>{note}<table>{header}{''.join(rows)}</table></html>".encode()


def test_changed_header_raises_source_error():
    header = HEADER.replace("Agenda Item", "Subject")
    with pytest.raises(SourceError, match="header changed"):
        dhl_veto.parse(_page(_row("1 May 2000", "USA"), header=header), name="veto.html")


def test_missing_header_raises_source_error():
    with pytest.raises(SourceError, match="no table header"):
        dhl_veto.parse(_page(_row("1 May 2000", "USA"), header=""))


def test_unknown_member_name_raises_source_error_naming_the_row(tmp_path):
    path = tmp_path / "veto.html"
    path.write_bytes(_page(_row("2 May 2000", "USA"), _row("1 May 2000", "Germany")))
    with pytest.raises(SourceError, match=r"table row 2.*'Germany'") as caught:
        dhl_veto.parse(path)
    assert caught.value.file == str(path)


def test_row_without_five_cells_raises_source_error():
    short = "<tr><td>1 May 2000</td><td>S/1</td><td>S/PV.1</td><td>USA</td></tr>"
    with pytest.raises(SourceError, match=r"table row 2.*5 cells, found 4"):
        dhl_veto.parse(_page(_row("2 May 2000", "USA"), short))


def test_unreadable_date_raises_source_error():
    with pytest.raises(SourceError, match=r"table row 1.*date"):
        dhl_veto.parse(_page(_row("sometime in May", "USA")))


def test_member_separators_and_page_order():
    page = _page(
        _row("3 May 2000", "Russian Federation</br>China"),
        _row("2 May 1980", "France, UK and USA"),
        _row("1 May 1980", "United Kingdom of Great Britain and Northern Ireland<br/>USSR"),
    )
    records = dhl_veto.parse(page).records
    assert [r.vetoed_by for r in records] == [
        ("RUS", "CHN"),
        ("FRA", "GBR", "USA"),
        ("GBR", "SUN"),
    ]
    assert records[0].extra["vetoed_by_as_written"] == ("Russian Federation", "China")


def test_ussr_after_1991_and_russian_federation_before_are_flagged():
    records = dhl_veto.parse(
        _page(_row("25 December 1991", "USSR"), _row("23 December 1991", "Russian Federation"))
    ).records
    assert records[0].vetoed_by == ("SUN",)
    assert any(f.startswith(dhl_veto.FLAG_USSR_LATE) for f in records[0].flags)
    assert records[1].vetoed_by == ("RUS",)
    assert any(f.startswith(dhl_veto.FLAG_RUSSIA_EARLY) for f in records[1].flags)


def test_date_range_two_digit_year_and_order_are_flagged():
    records = dhl_veto.parse(
        _page(
            _row("14-15 December 2001", "USA"),
            _row("30 January 86", "USA"),
            _row("1 May 1990", "USA"),
        )
    ).records
    assert records[0].date == date(2001, 12, 14)
    assert records[0].extra["date_end"] == date(2001, 12, 15)
    assert records[1].date == date(1986, 1, 30)
    assert any(f.startswith(dhl_veto.FLAG_TWO_DIGIT_YEAR) for f in records[1].flags)
    assert any(f.startswith(dhl_veto.FLAG_ORDER) for f in records[2].flags)
    assert not any(f.startswith(dhl_veto.FLAG_ORDER) for f in records[1].flags)


def test_written_procedure_documents_leave_the_meeting_blank():
    (record,) = dhl_veto.parse(
        _page(_row("31 August 2020", "USA", draft="S/2020/852", record="S/2020/870<br>S/2020/865"))
    ).records
    assert record.meeting_symbol == ""
    assert record.extra["record_documents"] == ("S/2020/870", "S/2020/865")
    assert record.url == "https://undocs.org/en/S/2020/852"


def test_last_updated_text_gives_the_version():
    parsed = dhl_veto.parse(
        _page(_row("1 May 2000", "USA"), note="<p>Last updated: 3 June 2022</p>")
    )
    assert parsed.version == "2022-06-03"
    assert not any("last updated" in w for w in parsed.warnings)
    assert dhl_veto.parse(_page(_row("1 May 2000", "USA"))).version == "2000-05-01"


@pytest.mark.realdata
def test_date_ranges_and_two_digit_years_match_a_raw_recount(parsed, raw_rows):
    firsts = [_text(row[0]) for row in raw_rows]
    ranges = [t for t in firsts if "-" in t]
    short_years = [t for t in firsts if len(t.split()[-1]) == 2]
    assert len(_flagged(parsed.records, dhl_veto.FLAG_DATE_RANGE)) == len(ranges) > 0
    assert len(_flagged(parsed.records, dhl_veto.FLAG_TWO_DIGIT_YEAR)) == len(short_years) > 0
    assert not _flagged(parsed.records, dhl_veto.FLAG_ORDER)


def test_link_to_another_document_is_flagged_and_text_wins():
    row = _row("14 October 2003", "USA", draft="S/2003/980").replace(
        "<td>S/PV.1</td>", '<td><a href="https://undocs.org/en/S/PV.PV.4842">S/PV.4842</a></td>'
    )
    (record,) = dhl_veto.parse(_page(row)).records
    assert record.meeting_symbol == "S/PV.4842"
    assert any(f.startswith(dhl_veto.FLAG_LINK_MISMATCH) for f in record.flags)


def test_last_updated_date_in_the_next_element_and_error_names_the_given_name():
    note = "<p>Last updated:</p><p>3 June 2022</p>"
    assert dhl_veto.parse(_page(_row("1 May 2000", "USA"), note=note)).version == "2022-06-03"
    with pytest.raises(SourceError) as caught:
        dhl_veto.parse(_page(_row("1 May 2000", "Germany")), name="veto page")
    assert caught.value.file == "veto page"
    assert str(caught.value).startswith("veto page, table row 1")
