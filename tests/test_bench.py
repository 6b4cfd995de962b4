"""`make bench` measures production pages (DEBUG off) and refuses any answer but 200.

With DEBUG unset it timed debug pages; with DEBUG=0 alone every page was a 301
to https and the bench printed "0 ms, 0 queries" as if it had measured them.
"""

from __future__ import annotations

import importlib
import importlib.util

import pytest
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import resolve

from config import bench as config_bench
from config import checks
from resolutions.models import Draft
from tests.conftest import REPO
from votes.models import MemberVote

spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_pages_are_measured_with_debug_off(tmp_path):
    env = bench.page_env(str(tmp_path))
    assert env["DEBUG"] == "0"
    assert env["SECRET_KEY"] and env["STATIC_ROOT"] == str(tmp_path)


@pytest.mark.parametrize(
    "response", [HttpResponseRedirect("https://testserver/p5/"), HttpResponse(status=500)]
)
def test_anything_but_a_200_is_refused(response):
    with pytest.raises(bench.Refused, match=rf"/p5/ answered {response.status_code}"):
        bench.checked("/p5/", response)
    assert bench.checked("/p5/", HttpResponse("fine")).status_code == 200


@pytest.mark.django_db
def test_a_page_is_timed_only_when_it_answers_200(client, sample):
    path, median, slowest, queries, size, sql, heap, rows = bench.measure(client, "/", timed=2)
    assert path == "/" and 0 <= median <= slowest and queries > 0 and size > 0
    assert sql >= 0 and heap > 0 and rows is None  # a page, not a download
    with pytest.raises(bench.Refused, match="/nowhere/ answered 404"):
        bench.measure(client, "/nowhere/", timed=2)


@pytest.mark.django_db
def test_a_pages_queries_are_those_of_a_warm_request(client, sample, settings):
    """The table's query count is a warm request's (the first may fill caches), the
    most of the SQL_SAMPLES requests whose median SQL time it shows; the page cache
    off, as the bench runs (PAGE_CACHE_SECONDS=0)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_CACHE_SECONDS = 0
    client.get("/votes/", secure=True)
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/votes/", secure=True).status_code == 200
    queries = len(warm)  # now: the next request empties the log it is sliced from
    assert bench.SQL_SAMPLES > 1 and queries > 0
    assert bench.measure(client, "/votes/", timed=1)[3] == queries


@pytest.mark.django_db
def test_a_downloads_rows_are_counted_as_streamed(client, sample):
    """rows/s in the table: the CSV's records and the JSON's drafts and votes, recounted
    here from the database (a quoted line break in a cell is still one record)."""
    drafts = Draft.objects.published()
    votes = MemberVote.objects.filter(draft__in=drafts).count()
    without = drafts.filter(member_votes__isnull=True).count()
    Draft.objects.filter(pk=sample["seed"].pk).update(description="two\nlines, quoted")
    assert bench.streamed_rows(client, "/votes.csv") == drafts.count()
    assert bench.streamed_rows(client, "/votes.csv?rows=votes") == votes + without
    assert bench.streamed_rows(client, "/votes.json") == drafts.count() + votes
    assert bench.measure(client, "/votes.csv", timed=1)[7] == drafts.count()


def test_a_refusal_stops_the_bench_with_a_non_zero_exit(tmp_path):
    # A real child process, in the production configuration, on a database with
    # no tables: its pages fail, and the bench says which and exits non-zero.
    env = {**bench.page_env(str(tmp_path)), "DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"}
    with pytest.raises(SystemExit) as stopped:
        bench.run_pages(["/votes/"], env)
    assert stopped.value.code != 0
    assert "Refused: /votes/ answered 500" in str(stopped.value.code)


@pytest.mark.django_db
def test_the_yardstick_views_are_not_served_without_bench(client, sample):
    assert client.get("/_bench/bare/").status_code == 404
    assert client.get("/_bench/one-query/").status_code == 404


@pytest.mark.django_db
def test_the_yardsticks_cost_nothing_and_one_query(rf, sample, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert config_bench.bare(rf.get("/_bench/bare/")).status_code == 200
    with django_assert_num_queries(1):
        response = config_bench.one_query(rf.get("/_bench/one-query/"))
    assert response.status_code == 200 and str(Draft.objects.latest("pk").pk) in response.text


def test_deploy_checks_fail_while_bench_is_on(settings):
    settings.BENCH = False
    assert checks.bench_views_off(None) == []
    settings.BENCH = True
    assert [w.id for w in checks.bench_views_off(None)] == ["site.W001"]


def test_gunicorn_is_measured_as_production_serves(tmp_path):
    # The page cache on (its production default), DEBUG off, the yardsticks on;
    # https comes from the proxy's header (bench.hammer sends X-Forwarded-Proto).
    env = bench.serve_env(str(tmp_path), 8123)
    assert env["DEBUG"] == "0" and "PAGE_CACHE_SECONDS" not in env
    assert env["BENCH"] == "1" and env["GUNICORN_BIND"] == "127.0.0.1:8123"
    # A worker replaced mid-run would time one page's render into an empty cache.
    assert env["GUNICORN_MAX_REQUESTS"] == "0"


def test_every_page_timed_is_also_served_under_gunicorn():
    # /api/v1/schema/ was left out while its concurrent first requests answered 500s
    # (tests/api/test_schema_threads.py).
    assert bench.SERVED == bench.SCALED_PAGES


def test_every_public_page_is_benched_at_both_sizes():
    budgets = importlib.import_module("tests.resolutions.test_budgets_at_scale")
    benched = {*bench.SCALED_PAGES, *bench.DOWNLOADS}
    names = set()
    for url in benched:
        match = resolve(url.format(seed=1).split("?")[0])
        names.add(f"{match.namespace}:{match.url_name}")
    # The symbol addresses and the search box only redirect: nothing to time.
    redirects = {"resolutions:symbol", "resolutions:search"}
    assert budgets._public_names() - redirects - names == set()
