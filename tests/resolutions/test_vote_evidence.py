"""Every member vote says where it comes from: on its page, in the dumps and in the API."""

import csv
import io
import json

import pytest

from resolutions.models import Draft
from votes.choices import Source
from votes.models import MemberVote

pytestmark = pytest.mark.django_db


@pytest.fixture
def labelled(sample):
    """The seed case with its votes relabelled: China's and Russia's deduced, Ghana's
    from the Voting-Agent compilation (version as its entry states), the rest official."""
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    draft.sources = {
        **(draft.sources or {}),
        "voting_agent": {"version": "2025-06-04", "location": "ID 1", "url": "", "values": {}},
        "undl": {"version": "2026-02-06", "location": "line 2", "url": "", "values": {}},
    }
    draft.save()
    votes = draft.member_votes.select_related("state")
    reason = "Deduced from the 13–2–0 tally (Dag Hammarskjöld Library, meetings tables)"
    votes.update(source=Source.UNDL)
    votes.filter(state__code__in=["CHN", "RUS"]).update(source=Source.DEDUCED, note=reason)
    votes.filter(state__code="GHA").update(source=Source.VOTING_AGENT)
    return draft


def test_the_vote_page_labels_each_member_vote(client, labelled):
    page = client.get(labelled.get_absolute_url()).content.decode()
    assert page.count('class="evidence evidence--deduced"') == 2 + 1  # two votes, one summary
    assert page.count('class="evidence evidence--compiled"') == 1 + 1
    assert page.count('class="evidence evidence--official"') == 12 + 1
    assert "Voting-Agent compilation of Council votes, 1994–2025, version 2025-06-04" in page
    assert "2 votes: Deduced from the 13–2–0 tally" in page
    assert "12 votes: Official UN source: Dag Hammarskjöld Library" in page


def test_the_dumps_and_the_api_give_each_votes_evidence(client, labelled):
    per_vote = list(csv.DictReader(io.StringIO(_body(client.get("/votes.csv?rows=votes")))))
    seed = {r["ms_code"]: r for r in per_vote if r["draft_symbol"] == "S/2022/431"}
    assert {c: r["vote_evidence"] for c, r in seed.items() if r["vote_evidence"] != "official"} == {
        "CHN": "deduced",
        "RUS": "deduced",
        "GHA": "compiled",
    }
    assert seed["GHA"]["vote_source"] == "voting_agent"

    document = json.loads(_body(client.get("/votes.json")))
    (item,) = [d for d in document["drafts"] if d["draft_symbol"] == "S/2022/431"]
    assert {v["ms_code"]: v["vote_evidence"] for v in item["votes"]}["RUS"] == "deduced"

    body = client.get(f"/api/v1/votes/{labelled.pk}/").json()
    evidence = {v["code"]: (v["evidence"], v["source"]) for v in body["member_votes"]}
    assert evidence["GHA"] == ("compiled", "voting_agent")
    assert evidence["CHN"] == ("deduced", "deduced")
    assert evidence["FRA"] == ("official", "undl")
    assert MemberVote.objects.filter(draft=labelled).count() == len(evidence) == 15


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()
