"""The Voting-Agent parser, on the real file and on tiny synthetic ones.

Facts about the real file are recounted here with the csv module, independently of the
parser; the official dates used to judge the date check are read from the Library's
meetings tables with a regex, not with the project's parser.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources import voting_agent
from resolutions.sources.records import SourceError
from votes.choices import Modality, Outcome, Source

CSV = Path("sc_voting_agent_1994_2025") / "sc_voting_from_xlsx_DERIVED.csv"
XLSX = Path("sc_voting_agent_1994_2025") / "sc_voting.xlsx"
MONTHS = {
    m: n
    for n, m in enumerate(
        (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        start=1,
    )
}


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> dict[int, list[dict]]:
    """The file's rows by vote ID, read with the csv module."""
    rows = defaultdict(list)
    with (shared_data / CSV).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[int(row["ID"])].append(row)
    return rows


@pytest.fixture(scope="module")
def parsed(shared_data: Path):
    return voting_agent.parse(shared_data / CSV)


@pytest.fixture(scope="module")
def by_id(parsed) -> dict:
    return {r.extra["id"]: r for r in parsed.records}


@pytest.fixture(scope="module")
def official_dates(shared_data: Path) -> dict[str, date]:
    """Meeting record -> date, from the Library's yearly meetings tables (1994-2022)."""
    dates = {}
    cell = re.compile(r"(S/PV\.\d+)</a>\s*</td>\s*<td>\s*(\d{1,2}) ([A-Z][a-z]+)\s*</td>")
    for year in range(1994, 2023):
        for page in (shared_data / "dhl_meetings_tables").glob(f"scact{year}*_table_en.html"):
            for meeting, day, month in cell.findall(page.read_text(encoding="utf-8")):
                if month in MONTHS:
                    dates.setdefault(meeting, date(year, MONTHS[month], int(day)))
    return dates


def kinds(record) -> set[str]:
    return {kind for kind, _ in record.extra["faults"]}


# --- the real file ----------------------------------------------------------------


@pytest.mark.realdata
def test_one_record_per_vote_id_with_every_row_kept(parsed, raw):
    assert len(parsed.records) == len(raw) > 1900
    assert [r.extra["id"] for r in parsed.records] == list(raw)
    for record in parsed.records:
        rows = raw[record.extra["id"]]
        listed = record.extra.get("votes_as_written") or record.votes
        assert len(listed) == len(rows), record.location
        assert [v.name for v in listed] == [" ".join(r["Member State"].split()) for r in rows]
    assert {r.source for r in parsed.records} == {Source.VOTING_AGENT}


@pytest.mark.realdata
def test_outcome_labels_as_written_match_a_recount(parsed, raw):
    recount = Counter(rows[0]["Outcome results"] for rows in raw.values())
    assert Counter(r.extra["outcome_as_written"] for r in parsed.records) == recount
    assert recount["Not adopted - veto"] > 60


@pytest.mark.realdata
def test_positions_match_a_recount(parsed, raw):
    words = {"Yes": "Y", "No": "N", "Abstain": "A"}
    for record in parsed.records:
        rows = raw[record.extra["id"]]
        assert record.extra["positions"] == dict(Counter(words[r["Vote"]] for r in rows))


@pytest.mark.realdata
def test_seed_case_s_2022_431(parsed):
    (record,) = [r for r in parsed.records if r.draft_symbol == "S/2022/431"]
    assert record.date == date(2022, 5, 26)
    assert record.meeting_symbol == "S/PV.9048"
    assert record.outcome == Outcome.VETOED
    assert set(record.vetoed_by) == {"CHN", "RUS"}
    assert Counter(v.position for v in record.votes) == {"Y": 13, "N": 2}
    assert all(v.code for v in record.votes)
    assert record.extra["faults"] == []


@pytest.mark.realdata
def test_no_swapped_date_is_kept_and_no_right_date_called_swapped(parsed, official_dates):
    judged = kept = 0
    for record in parsed.records:
        official = official_dates.get(record.meeting_symbol)
        written = record.extra["date_as_written"]
        if official is None:
            continue
        judged += 1
        if "day_month_swapped" in kinds(record):
            assert record.date is None
            assert written != official, record.location
        if record.date is not None:
            kept += 1
            swapped = written.day <= 12 and date(written.year, written.day, written.month)
            assert not (swapped and swapped == official and swapped != written), record.location
    assert judged > 1500 and kept > 1000


