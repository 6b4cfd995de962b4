"""The list's pair and divided filters select exactly what the P5 charts count,
in a fixed number of queries, also combined with `topic` (issue 12: those
combinations took 1.7-1.9 s on the whole record when each draft ran its own
subqueries)."""

import pytest
from django.db.models import F
from django.urls import reverse

from resolutions.filters import DraftFilter
from resolutions.models import Draft, Subject
from tests.samples import sample_size
from votes import analytics
from votes.seats import PAIR_CHOICES

pytestmark = [pytest.mark.django_db, sample_size("small", "large")]


def chart_pair(first, second, agreed):
    """The drafts the agreement chart counts for a pair (analytics.with_pair)."""
    drafts = analytics.with_pair(Draft.objects.published().recorded_votes(), first, second)
    if agreed == "yes":
        drafts = drafts.filter(pair_first=F("pair_second"))
    elif agreed == "no":
        drafts = drafts.exclude(pair_first=F("pair_second"))
    return set(drafts.values_list("pk", flat=True))


def chart_divided(value):
    """The drafts the divisions chart counts (analytics.with_divisions)."""
    drafts = analytics.with_divisions(Draft.objects.published().recorded_votes())
    drafts = drafts.filter(p5_distinct__gt=1) if value == "yes" else drafts.filter(p5_distinct=1)
    return set(drafts.values_list("pk", flat=True))


def listed(**params):
    found = DraftFilter(params)
    assert found.is_valid(), found.errors
    return set(found.qs.values_list("pk", flat=True))


def test_the_pair_filter_selects_what_the_chart_counts(sample):
    found = 0
    for pair, _ in PAIR_CHOICES:
        first, second = pair.split("-")
        for agreed in (None, "yes", "no"):
            params = {"pair": pair, **({"pair_agreed": agreed} if agreed else {})}
            expected = chart_pair(first, second, agreed)
            assert listed(**params) == expected, params
            found += len(expected)
    assert found  # the comparison is not between two empty sets


def test_the_divided_filter_selects_what_the_chart_counts(sample):
    for value in ("yes", "no"):
        assert listed(divided=value) == chart_divided(value), value
    assert chart_divided("yes") or chart_divided("no")


def a_topic():
    """A word of an agenda item that some published vote is under."""
    draft = Draft.objects.published().filter(agenda_item__isnull=False).first()
    return draft.agenda_item.name.split()[0]


COMBINATIONS = [
    "topic={topic}&pair=RUS-USA",
    "topic={topic}&pair=FRA-GBR&pair_agreed=no",
    "topic={topic}&divided=yes",
    # The slowest before the fix: every per-draft subquery at once.
    "topic={topic}&divided=yes&pair=FRA-GBR&outcome=vetoed",
]


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_topic_with_pair_or_divided_keeps_the_lists_budget(
    client, sample, combination, django_assert_max_num_queries
):
    url = reverse("resolutions:list") + "?" + combination.format(topic=a_topic())
    # The plain list's 7 (test_pages_budget.test_votes_list): the filters add none;
    # the pair and the division are subqueries of the count and of the page.
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert not response.context["filter"].errors


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_topic_with_pair_or_divided_is_the_intersection(sample, combination):
    params = dict(p.split("=") for p in combination.format(topic=a_topic()).split("&"))
    alone = {k: v for k, v in params.items() if k != "topic"}
    assert listed(**params) == listed(**alone) & listed(topic=params["topic"])


def test_the_topic_filter_selects_the_drafts_under_a_matching_item_or_subject(sample):
    """Recounted in Python: the agenda item's name or a subject's contains the words,
    in any case (the filter looks the items and subjects up first, resolutions.sql)."""
    drafts = Draft.objects.published().select_related("agenda_item").prefetch_related("subjects")
    # A subject of its own on two drafts (the samples tag none).
    subject = Subject.objects.create(name="Maritime security")
    Draft.subjects.through.objects.bulk_create(
        Draft.subjects.through(draft=draft, subject=subject) for draft in drafts.order_by("pk")[:2]
    )
    for words in (a_topic(), a_topic().upper(), "MARITIME", "no such topic"):
        expected = {
            d.pk
            for d in drafts
            if (d.agenda_item and words.lower() in d.agenda_item.name.lower())
            or any(words.lower() in s.name.lower() for s in d.subjects.all())
        }
        assert listed(topic=words) == expected, words
        assert expected or words == "no such topic"
