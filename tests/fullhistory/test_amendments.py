"""Votes on amendments on the whole record, recounted from the Voting-Agent file itself.

The file's rows sharing an ``ID`` are one vote; a vote whose Draft cell says
"amendment" is a vote on an amendment, taken at the meeting of the draft it amends.
No official file loaded here records these votes (the Library's meetings tables and
DGACM give only the vote on the draft), so each is the compilation's, labelled so.
"""

import csv
import re
from collections import Counter
from datetime import date

import pytest
from django.core.cache import cache
from django.db.models import Sum

from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.secondary import load_secondary
from resolutions.sources import voting_agent
from votes.choices import Outcome, Source, VoteKind
from votes.models import MemberVote, Veto, VoteYear
from votes.names import default_resolver

pytestmark = pytest.mark.realdata

P5 = {"CHN", "FRA", "RUS", "GBR", "USA"}
WORDS = {"Yes": "Y", "No": "N", "Abstain": "A"}
SYMBOL = re.compile(r"S/\d{4}/\d+")


def _votes_in_file(shared_data) -> dict[str, dict]:
    """Each vote ID of the file: its draft cell, meeting number, date and member votes."""
    names = default_resolver()
    path = shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    votes: dict[str, dict] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            vote = votes.setdefault(
                row["ID"],
                {
                    "draft": " ".join(row["Draft"].split()),
                    "meeting": re.sub(r"\D", "", row["Meeting"]),
                    "members": {},
                },
            )
            code = names.resolve(row["Member State"], date.fromisoformat(row["date_iso"]))
            vote["members"][code] = WORDS[row["Vote"]]
    return votes


def _amendments_in_file(shared_data) -> list[dict]:
    """The votes on amendments, each with the draft it amends: the draft its cell names
    if that draft was voted at the same meeting, else the only draft voted there."""
    votes = _votes_in_file(shared_data)
    found = []
    for vote in votes.values():
        if "amendment" not in vote["draft"].lower():
            continue
        voted_there = {
            SYMBOL.search(v["draft"].upper())[0]
            for v in votes.values()
            if v["meeting"] == vote["meeting"]
            and "amendment" not in v["draft"].lower()
            and SYMBOL.search(v["draft"].upper())
        }
        named = SYMBOL.search(vote["draft"].upper())
        if named and named[0] in voted_there:
            amends = named[0]
        else:
            assert len(voted_there) == 1, vote
            amends = voted_there.pop()
        found.append({**vote, "amends": amends})
    return found


def _key(meeting: str, amends: str, members: dict) -> tuple:
    return (meeting, amends, frozenset(members.items()))


def _stored_amendments() -> list[tuple]:
    stored = []
    for amendment in Draft.objects.amendments().select_related("amends__meeting"):
        members = dict(amendment.member_votes.values_list("state__code", "position"))
        meeting = amendment.amends.meeting.symbol.removeprefix("S/PV.")
        stored.append(_key(meeting, amendment.amends.draft_symbol, members))
    return stored


def test_every_amendment_vote_in_the_file_is_loaded_once_linked_to_its_draft(history, shared_data):
    in_file = _amendments_in_file(shared_data)
    assert len(in_file) >= 10
    assert Draft.objects.amendments().count() == len(in_file)
    assert Counter(_stored_amendments()) == Counter(
        _key(v["meeting"], v["amends"], v["members"]) for v in in_file
    )
    amendments = Draft.objects.amendments().select_related("amends")
    for amendment in amendments:
        assert amendment.kind == VoteKind.AMENDMENT
        assert amendment.amends.kind == VoteKind.DRAFT_RESOLUTION
        # The official draft's date and meeting, not the file's (two are day-month swapped).
        assert (amendment.date, amendment.meeting_id) == (
            amendment.amends.date,
            amendment.amends.meeting_id,
        )
        assert set(amendment.member_votes.values_list("source", flat=True)) == {Source.VOTING_AGENT}


