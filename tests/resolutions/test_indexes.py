"""Queries that run on every request use their index (PostgreSQL's planner, EXPLAIN).

SQLite's planner is not the production one, so these run on PostgreSQL only.
``enable_seqscan`` is turned off for the EXPLAIN: on a test database of a few
rows a scan is the cheaper plan, and what is checked is that an index can serve
the query at all (without one, PostgreSQL still has to scan). ``enable_sort`` is off
for the same reason: on a few rows, sorting what another index found (``kind``) is
cheaper than reading the sort's own index in order, and the planner's pick between
the two turned on the statistics of the moment.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from resolutions import coverage
from resolutions.models import SPAN_SOURCES, Draft, RecordVersion, span_index
from resolutions.provenance import data_last_modified
from tests.samples import sample_size
from votes.choices import SECONDARY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN checks PostgreSQL's planner: run with DATABASE_URL=postgres://…",
    ),
]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_last_modified_query_uses_the_updated_at_index():
    RecordVersion.objects.update_or_create(pk=1, defaults={"changed_at": timezone.now()})
    with CaptureQueriesContext(connection) as queries:
        data_last_modified()
    (query,) = queries.captured_queries
    plan = explain(query["sql"])
    assert "draft_updated_at_idx" in plan, plan


def test_the_check_sees_a_scan():
    # The same EXPLAIN on a column without an index shows the scan the check looks for.
    plan = explain("SELECT updated_at FROM resolutions_draft ORDER BY created_at DESC LIMIT 1")
    assert "draft_updated_at_idx" not in plan
    assert "Seq Scan on resolutions_draft" in plan, plan


def page_query(client, url: str, needle: str) -> str:
    """The first query of the page that contains ``needle``."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return next(q["sql"] for q in queries.captured_queries if needle in q["sql"])


@pytest.mark.parametrize(
    ("url", "needle", "index"),
    [
        # The list sorted by a column: its rows without sorting the whole table.
        ("/votes/?sort=title", 'ORDER BY "resolutions_draft"."title"', "draft_published_title_idx"),
        # A symbol typed in the search box, and the meeting filter: case-blind matches.
        ("/votes/?q=S/2022/431", "UPPER", "draft_symbol_upper_idx"),
        ("/votes/?meeting=S/PV.9048", "UPPER", "meeting_symbol_upper_idx"),
    ],
)
@sample_size("small")
def test_the_list_sorts_and_symbol_filters_use_their_index(client, sample, url, needle, index):
    plan = explain(page_query(client, url, needle))
    assert index in plan, plan


@sample_size("small")
def test_each_sources_first_and_last_record_is_an_index_lookup(sample):
    """source_spans() runs on every counting page: MIN(date) FILTER (WHERE sources ? …)
    read every draft's sources JSON (2.7 s at 10x); each edge is a partial index's now."""
    with CaptureQueriesContext(connection) as queries:
        coverage.source_spans()
    (query,) = queries.captured_queries
    plan = explain(query["sql"])
    for source in coverage.DRAFT_SOURCES:
        assert span_index(source).name in plan, (source, plan)
    assert "Seq Scan" not in plan, plan


def test_every_source_with_a_span_has_its_index():
    # The models list the sources by hand (coverage imports the models): kept equal here.
    assert set(coverage.DRAFT_SOURCES) == set(SPAN_SOURCES)


def test_the_records_only_a_compilation_gives_are_found_by_their_source():
    # /data/ lists them (Draft.objects.compiled_only()): without the index on source,
    # every numbered draft's sources JSON was read to find a few dozen (250 ms at 10x).
    # The selective part alone: on an empty table the planner takes any index for the
    # whole query.
    with CaptureQueriesContext(connection) as queries:
        list(Draft.objects.filter(source__in=sorted(SECONDARY)).values("pk"))
    (query,) = queries.captured_queries
    plan = explain(query["sql"])
    assert "draft_source_idx" in plan, plan
