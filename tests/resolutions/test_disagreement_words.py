"""The "Sources disagree" box speaks plain words: no field or value codes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from resolutions import wording
from resolutions.models import Disagreement
from resolutions.outcomes import COUNTED
from tests.samples import sample_size
from votes.choices import Source

pytestmark = pytest.mark.django_db

# What the importers store, as they store it (resolutions/pipeline/merge.py, member_votes.py,
# outcomes.py): every kind of field and value code the box must put in words.
STORED = [
    ("outcome", "outcome", {"dhl_veto": "vetoed", "dhl_meetings": "not_adopted"}, ""),
    ("outcome", "vetoed_by", {"dhl_veto": ["CHN", "RUS"], "yordan_vetoes": ["RUS"]}, ""),
    ("date", "date", {"undl": "2022-05-26", "dhl_meetings": "2022-05-27"}, ""),
    ("field", "modality", {"undl": "without_vote", "unxml_adopted": "vote"}, ""),
    ("field", "draft_symbol", {"undl": "S/2022/431", "voting_agent": "S/2022/431 "}, ""),
    (
        "editor",
        "vote:GHA",
        {"editor": "N", "voting_agent": "Y"},
        "the editor's vote for Ghana is kept",
    ),
    (
        "editor",
        "totals",
        {"editor": "13–2–0", "undl": "13–1–1"},
        "the editor's value is kept over undl's",
    ),
    ("tally", Disagreement.TOTALS_VS_VOTES, {"undl": "13–2–0", COUNTED: "12–2–0 (14 listed)"}, ""),
]
CODES = [
    "not_adopted",
    "vetoed_by",
    "without_vote",
    "draft_symbol",
    "dhl_veto",
    "dhl_meetings",
    "yordan_vetoes",
    "voting_agent",
    "unxml_adopted",
    "undl's",
    "vote:GHA",
    "2022-05-26",
    "['CHN'",
    "(outcome)",
    "(totals)",
    "(date)",
]


def box(html: str) -> str:
    start = html.index("Sources disagree on this record")
    return html[start : html.index("</div>", start)]


@pytest.fixture
def disputed(sample, client):
    draft = sample["seed"]
    for kind, field, values, detail in STORED:
        Disagreement.objects.create(
            draft=draft,
            kind=kind,
            field=field,
            values=values,
            detail=detail,
            detected_by=Source.DHL_MEETINGS if kind != "editor" else Source.UNDL,
        )
    response = client.get(reverse("resolutions:detail", args=[draft.pk]))
    assert response.status_code == 200
    return box(response.content.decode())


@sample_size("small")
def test_the_box_shows_no_code(disputed):
    text = re.sub(r"<[^>]+>", "", disputed)
    found = [code for code in CODES if code in text]
    assert not found, text


@sample_size("small")
def test_the_box_says_each_side_in_words(disputed):
    text = " ".join(re.sub(r"<[^>]+>", "", disputed).split()).replace("&#x27;", "'")
    assert (
        "Outcome: Dag Hammarskjöld Library, Veto List gives vetoed; "
        "Dag Hammarskjöld Library, meetings tables gives not adopted." in text
    )
    assert "Outcome (members who vetoed it):" in text
    assert "gives China and the Russian Federation;" in text
    # The heading is the kind alone where the field would repeat it.
    assert "Date: Dag Hammarskjöld Library, Security Council Voting Data gives 26 May 2022;" in text
    assert "gives 26 May 2022; Dag Hammarskjöld Library, meetings tables gives 27 May 2022." in text
    assert "Other field (way it was decided):" in text and "gives without a vote" in text
    assert "(vote of Ghana): Editor gives voted no;" in text
    assert (
        "The editor's value is kept over Dag Hammarskjöld Library, Security Council Voting Data's."
        in text
    )
    assert "Tally (recorded totals against the members' votes):" in text


def test_every_outcome_and_source_code_has_words():
    on = date(2022, 5, 26)
    for code, label in wording.OUTCOME_WORDS.items():
        assert wording.value_text("outcome", code, on) == label
        assert "_" not in label
    for code in Source.values:
        # Each source by its name (one, "unsc_for_us", is a project's own name).
        assert wording.who_label(code) == Source(code).label
    assert wording.plain_text("kept over dhl_meetings's not_adopted") == (
        "kept over Dag Hammarskjöld Library, meetings tables's not adopted"
    )
