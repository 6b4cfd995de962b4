"""/data/: the data dictionary, and what the record is missing."""

from datetime import date

import pytest
from django.utils.html import escape

from resolutions import exports
from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes

pytestmark = pytest.mark.django_db


def resolution(number: int) -> Draft:
    draft = Draft.objects.create(
        date=date(2020, 1, 1), resolution_number=number, resolution_year=2020, is_published=True
    )
    # As an editor's save and a sync do: the page reads the gaps refresh_outcomes stores.
    refresh_outcomes([draft.pk])
    return draft


def test_every_export_column_is_described(client):
    html = client.get("/data/").content.decode()
    for name in exports.VOTES_COLUMNS:
        assert f"<code>{name}</code>" in html
        assert escape(exports.DESCRIPTIONS[name]) in html


def test_the_numbers_no_source_lists_are_named(client):
    for number in (1, 2, 5):
        resolution(number)
    html = client.get("/data/").content.decode()
    assert "lists 2 of the numbers" in html
    assert "S/RES/3, S/RES/4." in html


def test_a_long_list_of_gaps_is_cut_short(client):
    resolution(1)
    resolution(40)
    html = client.get("/data/").content.decode()
    assert "lists 38 of the numbers" in html
    assert "S/RES/21 and 18 more." in html


def test_with_no_gaps_it_says_so(client):
    resolution(1)
    html = client.get("/data/").content.decode()
    assert "Every resolution number up to the newest we hold is in the record." in html


def test_the_page_keeps_its_budget(client, django_assert_max_num_queries):
    resolution(1)
    resolution(3)
    # The numbers missing (their count, and the first of them: the stored gaps); the
    # coverage table, the sources' spans and their imports (one query each, whatever
    # the size of the record); the resolutions only a compilation gives; the footer's
    # versions.
    with django_assert_max_num_queries(7):
        assert client.get("/data/").status_code == 200
