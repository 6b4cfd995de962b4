"""The lists' row queries leave out what no row shows (issue 14): the per-source JSON
(about 1.1 KB a draft), the search vector and the description."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import NOT_IN_LIST_ROWS

pytestmark = pytest.mark.django_db


def rows_query(client, url: str) -> str:
    """The query that reads the page's rows: the one selecting the drafts' titles."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    (sql,) = [
        q["sql"] for q in queries.captured_queries if '"resolutions_draft"."title"' in q["sql"]
    ]
    return sql


@pytest.mark.parametrize("url", ["/votes/", "/votes/?sort=title&outcome=vetoed", "/vetoes/"])
def test_a_list_reads_no_column_its_rows_do_not_show(client, sample, url):
    sql = rows_query(client, url)
    for column in NOT_IN_LIST_ROWS:
        assert f'."{column}"' not in sql, f"{url} reads {column}"
