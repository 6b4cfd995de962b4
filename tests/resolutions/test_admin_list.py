"""The editors' list of drafts: what it shows, how it searches and filters."""

from datetime import date

import pytest
from django.urls import reverse

from resolutions.admin import DraftAdmin, MemberVoteAdmin
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    VOTE_DATE,
    elected_terms,
)
from votes.admin import MembershipTermAdmin
from votes.models import MemberState

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
LIST = reverse("admin:resolutions_draft_changelist")


@pytest.fixture
def drafts(council_2022):
    """The seed veto, an adopted resolution, and a 2021 draft that failed."""
    elected_terms({"EST": 2020, "NER": 2020, "VCT": 2020, "TUN": 2020, "VNM": 2020})
    return {
        "veto": recorded_draft(
            VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431", title="DPRK"
        ),
        "adopted": recorded_draft(
            date(2022, 3, 25),
            resolution_number=2627,
            resolution_year=2022,
            draft_symbol="S/2022/260",
            title="Non-proliferation of weapons",
        ),
        "failed": recorded_draft(
            date(2021, 12, 13),
            dict.fromkeys(("IND", "IRL", "KEN", "MEX", "NOR", "EST", "NER"), "N"),
            draft_symbol="S/2021/990",
            title="Climate and security",
        ),
    }


def shown(response) -> list[str]:
    return [draft.symbol for draft in response.context["cl"].result_list]


def test_the_list_shows_date_symbols_tally_and_outcome(editor_client, drafts):
    html = editor_client.get(LIST).content.decode()
    for text in (
        "S/2022/431",
        "26 May 2022",
        "13–2–0",
        "Vetoed by China, Russian Federation",
        "S/RES/2627 (2022)",
        "S/2022/260",
        "15–0–0",
        "Adopted",
        "8–7–0",
        "Not adopted",
    ):
        assert text in html, text


def test_newest_first(editor_client, drafts):
    assert shown(editor_client.get(LIST)) == ["S/2022/431", "S/RES/2627 (2022)", "S/2021/990"]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("S/2022/431", ["S/2022/431"]),
        ("S/RES/2627 (2022)", ["S/RES/2627 (2022)"]),
        ("2627", ["S/RES/2627 (2022)"]),
        ("climate", ["S/2021/990"]),
        # A bare number is a resolution number or part of a symbol.
        ("2021", ["S/2021/990"]),
        ("S/2099/1", []),
    ],
)
def test_search_by_symbol_and_title(editor_client, drafts, term, expected):
    assert shown(editor_client.get(LIST, {"q": term})) == expected


def test_filter_by_year(editor_client, drafts):
    assert shown(editor_client.get(LIST, {"year": "2021"})) == ["S/2021/990"]
    years = editor_client.get(LIST).context["cl"].filter_specs[0].lookup_choices
    assert years == [("2022", "2022"), ("2021", "2021")]


def test_filter_by_outcome(editor_client, drafts):
    assert shown(editor_client.get(LIST, {"outcome__exact": "vetoed"})) == ["S/2022/431"]
    assert shown(editor_client.get(LIST, {"outcome__exact": "not_adopted"})) == ["S/2021/990"]


def test_filter_by_member_state(editor_client, drafts):
    estonia = MemberState.objects.get(code="EST")
    assert shown(editor_client.get(LIST, {"state": estonia.pk})) == ["S/2021/990"]
    ghana = MemberState.objects.get(code="GHA")
    assert shown(editor_client.get(LIST, {"state": ghana.pk, "year": "2022"})) == [
        "S/2022/431",
        "S/RES/2627 (2022)",
    ]


@pytest.mark.parametrize("query", [{"year": "last"}, {"state": "ghana"}])
def test_invalid_filter_values_are_refused_as_the_admin_does(editor_client, drafts, query):
    response = editor_client.get(LIST, query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_member_states_are_picked_with_autocomplete(editor_client, drafts):
    html = editor_client.get(LIST).content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    found = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "votes", "model_name": "membervote", "field_name": "state", "term": "Ghana"},
    ).json()
    assert [r["text"] for r in found["results"]] == ["Ghana"]


def test_large_tables_do_not_count_every_row_twice():
    assert DraftAdmin.show_full_result_count is False
    assert MemberVoteAdmin.show_full_result_count is False
    assert MembershipTermAdmin.show_full_result_count is False
