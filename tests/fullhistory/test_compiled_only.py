"""Votes only a compilation records, on the whole record (resolutions.pipeline.compiled_only).

The official sources loaded here stop describing failed drafts in May 2022 (the
Library's Veto List and meetings tables) and start again in March 2023 (DGACM's
XML), so for the drafts put to the vote in between the Voting-Agent compilation
is the only source. Every fact is recounted here from the compilation's rows.
"""

import csv
import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.urls import reverse

from resolutions.models import Draft
from votes.choices import SECONDARY, Source
from votes.models import MemberVote

pytestmark = pytest.mark.realdata

COMPILATION = "sc_voting_agent_1994_2025/sc_voting_from_xlsx_DERIVED.csv"
VETO_LIST_END, DGACM_START = date(2022, 5, 26), date(2023, 3, 1)
POSITION = {"Yes": "Y", "No": "N", "Abstain": "A"}
PERMANENT = {
    "China": "CHN",
    "France": "FRA",
    "Russian Federation": "RUS",
    "United Kingdom": "GBR",
    "United States": "USA",
}


def votes_by_draft(shared_data) -> dict[tuple[str, date], dict[str, str]]:
    """{(draft symbol, day): {member: position}}, one vote ID per draft (the first)."""
    first_id: dict[tuple[str, date], str] = {}
    votes: dict[tuple[str, date], dict[str, str]] = defaultdict(dict)
    with (shared_data / COMPILATION).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["Draft"].strip(), date.fromisoformat(row["date_iso"]))
            if first_id.setdefault(key, row["ID"]) == row["ID"] and row["Vote"] in POSITION:
                votes[key][row["Member State"].strip()] = POSITION[row["Vote"]]
    return votes


def vetoers(members: dict[str, str]) -> set[str]:
    return {
        seat
        for name, position in members.items()
        for prefix, seat in PERMANENT.items()
        if name.startswith(prefix) and position == "N"
    }


def in_the_gap(shared_data) -> dict[tuple[str, date], dict[str, str]]:
    """The compilation's votes between the Veto List's end and DGACM's start that no
    resolution came of (the official voting data records every adopted one)."""
    return {
        (symbol, on): members
        for (symbol, on), members in votes_by_draft(shared_data).items()
        if VETO_LIST_END < on < DGACM_START
        and not Draft.objects.filter(draft_symbol=symbol, resolution_number__isnull=False)
    }


def test_every_veto_in_the_gap_is_on_the_vetoes_page_as_compiled(history, client, shared_data):
    gap = in_the_gap(shared_data)
    vetoed = {
        key: members
        for key, members in gap.items()
        if vetoers(members) and Counter(members.values())["Y"] >= 9
    }
    assert vetoed, "the compilation's vetoes of June 2022 - February 2023 were not found"
    page = client.get(reverse("resolutions:vetoes")).content.decode()
    for (symbol, on), members in vetoed.items():
        draft = Draft.objects.get(draft_symbol=symbol, date=on)
        assert draft.is_published and draft.compiled_only, symbol
        assert draft.outcome == "vetoed", symbol
        assert set(draft.vetoes.values_list("seat__code", flat=True)) == vetoers(members)
        assert symbol in page


def test_every_failed_draft_in_the_gap_has_the_compilations_member_votes(history, shared_data):
    gap = in_the_gap(shared_data)
    assert len(gap) >= 2
    for (symbol, on), members in gap.items():
        draft = Draft.objects.get(draft_symbol=symbol, date=on)
        stored = list(draft.member_votes.values_list("position", "source"))
        assert Counter(p for p, _ in stored) == Counter(members.values()), symbol
        assert {s for _, s in stored} == {Source.VOTING_AGENT}, symbol
        assert draft.outcome in ("vetoed", "not_adopted"), symbol


def test_a_compiled_only_page_says_so_and_labels_its_votes(history, client, shared_data):
    (symbol, on), members = next(iter(in_the_gap(shared_data).items()))
    draft = Draft.objects.get(draft_symbol=symbol, date=on)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "From a third-party compilation only." in page
    assert Source.VOTING_AGENT.label in page
    assert page.count('class="evidence evidence--compiled"') == len(members) + 1  # and the key


def test_no_vote_on_a_compiled_only_record_is_deduced(history):
    only = Draft.objects.compiled_only()
    assert only.exists()
    assert not MemberVote.objects.filter(draft__in=only, source=Source.DEDUCED).exists()
    assert set(only.values_list("source", flat=True)) <= set(SECONDARY)


def test_official_records_never_take_a_compilations_value(history):
    """Every field of a record an official source describes comes from an official
    source or an editor, compiled-only records aside."""
    for field_sources in (
        Draft.objects.published().officially_recorded().values_list("field_sources", flat=True)
    ):
        assert not set((field_sources or {}).values()) & set(SECONDARY)


def test_the_data_page_names_the_resolutions_only_a_compilation_gives(history, client):
    only = Draft.objects.compiled_only().exclude(resolution_number=None)
    assert only.exists()
    page = client.get(reverse("resolutions:data")).content.decode()
    said = page[page.index('id="compiled-only"') :].split("</p>")[0]
    for draft in only:
        assert draft.resolution_symbol in said
    assert f"lists {only.count()} resolution" in said


def stated_vetoes(shared_data) -> set[tuple[str, date]]:
    """(draft symbol, day) of every vote the compilation states was vetoed."""
    with (shared_data / COMPILATION).open(encoding="utf-8", newline="") as f:
        return {
            # The symbol alone: the cell can add words ("S/2007/14 as orally revised").
            (_symbol(row["Draft"]), date.fromisoformat(row["date_iso"]))
            for row in csv.DictReader(f)
            if "veto" in row["Outcome results"].lower() and row["Draft"].strip()
        }


def _symbol(cell: str) -> str:
    found = re.search(r"S/\S+", cell)
    return found[0] if found else cell.strip()


def test_every_veto_the_compilation_lists_is_on_the_vetoes_page(history, client, shared_data):
    """Each vote the compilation states was vetoed, read from its rows, is a vetoed
    record here or named in the page's list of vetoes no record holds: none is dropped
    without a word."""
    page = client.get(reverse("resolutions:vetoes")).content.decode()
    unplaced = page[page.index('id="unplaced-heading"') :] if "unplaced-heading" in page else ""
    vetoes = stated_vetoes(shared_data)
    assert len(vetoes) > 50
    for symbol, on in sorted(vetoes):
        # (A vote on an amendment is listed with ?kind=amendment.)
        held = Draft.objects.published_votes().vetoed()
        # A row naming no symbol ("Oral amendment") is found by its day.
        held = held.filter(draft_symbol=symbol) if symbol.startswith("S/") else held.filter(date=on)
        assert held.exists() or symbol in unplaced, (symbol, on)
