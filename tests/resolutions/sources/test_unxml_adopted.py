"""The parser of UN DGACM's JSON Lines of adopted resolutions (data_extract/<year>.json).

Numbers about the real files are recounted here with the json module, line by line, and
simple regexes, independently of the parser. Error cases use small synthetic files.
"""

import json
import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from resolutions.sources.records import SourceError
from resolutions.sources.unxml_adopted import parse
from votes.choices import Modality, Outcome
from votes.names import default_resolver

LISTS = {"Y": "MS_in_favour", "N": "MS_against", "A": "MS_abstaining"}


# --- an independent reading of the real files ------------------------------------------


def _dir(shared_data: Path) -> Path:
    return shared_data / "unxml_sc_resolutions" / "data_extract"


def _key(symbol: str) -> str:
    return re.sub(r"\s", "", symbol)


def _number(symbol: str) -> int:
    return int(re.search(r"/RES/(\d+)", symbol).group(1))


def _date(text: str) -> date:
    text = " ".join(text.split())
    if re.match(r"\d{4}-", text):
        return date.fromisoformat(text[:10])
    return datetime.strptime(re.match(r"\d+ \w+ \d{4}", text).group(0), "%d %B %Y").date()


def _joined(names: list[str]) -> list[str]:
    """The list with "CÔTE." + "D'IVOIRE" read as one member, as 2403 (2018) needs."""
    out: list[str] = []
    for name in names:
        if out and out[-1] == "CÔTE." and name.startswith("D"):
            out[-1] = "CÔTE " + name
        else:
            out.append(name)
    return out


