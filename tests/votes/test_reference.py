"""The member-state reference data: its CSVs hang together, cover the sources, and load.

Facts about the real files are recounted here with csv, gzip and json.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from votes import reference
from votes.choices import Source, TermKind
from votes.models import MembershipTerm, MemberState, MemberStateName, PermanentSeat
from votes.reference import rows as reference_rows
from votes.reference.load import load_reference_data
from votes.seats import SEAT_NAMES

UNDL = Path("undl_sc_voting")
CHARTER = date(1945, 10, 24)


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _undl_rows(shared_data: Path) -> list[dict[str, str]]:
    return [row for path in sorted((shared_data / UNDL).glob("*.csv*")) for row in _csv(path)]


def _codes() -> set[str]:
    return {state.code for state in reference.member_states()}


def test_all_reference_files_read_and_refer_only_to_known_states():
    assert len(reference.member_states()) == len(_codes())
    named = {row.code for row in reference.state_names()}
    aliased = {row.code for row in reference.aliases()}
    held = {row.code for row in reference.permanent_terms()}
    corrected = {row.code for row in reference.membership_corrections()}
    assert named | aliased | held | corrected <= _codes()


def test_a_states_dated_names_never_overlap():
    by_code = defaultdict(list)
    for row in reference.state_names():
        by_code[row.code].append(row)
    for code, rows in by_code.items():
        rows.sort(key=lambda r: r.start or date.min)
        for before, after in itertools.pairwise(rows):
            assert before.end is not None and after.start is not None, code
            assert before.end < after.start, f"{code}: {before.name} overlaps {after.name}"


def test_each_permanent_seat_is_held_without_gap_from_the_charter_to_today():
    by_seat = defaultdict(list)
    for row in reference.permanent_terms():
        by_seat[row.seat].append(row)
    assert set(by_seat) == {"CHN", "FRA", "RUS", "GBR", "USA"}
    for seat, rows in by_seat.items():
        rows.sort(key=lambda r: r.start)
        assert rows[0].start == CHARTER, seat
        assert rows[-1].end is None, seat
        for before, after in itertools.pairwise(rows):
            assert after.start == before.end + timedelta(days=1), seat


def test_the_russian_seat_passes_from_the_ussr_to_russia_on_24_december_1991():
    holders = sorted(
        (row for row in reference.permanent_terms() if row.seat == "RUS"), key=lambda r: r.start
    )
    assert [(r.code, r.start, r.end) for r in holders] == [
        ("SUN", CHARTER, date(1991, 12, 23)),
        ("RUS", date(1991, 12, 24), None),
    ]


def test_chinas_seat_is_two_terms_of_chn_split_on_25_october_1971():
    holders = sorted(
        (row for row in reference.permanent_terms() if row.seat == "CHN"), key=lambda r: r.start
    )
    assert [(r.code, r.start, r.end) for r in holders] == [
        ("CHN", CHARTER, date(1971, 10, 24)),
        ("CHN", date(1971, 10, 25), None),
    ]


def test_a_malformed_reference_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "names.csv").write_text("code,name,start,end,note\nCHN,China,1971-13-01,,\n")
    (tmp_path / "member_states.csv").write_text("code,name,slug,note\nCHN,China,china,\n")
    monkeypatch.setattr(reference_rows, "DIRECTORY", tmp_path)
    reference.member_states.cache_clear()
    reference.state_names.cache_clear()
    try:
        with pytest.raises(reference.ReferenceDataError, match=r"names.csv, line 2: '1971-13-01'"):
            reference.state_names()
    finally:
        monkeypatch.undo()
        reference.member_states.cache_clear()
        reference.state_names.cache_clear()


@pytest.mark.realdata
def test_every_ms_code_in_the_un_voting_data_is_a_member_state(shared_data):
    used = {row["ms_code"] for row in _undl_rows(shared_data)}
    assert used, "no UN voting rows read"
    assert used - _codes() == set()


@pytest.mark.realdata
def test_every_state_in_the_wikipedia_derived_membership_files_is_known(shared_data):
    # Cross-check only: that source gives the Republic of China as TWN, which the
    # UN's data (and so this product) codes CHN.
    used = set()
    for path in (shared_data / "unsc_api_membership" / "years").glob("[0-9]*.json"):
        used |= {member["iso3"] for member in json.loads(path.read_text())["members"]}
    assert "TWN" in used
    assert {"CHN" if code == "TWN" else code for code in used} - _codes() == set()


@pytest.mark.realdata
def test_each_correction_names_a_state_the_official_voting_data_shows_voting_that_year(
    shared_data,
):
    voting = defaultdict(set)
    for row in _undl_rows(shared_data):
        voting[int(row["date"][:4])].add(row["ms_code"])
    for path in (shared_data / "unxml_sc_resolutions" / "data_extract").glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if "DEMOCRATIC REPUBLIC OF THE CONGO" in item["MS_in_favour"]:
                    voting[int(item["symbol"][-5:-1])].add("COD")
    last_year = max(voting)
    for row in reference.membership_corrections():
        if row.year <= last_year:
            assert row.code in voting[row.year], row
        else:
            # Years beyond any voting data must rest on the term begun the year before.
            assert row.code in voting[row.year - 1], row


@pytest.mark.realdata
def test_each_succession_matches_the_last_and_first_votes_in_the_official_data(shared_data):
    dates = defaultdict(list)
    for row in _undl_rows(shared_data):
        dates[row["ms_code"]].append(date.fromisoformat(row["date"]))
    for row in reference.successions():
        assert max(dates[row.predecessor]) < row.date
        same_year = [on for on in dates[row.successor] if on.year == row.date.year]
        assert same_year and min(same_year) >= row.date


@pytest.mark.django_db
def test_loading_twice_creates_everything_once_and_then_changes_nothing():
    first = load_reference_data()
    expected = (
        len(reference.member_states())
        + len(reference.state_names())
        + len(SEAT_NAMES)
        + len(reference.permanent_terms())
    )
    assert first == {"created": expected, "updated": 0, "unchanged": 0}
    second = load_reference_data()
    assert second == {"created": 0, "updated": 0, "unchanged": expected}
    assert MemberState.objects.count() == len(reference.member_states())


@pytest.mark.django_db
def test_loading_restores_a_name_changed_in_the_database():
    load_reference_data()
    MemberState.objects.filter(code="TUR").update(name="Turkey")
    counts = load_reference_data()
    assert counts["updated"] == 1 and counts["created"] == 0
    assert MemberState.objects.get(code="TUR").name == "Türkiye"


@pytest.mark.django_db
def test_loading_uses_a_handful_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        load_reference_data()


@pytest.mark.django_db
def test_loaded_russian_seat_is_held_by_the_ussr_then_russia():
    load_reference_data()
    seat = PermanentSeat.objects.get(code="RUS")
    terms = seat.terms.order_by("start")
    assert [(t.state.code, t.start, t.end) for t in terms] == [
        ("SUN", CHARTER, date(1991, 12, 23)),
        ("RUS", date(1991, 12, 24), None),
    ]
    assert all(t.kind == TermKind.PERMANENT and t.source == Source.CHARTER for t in terms)
    assert MemberState.objects.sitting_on(date(1991, 12, 23)).filter(code="SUN").exists()
    assert not MemberState.objects.sitting_on(date(1991, 12, 24)).filter(code="SUN").exists()


@pytest.mark.django_db
def test_loaded_chinas_seat_is_chn_throughout_named_republic_of_china_before_25_october_1971():
    load_reference_data()
    seat = PermanentSeat.objects.get(code="CHN")
    assert {t.state.code for t in seat.terms.all()} == {"CHN"}
    china = MemberState.objects.get(code="CHN")
    assert china.name_on(date(1971, 10, 24)) == "Republic of China"
    assert china.name_on(date(1971, 10, 25)) == "China"
    assert MemberStateName.objects.filter(state=china).count() == 2
    for on in (date(1950, 1, 1), date(1971, 10, 24), date(1971, 10, 25), date(2022, 5, 26)):
        assert MembershipTerm.objects.on(on).filter(seat=seat).get().state == china
    assert [s.name for s in PermanentSeat.objects.all()] == [
        "China",
        "France",
        "Russian Federation",
        "United Kingdom",
        "United States",
    ]