@pytest.mark.realdata
def test_day_month_swap_examples(by_id, raw, official_dates):
    # ID 1: resolution 893 (1994) at S/PV.3326, written 1994-06-01; the Library: 6 January.
    for vote_id in (1, 1464, 1574):
        record = by_id[vote_id]
        written = date.fromisoformat(raw[vote_id][0]["date_iso"])
        assert record.date is None
        assert "day_month_swapped" in kinds(record)
        assert record.extra["date_as_written"] == written
        assert record.extra["date_deduced"] == date(written.year, written.day, written.month)
        assert record.extra["date_deduced"] == official_dates[record.meeting_symbol]


@pytest.mark.realdata
def test_votes_copied_from_another_years_vote_are_withheld(by_id, raw):
    # ID 82 is resolution 972 (1995); its member rows are those of S/2001/1199 (ID 505).
    def ballots(vote_id):
        return sorted((r["Member State"], r["Vote"]) for r in raw[vote_id])

    assert raw[82][0]["Resolution"] == "972 (1995)"
    assert ballots(82) == ballots(505)
    record = by_id[82]
    assert record.votes == ()
    assert "votes_shifted" in kinds(record)
    assert len(record.extra["votes_as_written"]) == len(raw[82])
    assert by_id[505].votes  # the vote they were copied from keeps them


@pytest.mark.realdata
def test_a_member_listed_under_two_votes_has_only_its_vote_withheld(by_id, raw):
    # S/2020/797, S/2020/1054 and S/2021/898 list a member (two on S/2020/1054) under
    # two different votes: only those members' votes are withheld, the others stand.
    for vote_id in (1722, 1735, 1790):
        listed = defaultdict(set)
        for row in raw[vote_id]:
            listed[row["Member State"]].add(row["Vote"])
        twice = {name for name, votes in listed.items() if len(votes) > 1}
        assert twice
        record = by_id[vote_id]
        assert "member_listed_twice" in kinds(record)
        assert sorted(v.name for v in record.votes) == sorted(set(listed) - twice)
        assert set(record.extra["conflicting"]) == twice
        for name in twice:
            words = {"Y": "Yes", "N": "No", "A": "Abstain"}
            assert {words[p] for p in record.extra["conflicting"][name]} == listed[name]


@pytest.mark.realdata
def test_duplicated_veto_labelled_adopted_has_no_outcome(by_id, raw):
    rows = raw[75]
    assert rows[0]["Draft"] == "S/1995/394" and rows[0]["Outcome results"] == "Adopted unanimously"
    assert [r["Member State"] for r in rows if r["Vote"] == "No"] == ["United States"]
    record = by_id[75]
    assert record.outcome == ""
    assert {"outcome_contradicts_votes", "repeated_vote"} <= kinds(record)
    assert by_id[104].outcome == Outcome.VETOED and by_id[104].vetoed_by == ("USA",)


@pytest.mark.realdata
def test_symbols_with_spaces_or_words_are_tidied_and_flagged(parsed, raw):
    spaced = [i for i, rows in raw.items() if rows[0]["Draft"] != rows[0]["Draft"].strip(" \xa0")]
    assert len(spaced) >= 5
    records = {r.extra["id"]: r for r in parsed.records}
    for vote_id in spaced:
        assert "symbol_spaces" in kinds(records[vote_id]), vote_id
        assert records[vote_id].draft_symbol == raw[vote_id][0]["Draft"].strip(" \xa0")
    (revised,) = [
        r for r in parsed.records if r.extra["draft_as_written"] == "S/2007/14 as orally revised"
    ]
    assert revised.draft_symbol == "S/2007/14"
    assert "symbol_words" in kinds(revised)


@pytest.mark.realdata
def test_amendments_are_marked_and_linked_to_the_draft_of_their_meeting(parsed, raw):
    same_meeting = {rows[0]["Draft"] for rows in raw.values() if rows[0]["Meeting"] == "S/PV.9616"}
    assert same_meeting == {"S/2024/302", "S/2024/323 (amendment)"}
    (amendment,) = [r for r in parsed.records if r.draft_symbol == "S/2024/323"]
    assert amendment.extra["vote_on"] == "amendment"
    assert amendment.extra["amended_draft"] == "S/2024/302"
    oral = [r for r in parsed.records if r.extra["draft_as_written"].startswith("Oral amendment")]
    assert len(oral) == sum(r[0]["Draft"].startswith("Oral amendment") for r in raw.values())
    assert all(r.extra["vote_on"] == "amendment" and r.draft_symbol == "" for r in oral)
    assert all(r.extra.get("amended_draft") for r in oral)


