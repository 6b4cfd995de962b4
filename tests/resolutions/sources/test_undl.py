"""The UN Digital Library "Security Council Voting Data" CSV parser.

Numbers about the real files are recounted here with the csv and gzip modules,
grouping rows by undl_id, independently of the parser.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources import undl
from resolutions.sources.records import SourceError
from votes.choices import Modality, Outcome, Source

EXCERPT = Path("undl_sc_voting") / "2026_02_06_sc_voting_EXCERPT.csv"
FULL = Path("undl_sc_voting") / "reconstructed_1946_2021_DERIVED.csv.gz"
SUCCESSION = date(1991, 12, 24)
DASH = "\N{EN DASH}"
POSITIONS = {"Y": "total_yes", "N": "total_no", "A": "total_abstentions", "X": "total_non_voting"}


def _raw(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _by_id(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        groups[row["undl_id"]].append(row)
    return groups


def _symbol(record) -> str:
    return f"S/RES/{record.resolution_number}({record.resolution_year})"


@pytest.fixture(scope="module")
def excerpt(shared_data: Path):
    return _raw(shared_data / EXCERPT), undl.parse(shared_data / EXCERPT)


@pytest.fixture(scope="module")
def full(shared_data: Path):
    return _raw(shared_data / FULL), undl.parse(shared_data / FULL)


@pytest.mark.realdata
def test_excerpt_gives_one_adopted_record_per_resolution_in_file_order(excerpt):
    rows, parsed = excerpt
    ids = list(dict.fromkeys(row["undl_id"] for row in rows))
    assert len(rows) == 120
    assert [r.undl_id for r in parsed.records] == ids
    # PROVENANCE.md: the excerpt holds these 8 resolutions.
    expected = ["504(1982)", "511(1982)", "518(1982)", "528(1982)"]
    expected += ["2061(2012)", "2063(2012)", "2783(2025)", "2805(2025)"]
    assert [_symbol(r) for r in parsed.records] == [f"S/RES/{s}" for s in expected]
    assert [_symbol(r) for r in parsed.records] == [_by_id(rows)[i][0]["resolution"] for i in ids]
    assert {r.source for r in parsed.records} == {Source.UNDL}
    assert {r.outcome for r in parsed.records} == {Outcome.ADOPTED}
    assert parsed.version == "2026-02-06"


@pytest.mark.realdata
def test_excerpt_keeps_every_member_row_and_its_columns(excerpt):
    rows, parsed = excerpt
    groups = _by_id(rows)
    assert sum(len(r.votes) for r in parsed.records) == len(rows)
    for record in parsed.records:
        group = groups[record.undl_id]
        first = group[0]
        assert [(v.code, v.name, v.position) for v in record.votes] == [
            (row["ms_code"], row["ms_name"], row["ms_vote"]) for row in group
        ]
        assert record.date == date.fromisoformat(first["date"])
        assert record.meeting_symbol == first["meeting"]
        assert record.draft_symbol == first["draft"]
        assert record.description == first["description"]
        assert record.title == re.fullmatch(r".*?\[(.*)\]", first["description"]).group(1)
        assert record.agenda == first["agenda"]
        assert list(record.subjects) == [s for s in first["subjects"].split("|") if s]
        assert record.url == first["undl_link"]


@pytest.mark.realdata
def test_excerpt_first_and_last_dates_and_location(excerpt):
    rows, parsed = excerpt
    assert parsed.records[0].date == date.fromisoformat(min(row["date"] for row in rows))
    assert parsed.records[-1].date == date.fromisoformat(max(row["date"] for row in rows))
    first_block = len(_by_id(rows)[rows[0]["undl_id"]])
    assert parsed.records[0].location == f"lines 2{DASH}{first_block + 1}"
    assert (
        parsed.records[-1].location == f"lines {len(rows) + 2 - first_block}{DASH}{len(rows) + 1}"
    )


@pytest.mark.realdata
def test_draft_symbols_are_blank_before_1998_in_the_excerpt(excerpt):
    _, parsed = excerpt
    early = [r for r in parsed.records if r.resolution_year < 1998]
    late = [r for r in parsed.records if r.resolution_year >= 1998]
    assert early and late
    assert {r.draft_symbol for r in early} == {""}
    assert all(re.fullmatch(r"S/\d{4}/\d+", r.draft_symbol) for r in late)


@pytest.mark.realdata
@pytest.mark.parametrize("which", ["excerpt", "full"])
def test_recorded_totals_agree_with_member_positions(which, request):
    rows, parsed = request.getfixturevalue(which)
    groups = _by_id(rows)
    assert len(parsed.records) == len(groups)
    for record in parsed.records:
        first = groups[record.undl_id][0]
        recorded = (record.recorded_yes, record.recorded_no, record.recorded_abstain)
        recorded += (record.recorded_non_voting, record.recorded_members)
        assert recorded == tuple(int(first[c]) for c in undl.TOTALS)
        counted = Counter(v.position for v in record.votes)
        assert tuple(counted[p] for p in POSITIONS) == recorded[:4], record.location
        assert len(record.votes) == record.recorded_members
        assert not [f for f in record.flags if "totals" in f or "total_ms" in f]


@pytest.mark.realdata
def test_full_file_counts_and_date_range(full, shared_data: Path):
    rows, parsed = full
    assert len(rows) == 38378  # domain.md: "38,378 rows"
    assert len(parsed.records) == len({row["undl_id"] for row in rows})
    assert sum(len(r.votes) for r in parsed.records) == len(rows)
    dates = [r.date for r in parsed.records]
    assert min(dates) == date.fromisoformat(min(row["date"] for row in rows))
    assert max(dates) == date.fromisoformat(max(row["date"] for row in rows))
    assert parsed.records[0].date == date.fromisoformat(rows[0]["date"])
    assert parsed.records[-1].date == date.fromisoformat(rows[-1]["date"])
    last_block = len(_by_id(rows)[rows[-1]["undl_id"]])
    assert parsed.records[-1].location == f"lines {len(rows) + 2 - last_block}{DASH}{len(rows) + 1}"
    assert parsed.version == ""


@pytest.mark.realdata
def test_gzip_is_recognised_by_its_magic_bytes_not_its_name(full, shared_data: Path):
    _, parsed = full
    again = undl.parse((shared_data / FULL).read_bytes(), name="voting.csv")
    assert len(again.records) == len(parsed.records)
    assert again.records[-1] == parsed.records[-1]


@pytest.mark.realdata
def test_without_vote_resolutions_keep_their_modality(full):
    rows, parsed = full
    without = {row["undl_id"] for row in rows if row["modality"] == "Without vote"}
    assert without
    got = {r.undl_id for r in parsed.records if r.modality == Modality.WITHOUT_VOTE}
    assert got == without
    others = {r.modality for r in parsed.records if r.undl_id not in without}
    assert others == {Modality.RECORDED_VOTE}


@pytest.mark.realdata
def test_ussr_votes_carry_code_sun_before_the_seat_passed(full):
    rows, parsed = full
    sun = [v for r in parsed.records for v in r.votes if v.code == "SUN"]
    assert len(sun) == sum(1 for row in rows if row["ms_code"] == "SUN") > 0
    assert {v.name for v in sun} == {row["ms_name"] for row in rows if row["ms_code"] == "SUN"}
    # domain.md: the USSR's seat passed to the Russian Federation on 24 December 1991.
    rus = [r.date for r in parsed.records for v in r.votes if v.code == "RUS"]
    assert min(rus) >= SUCCESSION
    late = {r["undl_id"] for r in rows if r["ms_code"] == "SUN" and r["date"] >= "1991-12-24"}
    flagged = {r.undl_id for r in parsed.records if any("coded SUN" in f for f in r.flags)}
    assert flagged == late


KOREA = {(82, 1950), (83, 1950), (84, 1950)}


@pytest.mark.realdata
def test_resolutions_82_to_84_were_adopted_with_the_ussr_absent(full):
    _, parsed = full
    korea = [r for r in parsed.records if (r.resolution_number, r.resolution_year) in KOREA]
    assert len(korea) == 3  # domain.md: adopted while the USSR was absent
    for record in korea:
        assert record.outcome == Outcome.ADOPTED
        assert [v.position for v in record.votes if v.code == "SUN"] == ["X"]


@pytest.mark.realdata
def test_member_counts_unlike_the_council_size_are_flagged(full):
    rows, parsed = full
    odd = {
        key
        for key, group in _by_id(rows).items()
        if len(group) != (11 if group[0]["date"] < "1966-01-01" else 15)
    }
    flagged = {r.undl_id for r in parsed.records if any("Council had" in f for f in r.flags)}
    assert flagged == odd


@pytest.mark.realdata
def test_descriptions_naming_another_resolution_are_flagged(full):
    rows, parsed = full
    pattern = re.compile(r"resolution (\d+) ?[(\[](\d{4})\)")
    wrong = set()
    for key, group in _by_id(rows).items():
        named = pattern.search(group[0]["description"])
        if named and f"S/RES/{named[1]}({named[2]})" != group[0]["resolution"]:
            wrong.add(key)
    assert wrong
    flagged = {r.undl_id for r in parsed.records if any("description names" in f for f in r.flags)}
    assert flagged == wrong
    cut = {key for key, g in _by_id(rows).items() if g[0]["description"].rstrip().endswith("[...]")}
    assert {r.undl_id for r in parsed.records if any("cut short" in f for f in r.flags)} == cut


# --- synthetic files -------------------------------------------------------------------------

MEMBERS = ["CHN", "FRA", "GBR", "RUS", "USA", "AAA", "BBB", "CCC"]
MEMBERS += ["DDD", "EEE", "FFF", "GGG", "HHH", "III", "JJJ"]


def _rows(undl_id: str = "900001", number: int = 9001, **changes: str) -> list[dict[str, str]]:
    """One made-up resolution of 15 members all voting yes, with ``changes`` on every row."""
    rows = []
    for index, code in enumerate(MEMBERS):
        row = {
            "undl_id": undl_id,
            "ms_code": code,
            "ms_name": f"STATE {code}",
            "permanent_member": str(index < 5),
            "ms_vote": "Y",
            "date": "2020-01-15",
            "resolution": f"S/RES/{number}(2020)",
            "draft": "S/2020/7",
            "meeting": "S/PV.12000",
            "description": f"Security Council resolution {number} (2020) [on a test topic]",
            "agenda": "Test item.",
            "subjects": "ONE|TWO",
            "vote_note": "",
            "total_yes": "15",
            "total_no": "0",
            "total_abstentions": "0",
            "total_non_voting": "0",
            "total_ms": "15",
            "modality": "Vote",
            "undl_link": f"https://digitallibrary.un.org/record/{undl_id}",
        }
        rows.append(row | changes)
    return rows


def _write(tmp_path: Path, rows, name: str = "2020_01_20_sc_voting.csv", columns=None) -> Path:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def _error(path: Path) -> str:
    with pytest.raises(SourceError) as caught:
        undl.parse(path)
    assert path.name in str(caught.value)
    return str(caught.value)


def test_missing_columns_are_listed_and_extra_columns_are_fine(tmp_path):
    rows = _rows()
    columns = [c for c in rows[0] if c not in ("ms_vote", "total_ms")]
    message = _error(_write(tmp_path, rows, columns=columns))
    assert "line 1" in message and "missing columns: ms_vote, total_ms" in message
    extra = [{**row, "remarks": "x"} for row in rows]
    assert len(undl.parse(_write(tmp_path, extra, name="extra.csv")).records) == 1


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = _write(tmp_path, _rows())
    lines = path.read_bytes().split(b"\n")
    lines[3] = lines[3].replace(b"STATE", "ÉTAT".encode("latin-1"))
    path.write_bytes(b"\n".join(lines))
    message = _error(path)
    assert "line 4" in message and "not UTF-8" in message


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = _write(tmp_path, _rows())
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert undl.parse(path).records[0].votes[0].code == "CHN"


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("ms_vote", "Z", "unknown vote code 'Z'"),
        ("date", "2020-02-30", "not a YYYY-MM-DD date"),
        ("date", "15/01/2020", "not a YYYY-MM-DD date"),
        ("resolution", "S/RES/nine(2020)", "not of the form S/RES/n (year)"),
        ("total_yes", "15.0", "total_yes '15.0' is not a whole number"),
        ("total_ms", "", "total_ms '' is not a whole number"),
        ("modality", "Consensus", "unknown modality 'Consensus'"),
        ("ms_code", "", "member code (ms_code) is blank"),
    ],
)
def test_bad_values_raise_naming_the_line(tmp_path, column, value, reason):
    rows = _rows()
    rows[0][column] = value
    message = _error(_write(tmp_path, rows))
    assert "line 2" in message and reason in message


def test_a_member_twice_on_one_resolution_is_an_error(tmp_path):
    rows = _rows()
    rows[6]["ms_code"] = "FRA"
    message = _error(_write(tmp_path, rows))
    assert "line 8" in message and "FRA appears twice" in message and "lines 3 and 8" in message


@pytest.mark.parametrize(
    ("column", "value"),
    [("date", "2020-01-16"), ("meeting", "S/PV.12001"), ("total_no", "1"), ("total_ms", "14")],
)
def test_rows_of_one_resolution_that_disagree_are_an_error(tmp_path, column, value):
    rows = _rows()
    rows[9][column] = value
    message = _error(_write(tmp_path, rows))
    assert "line 11" in message and f"{column} '{value}' differs" in message and "line 2" in message


def test_rows_with_a_wrong_number_of_fields_and_empty_files_are_errors(tmp_path):
    path = _write(tmp_path, _rows())
    path.write_bytes(path.read_bytes() + b"900001,KKK,STATE KKK\n")
    assert "line 17" in _error(path) and "has 3 fields" in _error(path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "empty" in _error(empty)
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"\x1f\x8b" + b"not gzip at all")
    assert "not a valid gzip file" in _error(broken)


def test_synthetic_record_fields(tmp_path):
    parsed = undl.parse(_write(tmp_path, _rows()))
    (record,) = parsed.records
    assert parsed.version == "2020-01-20"
    assert (record.resolution_number, record.resolution_year) == (9001, 2020)
    assert record.date == date(2020, 1, 15)
    assert (record.draft_symbol, record.meeting_symbol) == ("S/2020/7", "S/PV.12000")
    assert record.title == "on a test topic"
    assert record.subjects == ("ONE", "TWO")
    assert record.modality == Modality.RECORDED_VOTE
    assert record.location == f"lines 2{DASH}16"
    assert record.flags == ()
    assert record.extra["permanent_members"] == ("CHN", "FRA", "GBR", "RUS", "USA")


def test_version_from_name_and_override(tmp_path):
    assert undl.version_from_name("2026_02_06_sc_voting") == "2026-02-06"
    assert undl.version_from_name("data/2025_7_21_sc_voting.csv") == "2025-07-21"
    assert undl.version_from_name("reconstructed_1946_2021_DERIVED.csv.gz") == ""
    path = _write(tmp_path, _rows())
    assert undl.parse(path, version="v6").version == "v6"
    data = path.read_bytes()
    assert undl.parse(data).version == ""
    assert undl.parse(data, name="2021_12_01_sc_voting.csv").version == "2021-12-01"
    gz = undl.parse(gzip.compress(data), name="anything")
    assert gz.records == undl.parse(data).records


def test_without_vote_and_acclamation_are_kept(tmp_path):
    rows = _rows(modality="Without vote") + _rows("900002", 9002)
    rows[20]["vote_note"] = "Adopted by acclamation"
    records = undl.parse(_write(tmp_path, rows)).records
    assert [r.modality for r in records] == [Modality.WITHOUT_VOTE, Modality.ACCLAMATION]
    assert records[0].flags == ()
    assert records[1].flags == ("the modality column says 'Vote' but a vote note says acclamation",)


@pytest.mark.parametrize(
    ("note", "absent", "silent"),
    [
        ("Not present", True, False),
        ("absent", True, False),
        ("Did not participate in the vote", False, True),
        ("Present but not participating", False, True),
        ("Non-participation", False, True),
        ("Some other remark", False, False),
    ],
)
def test_vote_notes_set_not_present_or_did_not_participate(tmp_path, note, absent, silent):
    rows = _rows(total_yes="14", total_non_voting="1")
    rows[3] |= {"ms_vote": "X", "vote_note": note}
    (record,) = undl.parse(_write(tmp_path, rows)).records
    vote = record.votes[3]
    assert (vote.position, vote.note, vote.not_present, vote.did_not_participate) == (
        "X",
        note,
        absent,
        silent,
    )
    assert record.flags == ()


def test_source_inconsistencies_are_kept_and_flagged(tmp_path):
    rows = _rows(total_yes="14", total_abstentions="1")  # but every member votes Y
    rows[2]["vote_note"] = "Not present"
    rows[0]["description"] = "Security Council resolution 9000 (2020)"
    (record,) = undl.parse(_write(tmp_path, rows)).records
    assert (record.recorded_yes, record.recorded_abstain) == (14, 1)
    assert record.title == ""
    flags = "\n".join(record.flags)
    assert "recorded totals 14-0-1-0 (Y-N-A-X) disagree with the member rows 15-0-0-0" in flags
    assert "GBR has the note 'Not present' but the vote Y" in flags
    assert "description differs between its rows (line 3" in flags
    assert "the description names resolution 9000 (2020)" in flags


def test_split_and_repeated_resolutions_are_flagged(tmp_path):
    rows = _rows()[:8] + _rows("900002", 9002) + _rows()[8:] + _rows("900003", 9002)
    parsed = undl.parse(_write(tmp_path, rows))
    assert [r.undl_id for r in parsed.records] == ["900001", "900002", "900003"]
    assert parsed.records[0].location == f"lines 2{DASH}31"
    assert "not together in the file" in parsed.records[0].flags[0]
    repeated = "S/RES/9002 (2020) appears under more than one undl_id (900002, 900003)"
    assert parsed.warnings == (repeated,)
    assert repeated in parsed.records[2].flags


# --- the Digital Library file list ------------------------------------------------------------

FILES = [
    {"name": "2025_7_21_sc_voting", "format": ".csv", "url": "https://example.org/a.csv"},
    {"name": "2025_12_09_sc_voting", "format": ".csv", "url": "https://example.org/b.csv"},
    {"name": "2026_03_01_sc_voting_md", "format": ".md", "url": "https://example.org/c.md"},
    {"name": "2026_03_01_sc_voting", "format": ".xlsx", "url": "https://example.org/d.xlsx"},
    {"name": "2025_11_25_sc_voting", "format": ".csv", "url": "https://example.org/e.csv"},
]


def test_newest_voting_file_compares_dates_not_strings():
    assert undl.newest_voting_file(FILES)["url"] == "https://example.org/b.csv"
    assert undl.newest_voting_file(json.dumps(FILES))["name"] == "2025_12_09_sc_voting"
    assert undl.newest_voting_file(json.dumps(FILES).encode())["name"] == "2025_12_09_sc_voting"


@pytest.mark.parametrize(
    ("file_list", "reason"),
    [
        ("[{", "not valid JSON"),
        ('{"name": "2026_02_06_sc_voting"}', "not a JSON array"),
        (json.dumps(FILES[2:4]), "no YYYY_MM_DD_sc_voting CSV"),
        ("[1]", "entry 1"),
        (json.dumps([FILES[1], {**FILES[1], "url": "https://example.org/z.csv"}]), "several"),
    ],
)
def test_newest_voting_file_rejects_bad_lists(file_list, reason):
    with pytest.raises(SourceError, match=re.escape(reason)):
        undl.newest_voting_file(file_list)