@pytest.fixture(scope="module")
def raw(shared_data: Path) -> list[tuple[str, int, dict]]:
    """(file, line, object) for every non-blank line, files in year order."""
    rows = []
    for path in sorted(_dir(shared_data).glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            rows += [
                (path.name, n, json.loads(line)) for n, line in enumerate(handle, 1) if line.strip()
            ]
    return rows


@pytest.fixture(scope="module")
def first(raw) -> dict[str, tuple[str, int, dict]]:
    """The first object given for each symbol."""
    out: dict = {}
    for file, number, obj in raw:
        out.setdefault(_key(obj["symbol"]), (file, number, obj))
    return out


@pytest.fixture(scope="module")
def parsed(shared_data: Path):
    return parse(_dir(shared_data))


@pytest.fixture(scope="module")
def records(parsed) -> dict[str, object]:
    return {f"S/RES/{r.resolution_number}({r.resolution_year})": r for r in parsed.records}


@pytest.mark.realdata
def test_one_record_per_distinct_symbol_in_file_order(raw, first, parsed, records):
    assert len(raw) > len(first) > 1500  # some symbols appear twice
    assert len(parsed.records) == len(records) == len(first)
    assert list(records) == list(first)
    assert {r.source for r in parsed.records} == {"unxml_adopted"}
    assert {r.outcome for r in parsed.records} == {Outcome.ADOPTED}
    for key, (file, number, _obj) in first.items():
        assert records[key].location == f"file {file}, line {number}"


@pytest.mark.realdata
def test_first_and_last_resolutions_and_their_dates(first, records):
    by_number = sorted(first.values(), key=lambda row: _number(row[2]["symbol"]))
    for _file, _line, obj in (by_number[0], by_number[-1]):
        record = records[_key(obj["symbol"])]
        assert record.resolution_number == _number(obj["symbol"])
        assert record.date == _date(obj["adoption_date"])
        assert record.url == f"https://undocs.org/en/{_key(obj['symbol'])}"


@pytest.mark.realdata
def test_version_is_the_newest_adoption_date_and_a_warning_says_how(raw, parsed):
    newest = max(_date(obj["adoption_date"]) for _, _, obj in raw)
    assert parsed.version == newest.isoformat()
    assert any("no version" in w and newest.isoformat() in w for w in parsed.warnings)


@pytest.mark.realdata
def test_stated_counts_equal_list_lengths_except_where_flagged(first, records):
    mismatched = set()
    for key, (_, _, obj) in first.items():
        record = records[key]
        totals = {"Y": record.recorded_yes, "N": record.recorded_no, "A": record.recorded_abstain}
        for position, field in LISTS.items():
            count = obj[f"{field}_count"].strip()
            if count and int(count) != len(_joined(obj[field])):
                mismatched.add(key)
            if count and totals[position] is not None:
                assert totals[position] == int(count), (key, position)
    flagged = {k for k, r in records.items() if any("but lists" in f for f in r.flags)}
    assert flagged == mismatched
    assert mismatched  # the files do have such rows (e.g. S/RES/1559 (2004))


@pytest.mark.realdata
def test_votes_are_the_listed_names_as_written(first, records):
    for key, (_, _, obj) in first.items():
        expected = Counter(
            (position, " ".join(name.split()))
            for position, field in LISTS.items()
            for name in _joined(obj[field])
        )
        assert Counter((v.position, v.name) for v in records[key].votes) == expected, key


@pytest.mark.realdata
def test_cote_divoire_split_in_2403_is_joined_and_flagged(first, records):
    listed = first["S/RES/2403(2018)"][2]["MS_in_favour"]
    at = listed.index("CÔTE.")
    assert listed[at + 1] == "D'IVOIRE"
    record = records["S/RES/2403(2018)"]
    names = [v.name for v in record.votes]
    assert "CÔTE D'IVOIRE" in names
    assert "CÔTE." not in names and "D'IVOIRE" not in names
    assert len(names) == len(listed) - 1
    assert any("splits CÔTE D'IVOIRE" in f for f in record.flags)


@pytest.mark.realdata
def test_2423s_date_in_the_wrong_year_is_left_out_and_flagged(first, records):
    written = _date(first["S/RES/2423(2018)"][2]["adoption_date"])
    assert written.year != 2018  # the file's typo
    record = records["S/RES/2423(2018)"]
    # Never used: the loader dates the record by the other sources.
    assert record.date is None
    assert record.extra["date_as_written"] == written.isoformat()
    assert any("not in 2018" in f and written.isoformat() in f for f in record.flags)


@pytest.mark.realdata
def test_every_member_name_resolves_on_its_date(parsed):
    resolver = default_resolver()
    unresolved = sorted(
        {(v.name, r.date.isoformat()) for r in parsed.records if r.date for v in r.votes}
        - {
            (v.name, r.date.isoformat())
            for r in parsed.records
            if r.date
            for v in r.votes
            if resolver.resolve(v.name, r.date)
        }
    )
    assert unresolved == []


@pytest.mark.realdata
def test_duplicate_symbols_keep_the_first_and_say_whether_they_agree(raw, first, parsed, records):
    groups: dict[str, list] = {}
    for file, number, obj in raw:
        groups.setdefault(_key(obj["symbol"]), []).append((file, number, obj))
    duplicates = {key: rows for key, rows in groups.items() if len(rows) > 1}
    assert len(duplicates) == len(raw) - len(first)
    for key, rows in duplicates.items():
        (file, number, one), (file2, number2, other) = rows
        record = records[key]
        assert record.location == f"file {file}, line {number}"
        said = [w for w in parsed.warnings if f"line {number2}" in w and "twice" in w]
        assert len(said) == 1
        second_named = [f for f in record.flags if f"file {file2}, line {number2}" in f]
        if one == other:
            assert "identical" in said[0] and not second_named
        else:
            assert "differs" in said[0] and len(second_named) == 1


@pytest.mark.realdata
def test_meeting_is_the_adoption_meeting_and_disagreeing_letters_are_flagged(first, records):
    for key, (_, _, obj) in first.items():
        record = records[key]
        number = re.match(r"\d+", obj["adoption_meeting"])
        assert record.meeting_symbol == (f"S/PV.{number.group(0)}" if number else ""), key
        letter = re.match(r"S/PV\.?(\d+)", obj["outcome_letter"])
        if number and letter and letter.group(1) != number.group(0):
            assert any("meeting numbers disagree" in f for f in record.flags), key


@pytest.mark.realdata
def test_modality_follows_the_adoption_type(first, records):
    for key, (_, _, obj) in first.items():
        wording = obj["adoption_type"].casefold()
        expected = (
            Modality.ACCLAMATION
            if "acclamation" in wording
            else Modality.WITHOUT_VOTE
            if "without vote" in wording
            else Modality.RECORDED_VOTE
            if wording
            else ""
        )
        record = records[key]
        assert record.modality == expected, key
        if expected in (Modality.WITHOUT_VOTE, Modality.ACCLAMATION) and not any(
            obj[field] for field in LISTS.values()
        ):
            # "0-0-0" beside empty lists is no tally: the totals stay unknown.
            assert record.recorded_yes is None and record.votes == ()


# --- synthetic files --------------------------------------------------------------------

MEMBERS = [
    "ALBANIA", "BRAZIL", "CHINA", "FRANCE", "GABON", "GHANA", "INDIA", "IRELAND", "KENYA",
    "MEXICO", "NORWAY", "RUSSIAN FEDERATION", "UNITED ARAB EMIRATES", "UNITED KINGDOM",
    "UNITED STATES",
]  # fmt: skip


def _object(**changes) -> dict:
    obj = {
        "symbol": "S/RES/2618 (2022)",
        "adoption_meeting": "8956th meeting",
        "adoption_date": "27 January 2022",
        "agenda_item_name": "The situation in Cyprus",
        "adoption_type": "Adopted unanimously, 8956th meeting",
        "draft_resolution": "S/2022/52",
        "outcome_letter": "S/PV.8956",
        "resolution_title": "Security Council resolution 2618 (2022)",
        "MS_in_favour_count": "15",
        "MS_against_count": "0",
        "MS_abstaining_count": "0",
        "MS_in_favour": MEMBERS,
        "MS_against": [],
        "MS_abstaining": [],
        "subjects": [["CYPRUS", "UNBIS Thesaurus"], ["UNFICYP", "DHLAUTH"]],
    }
    obj.update(changes)
    return obj


def _lines(*objects: dict) -> bytes:
    return "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects).encode()


def _one(**changes):
    (record,) = parse(_lines(_object(**changes)), name="2022.json").records
    return record


def test_a_plain_line_gives_its_resolution():
    record = _one()
    assert (record.resolution_number, record.resolution_year) == (2618, 2022)
    assert record.date == date(2022, 1, 27)
    assert record.meeting_symbol == "S/PV.8956"
    assert record.draft_symbol == "S/2022/52"
    assert record.modality == Modality.RECORDED_VOTE
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (15, 0, 0)
    assert record.recorded_non_voting is None and record.recorded_members is None
    assert [v.name for v in record.votes] == MEMBERS
    assert record.subjects == ("CYPRUS",)
    assert record.location == "file 2022.json, line 1"
    assert record.url == "https://undocs.org/en/S/RES/2618(2022)"
    assert record.flags == ()


def test_bytes_one_file_and_a_directory_give_the_same_records(tmp_path):
    data = _lines(_object(), _object(symbol="S/RES/2619(2022)", adoption_date="2022-01-31"))
    (tmp_path / "2022.json").write_bytes(data)
    from_bytes = parse(data, name="2022.json").records
    assert parse(tmp_path / "2022.json").records == from_bytes
    assert parse(tmp_path).records == from_bytes
    assert from_bytes[1].date == date(2022, 1, 31)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"symbol": "S/RES/1 (1946)",', "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps(_object(symbol="")), "no symbol"),
        (json.dumps({k: v for k, v in _object().items() if k != "symbol"}), "no symbol"),
        (json.dumps(_object(symbol="S/2022/431")), "not a resolution symbol"),
        (json.dumps(_object(adoption_date="")), "no adoption date"),
        (json.dumps(_object(adoption_date="31 February 2022")), "is not a date"),
        (json.dumps(_object(adoption_type="Adopted by telepathy")), "unknown adoption type"),
        (json.dumps(_object(adoption_type="Adopted unanimouslyish")), "unknown adoption type"),
        (json.dumps(_object(MS_in_favour_count="fifteen")), "not a whole number"),
        (json.dumps(_object(MS_against_count="1.5")), "not a whole number"),
        (json.dumps(_object(MS_against_count=["0"])), "not a whole number"),
        (json.dumps(_object(MS_against="CHINA")), "not a list of texts"),
    ],
)
def test_a_broken_line_raises_source_error_naming_file_line_and_reason(line, reason):
    data = _lines(_object()) + line.encode() + b"\n"
    with pytest.raises(SourceError) as raised:
        parse(data, name="bad.json")
    assert raised.value.file == "bad.json"
    assert raised.value.location == "line 2"
    assert reason in raised.value.reason
    assert str(raised.value).startswith("bad.json, line 2: ")


