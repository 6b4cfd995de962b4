"""``?q=``: PostgreSQL's full-text engine under a GIN index, a plain scan on SQLite.

The search vector is derived like the outcome (resolutions.search): these tests
show it follows an edit and a renamed agenda item, and that SQLite still finds
every word in any column; tests/fullhistory/test_search.py checks the engine
over the whole record, and that its GIN index serves it.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from resolutions.models import AgendaItem, Draft
from resolutions.outcomes import refresh_outcomes
from tests.factories import recorded_draft
from tests.samples import sample_size

ON = date(2022, 5, 26)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the full-text engine is PostgreSQL's: run with DATABASE_URL=postgres://…",
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback")


def found(client, query: str) -> set[int]:
    response = client.get(reverse("resolutions:csv"), {"q": query})
    lines = b"".join(response.streaming_content).decode().splitlines()[1:]
    return {int(line.split(",", 1)[0]) for line in lines}


@pytest.fixture
def drafts(sample):
    agenda = AgendaItem.objects.create(name="Glaciers of the polar regions")
    return {
        "title": recorded_draft(
            ON, title="Quarantines against the regime", draft_symbol="S/2022/1"
        ),
        "description": recorded_draft(ON, description="The Council quarantined two ministers."),
        "agenda": recorded_draft(ON, agenda_item=agenda, draft_symbol="S/2022/3"),
        "other": recorded_draft(ON, title="Zephyrs in the region", draft_symbol="S/2022/4"),
    }


@sample_size(0)
def test_every_form_of_a_word_in_any_column_is_found(client, drafts):
    pks = {name: draft.pk for name, draft in drafts.items()}
    assert found(client, "quarantine") == {pks["title"], pks["description"]}
    assert found(client, "polar glaciers") == {pks["agenda"]}
    if connection.vendor == "postgresql":  # English stemming; SQLite matches substrings
        assert found(client, "quarantines") == {pks["title"], pks["description"]}
    assert found(client, "quarantines zephyrs") == set()


@on_postgres
@sample_size(0)
def test_the_vector_follows_an_edit_and_a_renamed_agenda_item(client, drafts):
    edited, tagged = drafts["other"], drafts["agenda"]
    Draft.objects.filter(pk=edited.pk).update(title="Quarantines after the zephyrs")
    assert edited.pk not in found(client, "quarantines")
    refresh_outcomes([edited.pk])  # as every import and the admin's save do
    assert edited.pk in found(client, "quarantines")
    agenda = tagged.agenda_item
    agenda.name = "Icebergs of the polar regions"
    agenda.save()
    assert found(client, "glaciers") == set()
    assert found(client, "icebergs") == {tagged.pk}


@on_sqlite
@sample_size(0)
def test_sqlite_scans_once_and_stores_no_vector(client, drafts):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("resolutions:list"), {"q": "quarantines"})
    scans = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"].upper()]
    assert len(scans) == 1, scans
    assert not Draft.objects.filter(search_vector__isnull=False).exists()
