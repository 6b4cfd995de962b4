"""The unfiltered list, the API's list and a country's record take their count from
the per-year tables (DraftFilter.known_count); it must be the COUNT of the drafts
they list, after a sync and after an editor's change, and a filtered list must still
count its rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import Draft
from tests.resolutions.test_admin_setup import change_post, change_url, errors_of
from votes.models import MemberState, MemberVote

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db


def counted_by_the_page(client, url: str) -> tuple[int, list[str]]:
    """The count a page shows (its paginator's, or the API's ``count``), and the
    COUNT queries it ran on the drafts."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith("/api/"):
        shown = response.json()["count"]
    else:
        shown = response.context["table"].paginator.count
        assert f"<strong>{shown:,}</strong> vote" in response.content.decode()
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and 'FROM "resolutions_draft"' in q["sql"]
    ]
    return shown, counts


def a_voting_state() -> MemberState:
    """The state with the most votes on published drafts."""
    votes = MemberVote.objects.filter(draft__in=Draft.objects.published())
    top = votes.values("state").order_by().annotate(n=Count("pk")).order_by("-n", "state")[0]
    return MemberState.objects.get(pk=top["state"])


def assert_known_counts_are_the_counts(client) -> None:
    everything = Draft.objects.published().count()
    state = a_voting_state()
    its_votes = Draft.objects.published().for_country(state).count()
    assert everything and its_votes
    for url, expected in [
        (reverse("resolutions:list"), everything),
        (reverse("resolutions:list") + "?page=2&sort=-date", everything),
        ("/api/v1/votes/", everything),
        (reverse("resolutions:country", args=[state.slug]), its_votes),
    ]:
        shown, counts = counted_by_the_page(client, url)
        assert shown == expected, url
        assert not counts, (url, counts)  # read from the per-year tables


def test_a_filtered_list_counts_its_rows(client, sample):
    state = a_voting_state()
    for url, expected in [
        ("/votes/?outcome=vetoed", Draft.objects.published().vetoed().count()),
        ("/votes/?kind=amendment", Draft.objects.published_votes("amendment").count()),
        ("/api/v1/votes/?outcome=vetoed", Draft.objects.published().vetoed().count()),
        (
            f"/countries/{state.slug}/?position=Y",
            Draft.objects.published().recorded_votes().for_country(state, "Y").count(),
        ),
    ]:
        shown, counts = counted_by_the_page(client, url)
        assert (shown, len(counts)) == (expected, 1), url


def test_empty_or_invalid_filters_count_as_the_unfiltered_list(client, sample):
    """An empty field (the form's submit) or an invalid one (ignored, and said so)
    filters nothing: the same count as the plain list."""
    everything = Draft.objects.published().count()
    for query in ("?q=&topic=&country=", "?year_from=bogus", "?position=N"):
        shown, _ = counted_by_the_page(client, reverse("resolutions:list") + query)
        assert shown == everything, query


def test_the_known_counts_of_the_sample_are_its_counts(client, sample):
    assert_known_counts_are_the_counts(client)


def test_the_known_counts_follow_an_editors_changes(client, admin_client, sample):
    before = Draft.objects.published().count()
    # Unpublished: one draft fewer in every list.
    draft = sample["seed"]
    response = admin_client.post(change_url(draft), change_post(draft, is_published=False))
    assert response.status_code == 302, errors_of(response)
    assert Draft.objects.published().count() == before - 1
    assert_known_counts_are_the_counts(client)
    # A vote moved to another year (the per-year rows of both years change).
    draft = sample["us_uk_veto"]
    response = admin_client.post(change_url(draft), change_post(draft, date="1989-04-09"))
    assert response.status_code == 302, errors_of(response)
    assert_known_counts_are_the_counts(client)
