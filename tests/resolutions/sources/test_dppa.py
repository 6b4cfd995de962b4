"""The UN DPPA Security Council membership parser and the elected terms built from it.

Numbers about the real files are recounted here with the csv module.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from resolutions.sources import dppa
from resolutions.sources.records import MembershipRecord, SourceError
from votes import reference
from votes.choices import Source
from votes.council import check_terms
from votes.reference import CorrectionRow

NEW = Path("dppa_sc_membership") / "DPPA-SCMembership_2026-07-02.csv"
OLD = Path("dppa_sc_membership") / "DPPA-SCMEMBERSHIP_2023-06-06.csv"
# DPPA's spellings of the permanent members, as written in its files.
PERMANENT_NAMES = {
    "China",
    "France",
    "USSR (Union of Soviet Socialist Republics)",
    "Russian Federation",
    "United Kingdom of Great Britain and Northern Ireland",
    "United States of America",
}
HEADER = "id,year,security_council_member,last_update\n"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _record(year: int, name: str, n: int = 1) -> MembershipRecord:
    return MembershipRecord(f"row id {n} (line {n + 1})", year, name)


def _council(year: int, elected: list[str], permanent=("China", "France", "UK", "USA")):
    soviet = "USSR" if year < 1992 else "Russian Federation"
    return [_record(year, name) for name in [*permanent, soviet, *elected]]


# Parsing


def test_parse_keeps_every_row_with_its_place_and_takes_the_newest_update_as_version():
    data = (HEADER + "1,1946,Australia,2021-01-17\n2,1946,,2023-06-06\n3,1947,Syria,\n").encode()
    parsed = dppa.parse(data, name="dppa.csv")
    assert parsed.source == Source.DPPA
    assert parsed.version == "2023-06-06"
    assert parsed.records == (
        MembershipRecord("row id 1 (line 2)", 1946, "Australia", date(2021, 1, 17)),
        MembershipRecord("row id 2 (line 3)", 1946, "", date(2023, 6, 6)),
        MembershipRecord("row id 3 (line 4)", 1947, "Syria", None),
    )


def test_parse_reads_a_path_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "7,2022,Ghana,2026-07-02\n").encode())
    parsed = dppa.parse(path)
    assert parsed.location == str(path)
    assert parsed.records[0].name == "Ghana"


def test_parse_warns_of_a_state_listed_twice_in_a_year():
    data = (HEADER + "1,1990,Yemen,2021-01-17\n2,1990,YEMEN,2021-01-17\n").encode()
    (warning,) = dppa.parse(data, name="d.csv").warnings
    assert "row id 2 (line 3)" in warning and "twice for 1990" in warning


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        (b"id,year,member\n1,1946,Cuba\n", "line 1", "missing column(s): security_council"),
        (HEADER.encode() + b"1,1946,C\xf4te,2021-01-17\n", "line 2", "not UTF-8"),
        (HEADER.encode() + b"1,1946,Cuba,2021-01-17\n9,19x6,Cuba,2021-01-17\n", "row id 9", "year"),
        (HEADER.encode() + b"4,1946,Cuba,17/01/2021\n", "row id 4 (line 2)", "not a date"),
    ],
)
def test_parse_refuses_bad_input_naming_the_file_the_place_and_the_reason(content, where, reason):
    with pytest.raises(SourceError) as error:
        dppa.parse(content, name="bad.csv")
    assert error.value.file == "bad.csv"
    assert where in error.value.location
    assert reason in error.value.reason
    assert str(error.value).startswith("bad.csv, ")


# Building terms


def test_consecutive_years_merge_into_one_term_and_permanent_members_are_not_terms():
    six = ["Australia", "Brazil", "Egypt", "Mexico", "Netherlands", "Poland"]
    records = _council(1946, six) + _council(1947, [*six[1:], "Syria"])
    plan = dppa.build_terms(records)
    assert plan.problems == [] and plan.unmapped == [] and plan.blank == []
    terms = {(t.code, t.start, t.end) for t in plan.terms}
    assert ("BRA", date(1946, 1, 1), date(1947, 12, 31)) in terms
    assert ("AUS", date(1946, 1, 1), date(1946, 12, 31)) in terms
    assert ("SYR", date(1947, 1, 1), date(1947, 12, 31)) in terms
    assert not {t.code for t in plan.terms} & reference.permanent_codes()


def test_a_blank_is_reported_and_filled_only_from_the_corrections():
    five = ["Brazil", "Chile", "Ecuador", "India", "Yugoslavia"]
    records = _council(1951, [*five, ""])
    unfilled = dppa.build_terms(records, corrections=())
    assert unfilled.blank == [("row id 1 (line 2)", 1951)]
    assert unfilled.corrected == []
    assert "1951: 5 elected members, not 6 (1 blank)." in unfilled.problems
    correction = CorrectionRow(1951, "TUR", "test")
    filled = dppa.build_terms(records, corrections=(correction,))
    assert filled.corrected == [("row id 1 (line 2)", correction)]
    assert filled.problems == []
    assert "TUR" in {t.code for t in filled.terms}


def test_a_correction_without_a_blank_to_fill_is_a_problem_unless_already_listed():
    six = ["Brazil", "Chile", "Ecuador", "India", "Yugoslavia", "Turkey"]
    listed = dppa.build_terms(_council(1951, six), corrections=(CorrectionRow(1951, "TUR", "x"),))
    assert listed.problems == [] and listed.corrected == []
    other = dppa.build_terms(_council(1951, six), corrections=(CorrectionRow(1951, "NOR", "x"),))
    assert other.problems == ["1951: a correction names NOR but no row is blank."]


def test_unknown_names_are_listed_never_guessed():
    plan = dppa.build_terms(_council(1990, ["Atlantis"]))
    assert ("row id 1 (line 2)", 1990, "Atlantis") in plan.unmapped
    assert plan.terms == []
    assert "1990: 0 elected members, not 10." in plan.problems


def test_a_year_missing_from_the_file_is_a_problem():
    six = ["Brazil", "Chile", "Ecuador", "India", "Yugoslavia", "Turkey"]
    plan = dppa.build_terms(_council(1951, six) + _council(1953, six))
    assert plan.problems == ["1952: the file lists nobody for this year."]


def test_wrong_permanent_members_are_problems():
    plan = dppa.build_terms(_council(1995, [], permanent=("China", "France", "UK", "USSR")))
    assert any("SUN is listed for 1995 but held no seat then" in p for p in plan.problems)
    assert "1995: no holder of the USA seat is listed." in plan.problems


def test_a_term_straddling_a_succession_is_split_between_the_two_states():
    ten = ["Canada", "Colombia", "Cuba", "Ethiopia", "Finland", "Malaysia", "Romania", "Zaire"]
    records = _council(1990, [*ten, "Yemen", "Ivory Coast"])
    plan = dppa.build_terms(records)
    assert plan.problems == []
    terms = {(t.code, t.start, t.end) for t in plan.terms}
    assert ("YMD", date(1990, 1, 1), date(1990, 5, 21)) in terms
    assert ("YEM", date(1990, 5, 22), date(1990, 12, 31)) in terms
    assert plan.successions == [("YMD", "YEM", date(1990, 5, 22))]


# The real files


@pytest.fixture(scope="module", params=[NEW, OLD], ids=["2026-07-02", "2023-06-06"])
def real(request, shared_data):
    path = shared_data / request.param
    return path, _rows(path), dppa.build_terms(dppa.parse(path).records)


@pytest.mark.realdata
def test_real_file_version_is_its_newest_last_update(shared_data):
    for relative in (NEW, OLD):
        newest = max(row["last_update"] for row in _rows(shared_data / relative))
        assert dppa.parse(shared_data / relative).version == newest


@pytest.mark.realdata
def test_real_blank_rows_are_all_reported_and_all_corrected(real):
    _, rows, plan = real
    blanks = {
        (f"row id {r['id']}", int(r["year"])) for r in rows if not r["security_council_member"]
    }
    assert blanks, "the real files have blank names"
    assert {(loc.split(" (")[0], year) for loc, year in plan.blank} == blanks
    assert {(loc.split(" (")[0], row.year) for loc, row in plan.corrected} == blanks
    assert plan.unmapped == []


@pytest.mark.realdata
def test_real_file_gives_the_right_number_of_elected_members_every_year(real):
    _, rows, plan = real
    per_year = Counter(
        int(r["year"]) for r in rows if r["security_council_member"] not in PERMANENT_NAMES
    )
    assert plan.problems == []
    for year, count in per_year.items():
        expected = 6 if year < 1966 else 10
        assert count == expected, year  # blanks count as the seats they are
        for on in (date(year, 1, 1), date(year, 12, 31)):
            assert sum(t.start <= on <= t.end for t in plan.terms) == expected, on


@pytest.mark.realdata
def test_the_2022_council_is_the_one_domain_md_names(shared_data):
    plan = dppa.build_terms(dppa.parse(shared_data / NEW).records)
    names = {s.code: s.name for s in reference.member_states()}
    sitting = {names[t.code] for t in plan.terms if t.start <= date(2022, 5, 26) <= t.end}
    assert sitting == {
        "Albania", "Brazil", "Gabon", "Ghana", "India",
        "Ireland", "Kenya", "Mexico", "Norway", "United Arab Emirates",
    }  # fmt: skip


@pytest.mark.realdata
def test_real_elected_terms_and_permanent_terms_pass_the_councils_checks(real):
    _, _, plan = real
    terms = [
        SimpleNamespace(state_id=t.code, start=t.start, end=t.end, kind="elected")
        for t in plan.terms
    ]
    terms += [
        SimpleNamespace(state_id=t.code, start=t.start, end=t.end, kind="permanent")
        for t in reference.permanent_terms()
    ]
    assert check_terms(terms) == []


@pytest.mark.realdata
def test_real_elected_terms_match_the_members_voting_in_the_un_voting_data(shared_data, real):
    _, _, plan = real
    data = gzip.decompress(
        (shared_data / "undl_sc_voting/reconstructed_1946_2021_DERIVED.csv.gz").read_bytes()
    )
    voting = defaultdict(set)
    for row in csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")):
        if row["ms_code"] not in reference.permanent_codes():
            voting[(row["resolution"], date.fromisoformat(row["date"]))].add(row["ms_code"])
    disagreements = {}
    for (symbol, on), codes in voting.items():
        sitting = {t.code for t in plan.terms if t.start <= on <= t.end}
        if sitting != codes:
            disagreements[symbol] = (sitting - codes, codes - sitting)
    # The reconstructed file lacks Mexico's row on S/RES/1966 (2010), whose totals
    # (total_ms 14) say the same: a gap in that copy, not in the membership.
    assert disagreements == {"S/RES/1966(2010)": ({"MEX"}, set())}