@pytest.mark.realdata
def test_warnings_count_each_kind_of_fault(parsed):
    counts = Counter(kind for r in parsed.records for kind in kinds(r))
    for kind, count in counts.items():
        assert f"{count} record(s): {kind} ({voting_agent.FAULTS[kind]})" in parsed.warnings


@pytest.mark.realdata
def test_the_xlsx_gives_the_same_records(shared_data, parsed):
    pytest.importorskip("openpyxl")
    from_xlsx = voting_agent.parse(shared_data / XLSX)
    assert any("blank row(s) skipped" in w for w in from_xlsx.warnings)
    fields = ("date", "draft_symbol", "resolution_number", "meeting_symbol", "outcome", "votes")
    for a, b in zip(parsed.records, from_xlsx.records, strict=True):
        assert [getattr(a, f) for f in fields] == [getattr(b, f) for f in fields], a.location
        assert a.extra["faults"] == b.extra["faults"]


# --- synthetic files --------------------------------------------------------------

PERMANENT = ["China", "France", "Russian Federation", "United Kingdom", "United States"]
COUNCIL_2000 = [
    *PERMANENT,
    *("Argentina", "Bangladesh", "Canada", "Jamaica", "Malaysia"),
    *("Mali", "Namibia", "Netherlands", "Tunisia", "Ukraine"),
]
COUNCIL_2001 = [
    *PERMANENT,
    *("Bangladesh", "Colombia", "Ireland", "Jamaica", "Mali"),
    *("Mauritius", "Norway", "Singapore", "Tunisia", "Ukraine"),
]
HEADER = [*voting_agent.COLUMNS, "date_iso"]


def _vote(vote_id, day, meeting, *, council, draft="", resolution="", outcome="", no=()):
    outcome = outcome or ("Adopted unanimously" if not no else "Not adopted - veto")
    serial = (day - date(1899, 12, 30)).days
    rows = []
    for member in council:
        rows.append(
            {
                **dict.fromkeys(HEADER, ""),
                "Year": str(day.year),
                "Date": str(serial),
                "Resolution": resolution,
                "Meeting": str(meeting),
                "Draft": draft or f"S/{day.year}/{vote_id}",
                "Agenda item": "The situation in Somewhere",
                "Submitted by": "France, United Kingdom",
                "Outcome results": outcome,
                "Vote": "No" if member in no else "Yes",
                "Member State": member,
                "ID": str(vote_id),
                "Topic": "Somewhere",
                "date_iso": day.isoformat(),
            }
        )
    return rows


def _file(*votes, header=HEADER) -> bytes:
    lines = [",".join(header)]
    for rows in votes:
        for row in rows:
            lines.append(",".join(f'"{row.get(c, "")}"' for c in header))
    return ("\n".join(lines) + "\n").encode()


def _year_2000(*extra_votes):
    """Four well-behaved 2000 votes at meetings 100-130, then the votes under test."""
    base = [
        _vote(1, date(2000, 1, 20), 100, council=COUNCIL_2000, resolution="1 (2000)"),
        _vote(2, date(2000, 2, 18), 110, council=COUNCIL_2000, resolution="2 (2000)"),
        _vote(3, date(2000, 3, 21), 120, council=COUNCIL_2000, resolution="3 (2000)"),
        _vote(4, date(2000, 4, 25), 130, council=COUNCIL_2000, resolution="4 (2000)"),
    ]
    return _file(*base, *extra_votes)


def _record(parsed, vote_id):
    (record,) = [r for r in parsed.records if r.extra["id"] == vote_id]
    return record


def test_a_date_that_fits_only_swapped_is_withheld_with_the_deduction():
    # Meeting 115 lies between 110 (18 February) and 120 (21 March): written 3 November
    # it is out of step; read day-first, 11 March, it fits.
    parsed = voting_agent.parse(
        _year_2000(_vote(5, date(2000, 11, 3), 115, council=COUNCIL_2000, resolution=""))
    )
    record = _record(parsed, 5)
    assert record.date is None
    assert record.extra["date_as_written"] == date(2000, 11, 3)
    assert record.extra["date_deduced"] == date(2000, 3, 11)
    assert "day_month_swapped" in kinds(record)
    assert all(_record(parsed, i).date is not None for i in (1, 2, 3, 4))


