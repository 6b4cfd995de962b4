"""The votes list: filters through the query string, sorting, paging, CSV, bad input."""

import csv
import io
import re

import pytest
from django.urls import reverse

from resolutions.models import Draft
from votes.choices import Modality, Outcome, Position
from votes.models import MemberVote, Veto

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(sample):
    return sample


def listed(client, query: str, url=None) -> list[str]:
    """Links to vote pages shown in the table, in order, across every page."""
    url = url or reverse("resolutions:list")
    found, page = [], 1
    while True:
        html = client.get(f"{url}?{query}&page={page}").content.decode()
        rows = re.findall(r'<td data-label="(?:Symbols|Draft)"><a href="/votes/(\d+)/"', html)
        found += rows
        if f"page={page + 1}" not in html:
            return found
        page += 1


def test_ghana_voted_no_lists_exactly_the_drafts_where_ghana_voted_no(client, named):
    expected = set(
        MemberVote.objects.filter(
            state__code="GHA", position=Position.NO, draft__is_published=True
        ).values_list("draft_id", flat=True)
    )
    shown = listed(client, "country=ghana&position=N")
    assert len(expected) > 3
    assert sorted(map(int, shown)) == sorted(expected)
    html = client.get(reverse("resolutions:list") + "?country=ghana&position=N").content.decode()
    assert "Ghana voted no" in html


def test_a_member_without_a_position_lists_every_vote_it_cast(client, named):
    expected = MemberVote.objects.filter(state__code="SUN", draft__is_published=True).count()
    assert len(listed(client, "country=ussr")) == expected


def test_year_range_and_outcome(client, named):
    expected = Draft.objects.published().filter(
        date__year__gte=1987, date__year__lte=1989, outcome=Outcome.VETOED
    )
    shown = listed(client, "year_from=1987&year_to=1989&outcome=vetoed")
    assert sorted(map(int, shown)) == sorted(expected.values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("value", "condition"),
    [
        ("adopted", {"outcome": Outcome.ADOPTED}),
        ("adopted_vote", {"outcome": Outcome.ADOPTED, "modality": Modality.RECORDED_VOTE}),
        ("without_vote", {"outcome": Outcome.ADOPTED, "modality": Modality.WITHOUT_VOTE}),
        ("not_adopted", {"outcome": Outcome.NOT_ADOPTED}),
        ("vetoed", {"outcome": Outcome.VETOED}),
    ],
)
def test_each_outcome_filter_recounts(client, named, value, condition):
    expected = Draft.objects.published().filter(**condition).count()
    assert expected > 0
    assert len(listed(client, f"outcome={value}")) == expected


def test_vetoed_by_a_seat_includes_its_predecessor(client, named):
    expected = set(
        Veto.objects.filter(seat__code="RUS", draft__is_published=True).values_list(
            "draft_id", flat=True
        )
    )
    shown = set(map(int, listed(client, "vetoed_by=RUS")))
    assert shown == expected
    assert named["ussr_veto"].pk in shown and named["seed"].pk in shown


def test_topic_matches_agenda_items_and_subjects(client, named):
    by_agenda = Draft.objects.published().filter(agenda_item__name__icontains="apartheid")
    assert len(listed(client, "topic=apartheid")) == by_agenda.count()
    assert listed(client, "topic=human+rights") == [str(named["absent"].pk)]


def test_free_text_and_symbols(client, named):
    assert listed(client, "q=S/2022/431") == [str(named["seed"].pk)]
    assert listed(client, "q=S/RES/640+(1989)") == [str(named["absent"].pk)]
    assert listed(client, "q=640") == [str(named["absent"].pk)]
    assert listed(client, "q=non-proliferation+korea") == [str(named["seed"].pk)]


def test_unpublished_drafts_never_appear(client, named):
    assert str(named["unpublished"].pk) not in listed(client, "")
    assert listed(client, "q=S/21111") == []
    csv_text = b"".join(client.get(reverse("resolutions:csv")).streaming_content).decode()
    assert "S/21111" not in csv_text


def test_default_order_is_newest_first_and_columns_sort(client, named):
    shown = listed(client, "")
    dates = list(Draft.objects.published().newest_first().values_list("pk", flat=True))
    assert list(map(int, shown)) == dates
    oldest_first = listed(client, "sort=date")
    assert list(map(int, oldest_first)) == list(
        Draft.objects.published()
        .order_by("date", "resolution_number", "id")
        .values_list("pk", flat=True)
    )


def test_pages_keep_the_filters_in_their_links(client, named):
    html = client.get(reverse("resolutions:list") + "?per_page=5&outcome=adopted").content.decode()
    assert "outcome=adopted" in html and "page=2" in html
    sort_links = re.findall(r'href="\?([^"]*sort=[^"]*)"', html)
    assert sort_links and all("outcome=adopted" in link for link in sort_links)


@pytest.mark.parametrize(
    "query",
    [
        "year_from=abc",
        "year_from=1200",
        "year_from=2000&year_to=1990",
        "country=atlantis",
        "position=Q",
        "position=N",
        "outcome=maybe",
        "vetoed_by=XXX",
        "pair=CHN-CHN",
        "agenda_item=-6.4e72",  # found by schemathesis: once a database overflow
        "page=zz",
        "page=999",
        "sort=nonsense",
        "per_page=100000",
        "q=" + "x" * 500,
    ],
)
def test_invalid_filters_show_a_message_never_a_server_error(client, named, query):
    response = client.get(reverse("resolutions:list") + "?" + query)
    assert response.status_code == 200
    html = response.content.decode()
    if not query.startswith(("page", "sort", "per_page")):
        assert "could not be used and were ignored" in html
    assert html.count('<td data-label="Date"') <= 100


def test_csv_gives_the_filtered_set_and_cites_the_source(client, named):
    response = client.get(reverse("resolutions:csv") + "?vetoed_by=USA")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    expected = Veto.objects.filter(seat__code="USA", draft__is_published=True).count()
    assert len(rows) == expected
    assert all("USA" in r["vetoed_by"].split("|") for r in rows)
    assert all(r["source"] for r in rows)  # each row names where it came from


def test_csv_with_a_bad_filter_says_why(client, named):
    response = client.get(reverse("resolutions:csv") + "?year_from=abc")
    assert response.status_code == 400
    assert "Invalid filter" in response.content.decode()


def test_empty_result_says_so(client, named):
    html = client.get(reverse("resolutions:list") + "?q=zzzzzz").content.decode()
    assert "No vote matches these filters." in html
