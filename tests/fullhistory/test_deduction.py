"""Deduced member votes on the whole record, recounted from the raw files."""

import csv
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft
from votes.choices import Source
from votes.models import MemberVote

pytestmark = pytest.mark.realdata


def _veto_list_row(shared_data, symbol: str) -> list[str]:
    """The cells of the Veto List's row for a draft, tags stripped."""
    html = (shared_data / "dhl_meetings_tables" / "scact_veto_table_en.html").read_text("utf-8")
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        if f">{symbol}<" in row:
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
            return [re.sub(r"<[^>]+>", "\n", c) for c in cells]
    raise AssertionError(f"{symbol} is not on the Veto List")


def _meetings_tally(shared_data, year: int, symbol: str) -> list[int]:
    html = (shared_data / "dhl_meetings_tables" / f"scact{year}_table_en.html").read_text("utf-8")
    at = html.index(f">{symbol}<")
    return [int(n) for n in re.search(r"(\d+)-(\d+)-(\d+)", html[at:]).groups()]


def _members(shared_data, year: int) -> list[str]:
    newest = sorted((shared_data / "dppa_sc_membership").glob("*.csv"))[-1]
    with newest.open(encoding="utf-8") as handle:
        return [
            r["security_council_member"] for r in csv.DictReader(handle) if r["year"] == str(year)
        ]


def test_s_2022_431_has_fifteen_votes_deduced_from_its_tally_and_vetoes(history, shared_data):
    vetoers = [n.strip() for n in _veto_list_row(shared_data, "S/2022/431")[-1].split("\n")]
    vetoers = sorted(n for n in vetoers if n)
    tally = _meetings_tally(shared_data, 2022, "S/2022/431")
    members = _members(shared_data, 2022)
    # The table writes 13-0-2: its counts, read either way, are 13 in favour and the
    # two vetoers' no.
    assert sorted(tally) == [0, 2, 13] and len(vetoers) == 2 and len(members) == 15

    draft = Draft.objects.get(draft_symbol="S/2022/431")
    votes = list(draft.member_votes.all())
    assert len(votes) == len(members)
    positions = Counter(v.position for v in votes)
    assert positions == {"Y": len(members) - len(vetoers), "N": len(vetoers)}
    assert sorted(v.name_at_vote for v in votes if v.position == "N") == vetoers
    assert {v.source for v in votes} == {Source.DEDUCED}
    assert all("13–2–0" in v.note and "China, Russian Federation" not in v.note for v in votes)
    assert all("Veto List" in v.note and "CHN, RUS" in v.note for v in votes)
    assert draft.outcome == "vetoed" and draft.outcome_basis == "member_votes"


def test_every_draft_with_deduced_votes_adds_up_to_its_recorded_tally(history):
    # Deduced and given votes together never exceed the recorded count of a position,
    # and where every member has a vote they are the recorded tally exactly.
    drafts = Draft.objects.filter(member_votes__source=Source.DEDUCED).distinct()
    assert drafts.exists()
    for draft in drafts.prefetch_related("member_votes"):
        counted = Counter(v.position for v in draft.member_votes.all())
        recorded = {"Y": draft.recorded_yes, "N": draft.recorded_no, "A": draft.recorded_abstain}
        assert all(counted[p] <= n for p, n in recorded.items()), draft
        if draft.member_votes.count() == (15 if draft.date.year >= 1966 else 11):
            assert all(counted[p] == n for p, n in recorded.items()), draft


def test_refresh_outcomes_recomputes_the_deduced_votes_and_changes_nothing(history):
    before = sorted(
        MemberVote.objects.filter(source=Source.DEDUCED).values_list("pk", "position", "note")
    )
    MemberVote.objects.filter(draft__draft_symbol="S/2022/431").delete()
    out = StringIO()
    call_command("refresh_outcomes", stdout=out)
    assert "15 votes deduced" in out.getvalue()
    after = MemberVote.objects.filter(source=Source.DEDUCED)
    assert after.count() == len(before)
    assert sorted(v[1:] for v in after.values_list("pk", "position", "note")) == sorted(
        v[1:] for v in before
    )


def test_s_2022_431_page_labels_its_votes_deduced(history, client):
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    page = client.get(draft.get_absolute_url()).content.decode()
    assert page.count('class="evidence evidence--deduced"') == 15 + 1
    assert "15 votes: Deduced from the 13–2–0 tally" in page
    assert "No member-by-member breakdown" not in page


def test_compiled_votes_are_the_compilations_own(history, shared_data):
    # Recounted from the Voting-Agent file: every vote written from it is the vote the
    # file gives that member on that draft.
    from datetime import date

    from votes.names import default_resolver

    names = default_resolver()
    words = {"Yes": "Y", "No": "N", "Abstain": "A"}
    path = shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    said: dict[str, dict[str, set]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = names.resolve(row["Member State"], date.fromisoformat(row["date_iso"]))
            # The draft cell as written, e.g. "s/2007/14 as orally revised": its symbol.
            symbol = re.search(r"S/\d{4}/\d+", row["Draft"].upper())
            meeting = re.sub(r"\D", "", row["Meeting"])  # "8823", "PV.8823"
            key = (meeting, symbol[0] if symbol else "")
            said.setdefault(key, {}).setdefault(code, set()).add(
                words.get(row["Vote"], row["Vote"])
            )
    # Votes on amendments are their own records, recounted in test_amendments.
    compiled = MemberVote.objects.filter(
        source=Source.VOTING_AGENT, draft__kind="draft"
    ).select_related("draft", "state")
    failed = compiled.exclude(draft__outcome="adopted")
    assert failed.values("draft").distinct().count() >= 40
    for vote in failed:
        symbol, meeting = vote.draft.draft_symbol, vote.draft.meeting
        if meeting is None:  # the 2020 votes by videoconference had no meeting record
            keys = [k for k in said if k[1] == symbol]
        else:
            # A draft the official sources know without its symbol: the meeting's vote.
            number = meeting.symbol.removeprefix("S/PV.")
            keys = [k for k in said if k[0] == number and symbol in (k[1], "")]
        keys = [k for k in keys if k[1] == symbol] or keys
        assert len(keys) == 1, vote.draft
        assert said[keys[0]][vote.state.code] == {vote.position}, vote.draft
