"""The kinds of hole the Voting-Agent compilation left in failed drafts' votes, each filled
in general: a member it omits (settled by the official tally), a member it lists under two
votes (withheld, then settled by the tally), a vote the official record knows only by its
meeting, and a veto with no official tally.

Each test loads one year's official record from ../shared/data as sync_un_data does
(membership, the Veto List, that year's meetings tables or DGACM's XML, the deduction),
then the compilation's rows of that year, then the deduction again. What is expected is
recounted from the files with csv and regular expressions, not with the project's parsers.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from resolutions.models import Draft
from resolutions.pipeline.sync import Input, deduce, load
from tests.conftest import kept_for_the_scope
from tests.resolutions.pipeline.official import load_membership_and_vetoes, load_official_year
from votes.choices import Source
from votes.names import default_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

AGENT = "sc_voting_agent_1994_2025/sc_voting_from_xlsx_DERIVED.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"
POSITION = {"Yes": "Y", "No": "N", "Abstain": "A"}


def _agent_rows(shared_data, year: int) -> list[dict]:
    with (shared_data / AGENT).open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["Year"] == str(year)]


@pytest.fixture(scope="module", autouse=True)
def dppa_and_vetoes(shared_data, django_db_setup, django_db_blocker):
    """The membership and the Veto List, the years' common start, loaded once for the module.

    Each test's year and compilation roll back with the test.
    """
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            load_membership_and_vetoes(shared_data)
        yield


def _sync_with_agent(shared_data, tmp_path, year: int, rows: list[dict] | None = None) -> None:
    load_official_year(shared_data, tmp_path, year)
    rows = rows if rows is not None else _agent_rows(shared_data, year)
    path = tmp_path / "agent.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    load(Input(Source.VOTING_AGENT, path))
    deduce()  # after the compilations, as sync_un_data does


def _listed(rows: list[dict], symbol: str) -> dict[str, set[str]]:
    """State code -> the positions the file's rows give it on one draft."""
    names = default_resolver()
    listed: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        if row["Draft"].strip() == symbol:
            code = names.resolve(row["Member State"], date.fromisoformat(row["date_iso"]))
            listed[code].add(POSITION[row["Vote"]])
    return listed


def _members(shared_data, year: int) -> set[str]:
    with (shared_data / MEMBERSHIP).open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["year"] == str(year)]
    resolver = default_resolver()
    return {resolver.resolve(r["security_council_member"], date(year, 6, 1)) for r in rows}


def _table_tally(shared_data, year: int, anchor: str, table: str = "") -> tuple[int, int, int]:
    name = table or f"scact{year}_table_en.html"
    html = (shared_data / "dhl_meetings_tables" / name).read_text("utf-8")
    at = html.index(f">{anchor}<")
    yes, no, abstain = (int(n) for n in re.search(r"(\d+)-(\d+)-(\d+)", html[at:]).groups())
    return (yes, no, abstain)


def _counts(tally: tuple[int, int, int]) -> Counter:
    return +Counter(dict(zip("YNA", tally, strict=True)))


def _votes(draft: Draft) -> dict:
    return {v.state.code: v for v in draft.member_votes.select_related("state")}


def test_a_member_the_compilation_omits_is_settled_by_the_tally(shared_data, tmp_path):
    # S/2001/270: the compilation lists 14 members; the official 9-1-4 leaves one
    # member not voting, so the one it omits (Ukraine) did not vote.
    _sync_with_agent(shared_data, tmp_path, 2001)
    rows = _agent_rows(shared_data, 2001)
    listed = _listed(rows, "S/2001/270")
    omitted = _members(shared_data, 2001) - set(listed)
    tally = _table_tally(shared_data, 2001, "S/2001/270")
    assert len(listed) == 14 and len(omitted) == 1 and sum(tally) == 14

    votes = _votes(Draft.objects.get(draft_symbol="S/2001/270"))
    assert len(votes) == 15
    (code,) = omitted
    assert votes[code].position == "X" and votes[code].source == Source.DEDUCED
    assert "9–1–4 tally" in votes[code].note and "Voting-Agent" in votes[code].note
    for member, positions in listed.items():
        assert {votes[member].position} == positions, member
        # The veto is settled by the official facts alone; the others are compiled.
        expected = Source.DEDUCED if positions == {"N"} else Source.VOTING_AGENT
        assert votes[member].source == expected, member
    assert Counter(v.position for v in votes.values() if v.position != "X") == dict(
        zip("YNA", tally, strict=True)
    )