def test_a_swappable_date_that_fits_as_written_is_kept():
    # 2000-03-05 fits between 18 February and 21 March; 3 May would not.
    parsed = voting_agent.parse(_year_2000(_vote(5, date(2000, 3, 5), 115, council=COUNCIL_2000)))
    assert _record(parsed, 5).date == date(2000, 3, 5)
    assert "day_month_swapped" not in kinds(_record(parsed, 5))


def test_a_date_that_fits_neither_way_is_withheld():
    parsed = voting_agent.parse(_year_2000(_vote(5, date(2000, 9, 10), 115, council=COUNCIL_2000)))
    record = _record(parsed, 5)
    assert record.date is None
    assert "date_out_of_sequence" in kinds(record)
    assert "date_deduced" not in record.extra


def test_votes_of_another_years_council_are_withheld():
    shifted = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2001, no=("United States",))
    later = [_vote(10 + i, date(2001, 1, 17 + i), 200 + i, council=COUNCIL_2001) for i in range(3)]
    parsed = voting_agent.parse(_year_2000(shifted, *later))
    record = _record(parsed, 5)
    assert record.votes == ()
    assert "votes_shifted" in kinds(record)
    assert "Council of 2001" in dict(record.extra["faults"])["votes_shifted"]
    assert record.outcome == Outcome.VETOED  # the votes are withheld, not the stated outcome
    assert record.vetoed_by == ()  # ... but nothing says who vetoed


def test_a_stated_outcome_that_contradicts_article_27_is_withheld():
    # 14 in favour and the United States against, called a failure for want of votes.
    bad = _vote(
        5,
        date(2000, 5, 16),
        140,
        council=COUNCIL_2000,
        no=("United States",),
        outcome="Not adopted - failed to receive required number of votes",
    )
    record = _record(voting_agent.parse(_year_2000(bad)), 5)
    assert record.outcome == ""
    assert record.extra["outcome_as_written"].startswith("Not adopted - failed")
    assert "outcome_contradicts_votes" in kinds(record)
    assert len(record.votes) == 15


def test_a_veto_agreeing_with_the_votes_names_the_vetoer():
    veto = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000, no=("Russian Federation",))
    record = _record(voting_agent.parse(_year_2000(veto)), 5)
    assert (record.outcome, record.vetoed_by) == (Outcome.VETOED, ("RUS",))
    assert record.modality == Modality.RECORDED_VOTE


def test_member_twice_and_members_unlisted():
    twice = _vote(5, date(2000, 5, 16), 140, council=[*COUNCIL_2000[:-1], "Tunisia"])
    twice[-1]["Vote"] = "Abstain"  # Tunisia listed in favour and abstaining
    short = _vote(6, date(2000, 5, 18), 141, council=COUNCIL_2000[:-1])
    parsed = voting_agent.parse(_year_2000(twice, short))
    assert len(_record(parsed, 5).votes) == 13  # Ukraine unlisted, Tunisia withheld
    assert "Tunisia" not in {v.name for v in _record(parsed, 5).votes}
    assert _record(parsed, 5).extra["conflicting"] == {"Tunisia": ("A", "Y")}
    assert "member_listed_twice" in kinds(_record(parsed, 5))
    record = _record(parsed, 6)
    assert len(record.votes) == 14
    assert record.extra["unlisted_members"] == ("Ukraine",)
    assert "members_unlisted" in kinds(record)


def test_a_vote_repeated_in_a_second_row_is_counted_once():
    repeated = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000)
    repeated.insert(3, dict(repeated[3]))  # the same member, the same vote, twice
    record = _record(voting_agent.parse(_year_2000(repeated)), 5)
    assert len(record.votes) == len(COUNCIL_2000) == len(repeated) - 1
    assert sorted(v.name for v in record.votes) == sorted(COUNCIL_2000)
    assert "member_repeated" in kinds(record) and "member_listed_twice" not in kinds(record)


