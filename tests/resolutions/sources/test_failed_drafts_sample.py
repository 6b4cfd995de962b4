"""The unsc_for_us failed-vote sample parser, on the real file and on synthetic rows.

The real file's lists are recounted here with the csv module and ast.literal_eval.
"""

from __future__ import annotations

import ast
import csv
from collections import Counter
from pathlib import Path

import pytest

from resolutions.sources import failed_drafts_sample
from resolutions.sources.records import SourceError
from votes.choices import Outcome, Source

FILE = Path("unsc_for_us_failed_drafts") / "cleaned_data_unsc_DERIVED.csv"
P5 = {"China": "CHN", "France": "FRA", "United Kingdom": "GBR", "United States": "USA"}


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict]:
    with (shared_data / FILE).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def parsed(shared_data: Path):
    return failed_drafts_sample.parse(shared_data / FILE)


def kinds(record) -> set[str]:
    return {kind for kind, _ in record.extra["faults"]}


@pytest.mark.realdata
def test_fifty_three_rows_one_record_each_with_every_listed_vote(parsed, rows):
    assert len(rows) == 53
    assert len(parsed.records) == len(rows)
    assert {r.source for r in parsed.records} == {Source.FAILED_DRAFTS_SAMPLE}
    for record, row in zip(parsed.records, rows, strict=True):
        lists = {
            p: ast.literal_eval(row[c])
            for c, p in (("In Favor", "Y"), ("Abstain", "A"), ("Against", "N"))
        }
        listed = record.votes or record.extra.get("votes_as_written", ())
        assert Counter(v.position for v in listed) == Counter(
            {p: len(names) for p, names in lists.items() if names}
        )
        assert record.meeting_symbol == f"S/PV.{row['Meeting Number']}"
        assert record.extra["year"] == int(row["Year"]) and record.date is None


@pytest.mark.realdata
def test_the_ussr_written_as_russian_federation_gets_the_seats_code(parsed, rows):
    for record, row in zip(parsed.records, rows, strict=True):
        russian = [v for v in record.votes if v.name == "Russian Federation"]
        for vote in russian:
            assert vote.code == ("SUN" if int(row["Year"]) < 1991 else "RUS")
        if russian and int(row["Year"]) < 1991:
            assert "name_anachronistic" in kinds(record)


@pytest.mark.realdata
def test_a_tuple_that_miscounts_its_lists_is_flagged(parsed, rows):
    mismatched = []
    for row in rows:
        counts = tuple(len(ast.literal_eval(row[c])) for c in ("In Favor", "Abstain", "Against"))
        mismatched.append(counts != ast.literal_eval(row["For,Abstain,Against"]))
    assert sum(mismatched) >= 1
    assert ["tuple_disagrees" in kinds(r) for r in parsed.records] == mismatched


@pytest.mark.realdata
def test_vetoes_by_the_note_name_the_permanent_members_against(parsed, rows):
    noted = [i for i, row in enumerate(rows) if "negative vote" in row["Note"].lower()]
    assert len(noted) >= 8
    for i in noted:
        record = parsed.records[i]
        russian = "SUN" if int(rows[i]["Year"]) < 1991 else "RUS"
        codes = {**P5, "Russian Federation": russian}
        expected = {codes[n] for n in ast.literal_eval(rows[i]["Against"]) if n in codes}
        assert record.outcome == Outcome.VETOED
        assert set(record.vetoed_by) == expected


@pytest.mark.realdata
def test_paragraph_votes_are_parts_of_a_draft(parsed, rows):
    parts = [i for i, row in enumerate(rows) if "paragraph" in row["Voting On"].lower()]
    assert parts
    for i in parts:
        record = parsed.records[i]
        assert record.extra["vote_on"] == "part"
        assert record.draft_symbol == ""
        assert record.extra["part_of"] in rows[i]["Voting On"]


# --- synthetic rows ---------------------------------------------------------------

COUNCIL = ["China", "France", "Russian Federation", "United Kingdom", "United States"]
COUNCIL += ["Albania", "Brazil", "Gabon", "Ghana", "India", "Ireland", "Kenya", "Mexico"]
COUNCIL += ["Norway", "United Arab Emirates"]


def _row(yes, abstain, against, **changes) -> dict:
    row = {
        "Meeting Number": "9048",
        "Voting On": "S/2022/431",
        "Year": "2022",
        "Submitted By": "['United States']",
        "In Favor": repr(yes),
        "Abstain": repr(abstain),
        "Against": repr(against),
        "Note": "Negative vote",
        "For,Abstain,Against": repr((len(yes), len(abstain), len(against))),
        "Members": repr(COUNCIL),
        "Joint Submission": "0",
        "Meeting Number: Voting On": "Meeting #: 9048 Voting On: S/2022/431",
    }
    for position, names in (("For", yes), ("Abstain", abstain), ("Against", against)):
        row[f"Lone/None/Multiple {position}"] = (
            "None" if not names else "Lone" if len(names) == 1 else "Multiple"
        )
    row.update(changes)
    return row


def _file(*rows: dict) -> bytes:
    buffer = [",".join(f'"{c}"' for c in failed_drafts_sample.COLUMNS)]
    for row in rows:
        buffer.append(
            ",".join('"' + row[c].replace('"', '""') + '"' for c in failed_drafts_sample.COLUMNS)
        )
    return ("\n".join(buffer) + "\n").encode()


SEED = (
    [n for n in COUNCIL if n not in ("China", "Russian Federation")],
    [],
    ["China", "Russian Federation"],
)


def test_the_seed_case_as_the_sample_would_write_it():
    (record,) = failed_drafts_sample.parse(_file(_row(*SEED))).records
    assert record.outcome == Outcome.VETOED
    assert set(record.vetoed_by) == {"CHN", "RUS"}
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (13, 2, 0)
    assert len(record.votes) == 15 and all(v.code for v in record.votes)
    assert record.extra["faults"] == []


def test_code_in_a_list_cell_is_refused_never_run():
    row = _row(*SEED, **{"In Favor": "__import__('os').system('true')"})
    with pytest.raises(SourceError, match="not a list literal"):
        failed_drafts_sample.parse(_file(row))


def test_a_list_of_numbers_is_refused():
    with pytest.raises(SourceError, match="not a list of names"):
        failed_drafts_sample.parse(_file(_row(*SEED, Abstain="[1, 2]")))


def test_a_miscounted_tuple_and_a_member_twice_are_flagged():
    row = _row(*SEED, **{"For,Abstain,Against": "(12, 0, 2)"})
    (record,) = failed_drafts_sample.parse(_file(row)).records
    assert "tuple_disagrees" in kinds(record)
    twice = _row(SEED[0] + ["China"], [], ["China", "Russian Federation"])
    (record,) = failed_drafts_sample.parse(_file(twice)).records
    assert "member_twice" in kinds(record)
    assert record.votes == () and record.outcome == Outcome.VETOED


def test_a_veto_note_the_votes_contradict_is_withheld():
    few = _row(COUNCIL[5:10], COUNCIL[10:], COUNCIL[:5])  # 5 for: not a veto
    (record,) = failed_drafts_sample.parse(_file(few)).records
    assert record.outcome == ""
    assert "outcome_contradicts_votes" in kinds(record)


def test_the_same_vote_twice_is_flagged():
    records = failed_drafts_sample.parse(_file(_row(*SEED), _row(*SEED))).records
    assert all("repeated_vote" in kinds(r) for r in records)
