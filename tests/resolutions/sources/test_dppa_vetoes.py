"""The DPPA-SCVETOES parser, on files the tests write in the layout public code uses.

No copy of DPPA's file is stored, so these files are our own, in the layout taken from
public code (docstring of ``resolutions.sources.dppa_vetoes``); nothing here says the
real file looks like this.
"""

from __future__ import annotations

from datetime import date

import pytest

from resolutions.sources import dppa_vetoes
from resolutions.sources.records import SourceError
from votes.choices import Outcome, Source

HEADER = ",".join(dppa_vetoes.COLUMNS)


def _row(
    row_id=1,
    day="2022-05-26",
    draft="S/2022/431",
    record="9048",
    marks=None,
    pms="2",
    update="2023-01-10",
) -> str:
    marks = marks or {"china": "1", "russian_federation_ussr": "1"}
    members = [marks.get(column, "") for column in dppa_vetoes.MEMBER_COLUMNS]
    cells = [
        str(row_id),
        day,
        draft,
        record,
        "Non-proliferation",
        "DPRK",
        pms,
        f"https://undocs.org/{draft}",
        *members,
        update,
    ]
    return ",".join(f'"{c}"' for c in cells)


def _file(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (("\ufeff" if bom else "") + text).encode()


def test_a_row_in_the_layout():
    parsed = dppa_vetoes.parse(_file(_row(), bom=True))
    (record,) = parsed.records
    assert parsed.source == Source.DPPA_VETOES
    assert (record.date, record.draft_symbol, record.meeting_symbol) == (
        date(2022, 5, 26),
        "S/2022/431",
        "S/PV.9048",
    )
    assert record.outcome == Outcome.VETOED
    assert record.vetoed_by == ("CHN", "RUS")
    assert record.url == "https://undocs.org/S/2022/431"
    assert record.flags == ()
    assert parsed.version == "2023-01-10"


def test_the_russian_seat_is_the_ussr_before_24_december_1991():
    rows = [
        _row(1, "1991-12-23", "S/1", marks={"russian_federation_ussr": "1"}, pms="1"),
        _row(2, "1991-12-24", "S/2", marks={"russian_federation_ussr": "1"}, pms="1"),
    ]
    records = dppa_vetoes.parse(_file(*rows)).records
    assert [r.vetoed_by for r in records] == [("SUN",), ("RUS",)]


@pytest.mark.parametrize("mark", ["1", "1.0", "x", "X", "yes", "TRUE", "veto", "United States"])
def test_plausible_veto_marks_are_read(mark):
    row = _row(marks={"united_states": mark, "france": "0", "china": "no"}, pms="1")
    (record,) = dppa_vetoes.parse(_file(row)).records
    assert record.vetoed_by == ("USA",)


@pytest.mark.parametrize("mark", ["2", "maybe", "China"])
def test_any_other_mark_is_refused_naming_the_column(mark):
    row = _row(marks={"united_kingdom": mark}, pms="1")
    with pytest.raises(SourceError, match=r"united_kingdom holds '"):
        dppa_vetoes.parse(_file(row))


@pytest.mark.parametrize(
    ("header", "difference"),
    [
        (HEADER.replace("record", "meeting"), "missing record; unexpected 'meeting'"),
        (HEADER.replace(",last_update", ""), "missing last_update"),
        (HEADER + ",notes", "unexpected 'notes'"),
        (
            HEADER.replace("china,russian_federation_ussr", "russian_federation_ussr,china"),
            "column 9 is 'russian_federation_ussr', expected 'china'",
        ),
        (HEADER.replace("france", "france,france"), "repeated france"),
    ],
)
def test_a_header_that_differs_is_refused_naming_the_difference(header, difference):
    with pytest.raises(SourceError) as refused:
        dppa_vetoes.parse(_file(header=header))
    assert difference in str(refused.value)
    assert "taken from public code" in str(refused.value)


def test_a_date_not_in_iso_form_is_refused():
    with pytest.raises(SourceError, match="not an ISO date"):
        dppa_vetoes.parse(_file(_row(day="26/05/2022")))


def test_inconsistencies_are_flagged_not_guessed():
    rows = [
        _row(1, pms="3"),
        _row(2, draft="S/2022/431", record="S/2022/440 S/2022/441"),
        _row(3, draft="", marks={"france": "0"}, pms="0"),
    ]
    first, second, third = dppa_vetoes.parse(_file(*rows)).records
    assert "pms_count" in {k for k, _ in first.extra["faults"]}
    assert {"record_documents", "repeated_draft"} <= {k for k, _ in second.extra["faults"]}
    assert second.meeting_symbol == "" and second.extra["record_documents"] == (
        "S/2022/440",
        "S/2022/441",
    )
    assert {"no_member", "no_draft"} <= {k for k, _ in third.extra["faults"]}


def test_a_repeated_id_is_refused():
    with pytest.raises(SourceError, match="id 1 is also at line 2"):
        dppa_vetoes.parse(_file(_row(1), _row(1, draft="S/2")))