def test_symbol_faults_in_the_draft_cell():
    cells = {
        5: ("S/2000/55\xa0", "symbol_spaces", "S/2000/55"),
        6: ("s/2000/56", "symbol_lower_case", "S/2000/56"),
        7: ("S/2000/57 as orally revised", "symbol_words", "S/2000/57"),
        8: ("S/20000/58", "symbol_malformed", ""),
        9: ("S/2000/59; S/2000/60", "several_symbols", ""),
    }
    votes = [
        _vote(
            i,
            date(2000, 5, 15 + i),
            135 + i,
            council=COUNCIL_2000,
            draft=d,
            resolution=f"{i} (2000)",
        )
        for i, (d, _, _) in cells.items()
    ]
    parsed = voting_agent.parse(_year_2000(*votes))
    for vote_id, (_, kind, symbol) in cells.items():
        record = _record(parsed, vote_id)
        assert kind in kinds(record), vote_id
        assert record.draft_symbol == symbol


def test_an_oral_amendment_is_linked_to_the_draft_voted_at_its_meeting():
    draft = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000, resolution="5 (2000)")
    amendment = _vote(
        6,
        date(2000, 5, 16),
        140,
        council=COUNCIL_2000,
        draft="Oral amendment",
        outcome="Not adopted - failed to receive required number of votes",
        no=COUNCIL_2000[5:],
    )
    record = _record(voting_agent.parse(_year_2000(draft, amendment)), 6)
    assert record.extra["vote_on"] == "amendment"
    assert record.draft_symbol == ""
    assert record.extra["amended_draft"] == "S/2000/5"
    assert record.outcome == Outcome.NOT_ADOPTED


def test_a_resolution_out_of_step_with_the_meetings_is_withheld():
    odd = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000, resolution="425 (2000)")
    after = [
        _vote(i, date(2000, 5, 14 + i), 144 + i, council=COUNCIL_2000, resolution=f"{i} (2000)")
        for i in (6, 7)
    ]
    parsed = voting_agent.parse(_year_2000(odd, *after))
    record = _record(parsed, 5)
    assert record.resolution_number is None
    assert "resolution_out_of_sequence" in kinds(record)
    assert [_record(parsed, i).resolution_number for i in (1, 2, 3, 4, 6, 7)] == [1, 2, 3, 4, 6, 7]


def test_two_resolutions_that_contradict_each_other_are_both_withheld():
    # 1, 2, 3, 4, 425, 6: nothing tells whether 425 or 6 is the wrong one.
    odd = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000, resolution="425 (2000)")
    last = _vote(6, date(2000, 5, 20), 150, council=COUNCIL_2000, resolution="6 (2000)")
    parsed = voting_agent.parse(_year_2000(odd, last))
    assert [_record(parsed, i).resolution_number for i in (4, 5, 6)] == [4, None, None]


def test_a_header_without_a_column_is_refused():
    header = [c for c in HEADER if c != "Member State"]
    with pytest.raises(SourceError, match="missing column"):
        voting_agent.parse(_file(header=header))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [("Vote", "Maybe", "unknown vote"), ("Outcome results", "Adopted by magic", "unknown outcome")],
)
def test_unknown_vote_or_outcome_is_refused(column, value, message):
    rows = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000)
    rows[0][column] = value
    with pytest.raises(SourceError, match=message):
        voting_agent.parse(_year_2000(rows))


def test_a_derived_date_that_is_not_the_serial_is_refused():
    rows = _vote(5, date(2000, 5, 16), 140, council=COUNCIL_2000)
    rows[0]["date_iso"] = "2000-05-17"
    with pytest.raises(SourceError, match="not the Date serial"):
        voting_agent.parse(_year_2000(rows))


def test_resolutions_of_one_day_may_run_against_the_meeting_numbers():
    # As 912 (1994) at S/PV.3368 and 913 at S/PV.3367, both on 21 April.
    later = _vote(5, date(2000, 5, 16), 141, council=COUNCIL_2000, resolution="5 (2000)")
    earlier = _vote(6, date(2000, 5, 16), 140, council=COUNCIL_2000, resolution="6 (2000)")
    last = _vote(7, date(2000, 5, 20), 150, council=COUNCIL_2000, resolution="7 (2000)")
    parsed = voting_agent.parse(_year_2000(later, earlier, last))
    assert [_record(parsed, i).resolution_number for i in (5, 6, 7)] == [5, 6, 7]
    assert not any("resolution_out_of_sequence" in kinds(r) for r in parsed.records)