@pytest.mark.parametrize("symbol", ["S/2020/797", "S/2020/1054"])
def test_a_member_listed_under_two_votes_is_settled_by_the_tally(shared_data, tmp_path, symbol):
    _sync_with_agent(shared_data, tmp_path, 2020)
    listed = _listed(_agent_rows(shared_data, 2020), symbol)
    twice = {code for code, positions in listed.items() if len(positions) > 1}
    tally = _table_tally(shared_data, 2020, symbol, "scact2020_covid_table_en.html")
    assert twice and len(listed) == 15

    votes = _votes(Draft.objects.get(draft_symbol=symbol))
    assert len(votes) == 15
    assert Counter(v.position for v in votes.values()) == _counts(tally)
    for code, positions in listed.items():
        assert votes[code].position in positions, code
        if code in twice:
            assert votes[code].source == Source.DEDUCED
            assert "Voting-Agent" in votes[code].note and "tally" in votes[code].note
        else:
            assert votes[code].source == Source.VOTING_AGENT


def test_a_conflict_the_tally_cannot_settle_is_held_back(shared_data, tmp_path):
    # The member listed twice on S/2020/797 given a third vote: no choice of its
    # listings makes the official tally, so the compilation is held back whole.
    rows = [dict(r) for r in _agent_rows(shared_data, 2020)]
    listed = _listed(rows, "S/2020/797")
    (code,) = (c for c, p in listed.items() if len(p) > 1)
    names = default_resolver()
    for row in rows:
        same = names.resolve(row["Member State"], date.fromisoformat(row["date_iso"])) == code
        if row["Draft"].strip() == "S/2020/797" and same:
            row["Vote"] = "Yes"
            break
    _sync_with_agent(shared_data, tmp_path, 2020, rows)
    draft = Draft.objects.get(draft_symbol="S/2020/797")
    assert not draft.member_votes.exists()
    assert "the official tally is" in draft.sources["voting_agent"]["held_back"]["reason"]


def test_a_vote_the_official_record_knows_only_by_its_meeting_is_held_for_an_editor(
    shared_data, tmp_path
):
    # S/2021/667: the 2021 table gives S/PV.8823 a 2-0-13 tally and no draft symbol;
    # the compilation names the draft and agrees with the tally. A record without a
    # symbol cannot be published with votes (nor an export of it read back), so the
    # compilation's votes wait, as a suggestion, for an editor to add the symbol.
    html = (shared_data / "dhl_meetings_tables" / "scact2021_table_en.html").read_text("utf-8")
    assert "S/2021/667" not in html
    _sync_with_agent(shared_data, tmp_path, 2021)
    listed = _listed(_agent_rows(shared_data, 2021), "S/2021/667")
    tally = _table_tally(shared_data, 2021, "S/PV.8823")
    assert Counter(p for (p,) in listed.values()) == _counts(tally)

    draft = Draft.objects.get(meeting__symbol="S/PV.8823")
    assert not draft.member_votes.filter(source=Source.VOTING_AGENT).exists()
    held = draft.sources["voting_agent"]["held_back"]
    assert "names no draft symbol (S/2021/667 here)" in held["reason"]
    assert held["votes"] == {code: p for code, (p,) in listed.items()}


def test_a_veto_without_an_official_tally_is_checked_against_its_outcome(shared_data, tmp_path):
    # S/2025/353: DGACM's XML names the United States' veto and gives no votes.
    (xml,) = (shared_data / "unxml_sc_resolutions" / "not_adopted_english").glob("S_2025*")
    assert "<count" not in xml.read_text("utf-8") and "(United States)" in xml.read_text("utf-8")
    _sync_with_agent(shared_data, tmp_path, 2025)
    listed = _listed(_agent_rows(shared_data, 2025), "S/2025/353")
    assert len(listed) == 15

    votes = _votes(Draft.objects.get(draft_symbol="S/2025/353"))
    assert {code: v.position for code, v in votes.items()} == {
        code: p for code, (p,) in listed.items()
    }
    # With no tally there is nothing to deduce from: all fifteen are the compilation's.
    assert {v.source for v in votes.values()} == {Source.VOTING_AGENT}
    draft = Draft.objects.get(draft_symbol="S/2025/353")
    assert any("no official tally" in f for f in draft.sources["voting_agent"]["flags"])


def test_votes_without_a_tally_that_contradict_the_outcome_are_held_back(shared_data, tmp_path):
    # Six of the compilation's yes votes on S/2025/353 made abstentions: 8 in favour is
    # short of the majority, so Article 27 calls it not adopted, not the official veto.
    rows = [dict(r) for r in _agent_rows(shared_data, 2025)]
    yes = [r for r in rows if r["Draft"].strip() == "S/2025/353" and r["Vote"] == "Yes"]
    for row in yes[:6]:
        row["Vote"] = "Abstain"
    _sync_with_agent(shared_data, tmp_path, 2025, rows)
    draft = Draft.objects.get(draft_symbol="S/2025/353")
    assert not draft.member_votes.exists()
    assert draft.sources["voting_agent"]["held_back"]