def test_amendment_outcomes_follow_article_27_on_the_files_votes(history, shared_data):
    expected = Counter()
    for vote in _amendments_in_file(shared_data):
        positions = Counter(vote["members"].values())
        p5_no = {c for c, p in vote["members"].items() if c in P5 and p == "N"}
        if positions["Y"] < 9:
            outcome = Outcome.NOT_ADOPTED
        else:
            outcome = Outcome.VETOED if p5_no else Outcome.ADOPTED
        expected[(vote["meeting"], vote["amends"], outcome)] += 1
    stored = Counter(
        (d.amends.meeting.symbol.removeprefix("S/PV."), d.amends.draft_symbol, d.outcome)
        for d in Draft.objects.amendments().select_related("amends__meeting")
    )
    assert stored == expected
    # One fails for want of nine votes, one is vetoed (the United States, 22 Dec 2023).
    assert expected[("9520", "S/2023/1029", Outcome.VETOED)] == 1
    assert sum(n for (_m, _a, o), n in expected.items() if o == Outcome.NOT_ADOPTED) >= 9
    veto = Veto.objects.get(draft__kind=VoteKind.AMENDMENT)
    assert veto.seat.code == "USA"


def test_amendments_are_left_out_of_every_count(history, client):
    pages = ["/votes/", "/vetoes/", "/p5/", "/", "/countries/united-states/", "/data/"]
    with_amendments = {url: _page(client, url) for url in pages}
    assert Draft.objects.amendments().filter(is_published=True).exists()
    assert Veto.objects.filter(draft__kind=VoteKind.AMENDMENT).exists()
    Draft.objects.amendments().delete()
    assert {url: _page(client, url) for url in pages} == with_amendments


def _page(client, url: str) -> str:
    """The page's numbers as shown, without the links to single votes (whose ids differ)."""
    cache.clear()
    html = client.get(url).content.decode()
    html = re.sub(r"/votes/\d+/", "/votes/ID/", html)
    return " ".join(re.findall(r"\d[\d,.–]*", html))


def test_the_amendment_filter_and_pages(history, client, shared_data):
    in_file = _amendments_in_file(shared_data)
    html = client.get("/votes/?kind=amendment").content.decode()
    shown = re.search(r'role="status"><strong>(\d+)</strong>', html).group(1)
    assert int(shown) == len(in_file)
    api = client.get("/api/v1/votes/?kind=amendment").json()
    assert api["count"] == len(in_file)
    draft = Draft.objects.get(draft_symbol="S/2024/37", kind=VoteKind.DRAFT_RESOLUTION)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Votes on amendments" in page
    three = [v for v in in_file if v["amends"] == "S/2024/37"]
    assert len(three) == 3
    for vote in three:
        tally = Counter(vote["members"].values())
        assert f"{tally['Y']}–{tally['N']}–{tally['A']}" in page
    amendment = Draft.objects.amendments().filter(amends=draft).first()
    own = client.get(amendment.get_absolute_url()).content.decode()
    assert "an amendment" in own and draft.get_absolute_url() in own
    assert MemberVote.objects.filter(draft=amendment).count() == 15
    assert client.get(f"/api/v1/votes/{amendment.pk}/").json()["kind"] == "amendment"


def test_loading_the_compilation_again_changes_no_amendment(history, shared_data):
    path = shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    before = list(Draft.objects.amendments().order_by("pk").values_list("pk", "updated_at"))
    votes = list(MemberVote.objects.filter(draft__kind=VoteKind.AMENDMENT).values_list("pk"))
    summary = load_secondary(voting_agent.parse(path))
    assert summary.updated == 0
    after = list(Draft.objects.amendments().order_by("pk").values_list("pk", "updated_at"))
    assert after == before
    assert (
        list(MemberVote.objects.filter(draft__kind=VoteKind.AMENDMENT).values_list("pk")) == votes
    )


def test_an_amendment_published_again_by_a_sync_is_counted_again(history, shared_data):
    """An editor withdraws an amendment vote; loading the compilation again publishes
    it again, and the per-year counts the sitemaps read (VoteYear) follow: they had
    moved only with its date or its member votes."""
    path = shared_data / "sc_voting_agent_1994_2025" / "sc_voting_from_xlsx_DERIVED.csv"
    amendment = Draft.objects.published_votes(VoteKind.AMENDMENT).earliest("date", "pk")

    def counted() -> int:
        return VoteYear.objects.aggregate(n=Sum("votes"))["n"]

    published = Draft.objects.published_votes().count()
    assert counted() == published
    Draft.objects.filter(pk=amendment.pk).update(is_published=False)
    refresh_outcomes([amendment.pk])  # as the admin's save does
    assert counted() == published - 1
    load_secondary(voting_agent.parse(path))
    assert Draft.objects.get(pk=amendment.pk).is_published
    assert counted() == Draft.objects.published_votes().count() == published