@pytest.mark.parametrize(
    ("wording", "modality"),
    [
        ("Adopted without vote, 4215th meeting", Modality.WITHOUT_VOTE),
        ("Adopted by consensus", Modality.WITHOUT_VOTE),
        ("Adopted by acclamation, 4337th meeting", Modality.ACCLAMATION),
        ("Adopted unanimoulsy, 8956th meeting", Modality.RECORDED_VOTE),
        ("Adopted 15-0-0, 8956th meeting", Modality.RECORDED_VOTE),
        ("Adopted (15-0-0), 8956th meeting", Modality.RECORDED_VOTE),
    ],
)
def test_wordings_give_the_modality(wording, modality):
    assert _one(adoption_type=wording).modality == modality


def test_without_vote_stating_0_0_0_has_unknown_totals_and_no_votes():
    record = _one(
        adoption_type="Adopted without vote, 8956th meeting",
        MS_in_favour_count="0",
        MS_in_favour=[],
    )
    assert record.modality == Modality.WITHOUT_VOTE
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (None,) * 3
    assert record.votes == () and record.flags == ()


def test_counts_disagreeing_with_lists_are_kept_and_flagged():
    record = _one(
        adoption_type="Adopted 9-0-6, 8956th meeting",
        MS_in_favour=MEMBERS[:9],
        MS_abstaining=MEMBERS[9:],
    )
    assert (record.recorded_yes, record.recorded_abstain) == (15, 0)
    assert len(record.votes) == 15
    assert "The file states 15 in favour but lists 9 members; both kept." in record.flags
    assert "The file states 0 abstaining but lists 6 members; both kept." in record.flags
    assert any("says 9-0-6" in f and "15-0-0" in f for f in record.flags)


