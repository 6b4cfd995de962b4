"""The Yordán veto list parser, on the real file and on synthetic ones.

Counts about the real file are recounted with the csv module and the test's own table
of names; physical lines are counted on the raw text.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources import yordan_vetoes
from resolutions.sources.records import SourceError
from votes.choices import Outcome, Source

FILE = Path("yordan_vetoes") / "unsc_vetoes_1946_sept2022.csv"
NAMES = {"USSR": "SUN", "Russia": "RUS", "China": "CHN", "France": "FRA", "UK": "GBR", "USA": "USA"}
DUMMIES = {
    "China": "CHN",
    "France": "FRA",
    "Russia": "RUS",
    "USSR": "SUN",
    "USA": "USA",
    "UK": "GBR",
}


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict]:
    with (shared_data / FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def parsed(shared_data: Path):
    return yordan_vetoes.parse(shared_data / FILE)


def _names(row: dict) -> list[str]:
    return [row[f"member_veto{n}"] for n in (1, 2, 3) if row[f"member_veto{n}"]]


def kinds(record) -> set[str]:
    return {kind for kind, _ in record.extra["faults"]}


@pytest.mark.realdata
def test_one_vetoed_record_per_csv_record_though_some_span_two_lines(parsed, rows, shared_data):
    physical = (shared_data / FILE).read_text(encoding="utf-8").count("\n")
    assert len(parsed.records) == len(rows) and physical > len(rows) + 1
    assert {r.outcome for r in parsed.records} == {Outcome.VETOED}
    assert {r.source for r in parsed.records} == {Source.YORDAN_VETOES}
    spanning = [r for r in parsed.records if r.extra["lines"][0] != r.extra["lines"][1]]
    assert len(spanning) == sum("\n" in "".join(row.values()) for row in rows) > 0
    # Each record starts on the line that holds its date and draft.
    lines = (shared_data / FILE).read_text(encoding="utf-8").split("\n")
    for record, row in zip(parsed.records, rows, strict=True):
        first = lines[record.extra["lines"][0] - 1]
        assert first.startswith(f"{row['year']},{row['date']},"), record.location


@pytest.mark.realdata
def test_vetoes_per_member_match_a_recount_of_the_names(parsed, rows):
    recount = Counter(NAMES[name] for row in rows for name in _names(row))
    assert Counter(code for r in parsed.records for code in r.vetoed_by) == recount
    assert [list(r.vetoed_by) for r in parsed.records] == [
        [NAMES[n] for n in _names(row)] for row in rows
    ]


@pytest.mark.realdata
def test_rows_whose_dummy_columns_disagree_with_the_names_are_flagged(parsed, rows):
    disagree = [
        {DUMMIES[c] for c in DUMMIES if row[c] == "1"} != {NAMES[n] for n in _names(row)}
        for row in rows
    ]
    assert sum(disagree) > 10
    assert ["dummies_disagree" in kinds(r) for r in parsed.records] == disagree
    # 4 November 1966, S/7575/Rev.1: USSR named, no dummy marked; the name is what counts.
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/7575/Rev.1"]
    assert record.vetoed_by == ("SUN",)


@pytest.mark.realdata
def test_a_two_in_a_zero_one_column_is_flagged(parsed, rows):
    odd = [i for i, row in enumerate(rows) if row["usa_uk"] not in ("0", "1")]
    assert odd
    for i in odd:
        assert "not_zero_or_one" in kinds(parsed.records[i])


@pytest.mark.realdata
def test_dates_and_the_seed_case(parsed, rows):
    assert [r.date.isoformat() for r in parsed.records][:1] == ["1946-02-16"]
    months = [int(row["date"].split("/")[0]) for row in rows]
    assert [r.date.month for r in parsed.records] == months
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/2022/431"]
    assert (record.date, record.meeting_symbol) == (date(2022, 5, 26), "S/PV.9048")
    assert set(record.vetoed_by) == {"CHN", "RUS"}


@pytest.mark.realdata
def test_preliminary_questions_and_letters_are_marked(parsed, rows):
    preliminary = ["preliminary question" in row["agenda_item"].lower() for row in rows]
    assert sum(preliminary) > 0
    assert [r.extra["vote_on"] == "preliminary_question" for r in parsed.records] == preliminary
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/2020/852"]
    assert record.meeting_symbol == ""
    assert "record_documents" in kinds(record)


@pytest.mark.realdata
def test_warnings_count_each_kind(parsed):
    counts = Counter(kind for r in parsed.records for kind in kinds(r))
    for kind, count in counts.items():
        assert f"{count} record(s): {kind} ({yordan_vetoes.FAULTS[kind]})" in parsed.warnings


# --- synthetic files --------------------------------------------------------------


def _row(**changes) -> dict:
    row = dict.fromkeys(yordan_vetoes.COLUMNS, "0")
    row.update(
        year="1980",
        date="1/13/1980",
        month="1",
        draft="S/13735",
        meeting_record="S/PV.2191",
        agenda_item="Letter about Afghanistan",
        crisis_topic="Afghanistan",
        region="Central Asia",
        member_veto1="USSR",
        member_veto2="",
        member_veto3="",
        single_veto="1",
        USSR="1",
    )
    row.update(changes)
    return row


def _file(*rows: dict, header=yordan_vetoes.COLUMNS) -> bytes:
    lines = [",".join(header)]
    lines += [",".join(f'"{row[c]}"' for c in header) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def test_a_clean_row():
    (record,) = yordan_vetoes.parse(_file(_row())).records
    assert (record.date, record.draft_symbol, record.meeting_symbol) == (
        date(1980, 1, 13),
        "S/13735",
        "S/PV.2191",
    )
    assert record.vetoed_by == ("SUN",)
    assert record.extra["faults"] == []


def test_russia_before_the_succession_is_flagged():
    row = _row(member_veto1="Russia", USSR="0", Russia="1")
    (record,) = yordan_vetoes.parse(_file(row)).records
    assert record.vetoed_by == ("RUS",)
    assert "name_anachronistic" in kinds(record)


def test_derived_columns_disagreeing_are_flagged():
    row = _row(member_veto2="USA", single_veto="1", multiple_vetoes="0", usa_uk="1")
    (record,) = yordan_vetoes.parse(_file(row)).records
    assert record.vetoed_by == ("SUN", "USA")
    assert {"dummies_disagree", "counts_disagree", "pair_disagrees"} <= kinds(record)


def test_a_record_spanning_two_lines_starts_where_it_starts():
    first, second = _row(), _row(date="1/14/1980", meeting_record="S/PV.2192\nS/PV.2193")
    third = _row(date="1/15/1980", draft="S/13736")
    records = yordan_vetoes.parse(_file(first, second, third)).records
    assert [r.location for r in records] == ["line 2", "line 3", "line 5"]
    assert "several_meetings" in kinds(records[1]) and records[1].meeting_symbol == ""
    assert "repeated_draft" in kinds(records[0])


def test_out_of_order_rows_are_flagged():
    records = yordan_vetoes.parse(_file(_row(date="2/1/1980"), _row(draft="S/2"))).records
    assert "out_of_order" in kinds(records[1])


@pytest.mark.parametrize(
    ("change", "message"),
    [({"date": "13/1/1980"}, "unreadable date"), ({"member_veto1": ""}, "no vetoing member")],
)
def test_bad_rows_are_refused(change, message):
    with pytest.raises(SourceError, match=message):
        yordan_vetoes.parse(_file(_row(**change)))


def test_another_header_is_refused():
    header = tuple(c if c != "draft" else "draft_symbol" for c in yordan_vetoes.COLUMNS)
    row = {("draft_symbol" if k == "draft" else k): v for k, v in _row().items()}
    with pytest.raises(SourceError, match="not the Yordán layout"):
        yordan_vetoes.parse(_file(row, header=header))
