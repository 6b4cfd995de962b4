"""``?q=`` over the whole record, on PostgreSQL's full-text engine (resolutions.search).

What the engine should find is recounted here with plain regular expressions
over each published draft's five searched texts: every word of the query, in
any of its English forms ("sanctions" also finds "sanction" and "sanctioned"),
in one of the texts.
"""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Draft

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the full-text engine is PostgreSQL's: run with DATABASE_URL=postgres://…",
    ),
]

# A query and, per word, the forms English stemming takes for the same word.
QUERIES = {
    "sanctions": [r"sanction(?:s|ed|ing)?"],
    "Iraq Kuwait": [r"iraq", r"kuwait"],
    "nuclear weapons": [r"nuclear", r"weapons?"],
}


def recounted(words: list[str]) -> set[int]:
    texts = Draft.objects.published().values_list(
        "pk", "title", "description", "draft_symbol", "agenda_item__name", "meeting__symbol"
    )
    patterns = [re.compile(rf"\b{word}\b", re.IGNORECASE) for word in words]
    return {
        pk
        for pk, *parts in texts
        if all(p.search(" ".join(part or "" for part in parts)) for p in patterns)
    }


def downloaded_ids(client, query: str) -> set[int]:
    response = client.get("/votes.csv", {"q": query})
    text = b"".join(response.streaming_content).decode()
    return {int(row["record_id"]) for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize("query", list(QUERIES))
def test_word_search_finds_every_draft_with_the_words(client, history, query):
    expected = recounted(QUERIES[query])
    assert expected, f"no draft has the words of {query!r}: the recount is wrong"
    assert downloaded_ids(client, query) == expected


def test_the_list_counts_what_the_search_finds(client, history):
    expected = recounted(QUERIES["sanctions"])
    response = client.get("/votes/", {"q": "sanctions"})
    assert response.context["table"].page.paginator.count == len(expected)


def test_the_search_uses_the_gin_index(client, history):
    with CaptureQueriesContext(connection) as queries:
        client.get("/votes/", {"q": "sanctions"})
    searches = [q["sql"] for q in queries.captured_queries if "@@" in q["sql"]]
    assert len(searches) == 2, searches  # the count and the page
    count, page = sorted(searches, key=lambda sql: "LIMIT" in sql)
    # The count finds every match through the GIN index.
    assert "draft_search_vector_idx" in explain(count), explain(count)
    # The page may instead walk the newest-first index until it has its 50 rows: with
    # a word as common as this one (some 260 drafts) PostgreSQL rightly finds that
    # cheaper on a vacuumed table. Either way an index plan, never a scan of the table.
    plan = explain(page)
    assert "Seq Scan on resolutions_draft" not in plan, plan
    assert "draft_search_vector_idx" in plan or "draft_published_date_idx" in plan, plan


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_a_symbol_still_goes_straight_to_its_vote(client, history):
    (seed,) = Draft.objects.published().filter(draft_symbol="S/2022/431")
    response = client.get("/search/", {"q": "S/2022/431"})
    assert response.status_code == 302
    assert response["Location"] == seed.get_absolute_url()