def test_a_member_listed_under_two_positions_keeps_both_votes_and_is_flagged():
    record = _one(MS_abstaining=["CHINA"], MS_abstaining_count="1")
    china = [v for v in record.votes if v.name == "CHINA"]
    assert [v.position for v in china] == ["Y", "A"]
    assert all("Listed 2 times" in v.note for v in china)
    assert "CHINA is listed 2 times: in favour and abstaining; all kept." in record.flags


def test_zero_padded_and_blank_counts():
    record = _one(
        adoption_type="Adopted 13-0-2, 8956th meeting",
        MS_in_favour_count="013",
        MS_against_count="",
        MS_abstaining_count="002",
        MS_in_favour=MEMBERS[:13],
        MS_abstaining=MEMBERS[13:],
    )
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (13, 0, 2)
    assert record.flags == ()
    # A blank count the tally contradicts is not read as 0.
    contradicted = _one(adoption_type="Adopted 13-0-2, 8956th meeting", MS_abstaining_count="")
    assert contradicted.recorded_abstain is None
    assert any("no count of members abstaining" in f for f in contradicted.flags)


def test_voting_by_mail_has_no_meeting_record_and_keeps_the_letter():
    record = _one(adoption_meeting="Voting by mail", outcome_letter="S/2020/246")
    assert record.meeting_symbol == ""
    assert record.extra["outcome_letter"] == "S/2020/246"


def test_meeting_forms_and_disagreement():
    assert _one(adoption_meeting="10042nd (resumed) meeting").meeting_symbol == "S/PV.10042"
    record = _one(outcome_letter="S/PV.8965")
    assert record.meeting_symbol == "S/PV.8956"
    assert any("outcome_letter 8965" in f for f in record.flags)


def test_identical_duplicate_is_dropped_with_a_warning_and_a_differing_one_is_flagged():
    same = parse(_lines(_object(), _object()), name="2022.json")
    assert len(same.records) == 1 and same.records[0].flags == ()
    assert any("identical" in w for w in same.warnings)
    differing = parse(_lines(_object(), _object(MS_in_favour_count="")), name="2022.json")
    (kept,) = differing.records
    assert kept.recorded_yes == 15
    assert any("line 2" in f and "MS_in_favour_count" in f for f in kept.flags)


def test_an_empty_directory_is_an_error(tmp_path):
    with pytest.raises(SourceError, match=r"no \.json files"):
        parse(tmp_path)
