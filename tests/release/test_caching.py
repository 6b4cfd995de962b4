"""Public pages are cached under the record's version: a write gives new keys."""

import socket
from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from resolutions import caching
from resolutions.models import Draft, SourceImport
from resolutions.starter import load_starter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_site(settings):
    settings.HTTP_CACHE_SECONDS = 300
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield load_starter_data()
    cache.clear()


def test_the_data_version_moves_with_every_write(db):
    draft = load_starter_data()
    first = caching.data_version()
    assert caching.data_version() == first  # reading changes nothing

    draft.title = "Corrected by an editor"
    draft.save()
    edited = caching.data_version()
    assert edited != first
    assert caching.key("page", edited, "/votes/") != caching.key("page", first, "/votes/")

    SourceImport.objects.create(source="undl", version="2026-02-06", location="x", sha256="0")
    assert caching.data_version() not in (first, edited)


def test_reading_a_page_twice_hits_the_cache(cached_site, client, django_assert_num_queries):
    first = client.get("/votes/")
    assert first.status_code == 200
    # No query at all: the record's version is held in the cache too (current_stamp).
    with django_assert_num_queries(0):
        second = client.get("/votes/")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_write_shows_at_once(cached_site, client):
    before = client.get(cached_site.get_absolute_url())
    cached_site.title = "A title an editor just corrected"
    cached_site.save()
    after = client.get(cached_site.get_absolute_url())
    assert b"A title an editor just corrected" not in before.content
    assert b"A title an editor just corrected" in after.content
    assert after["ETag"] != before["ETag"]


def test_every_kind_of_write_makes_the_next_request_fresh(cached_site, client):
    """The held version is forgotten by a save, a delete, a many-to-many change and an
    import's log (a bulk write sends no signal of its own), in the writer's process."""
    page = cached_site.get_absolute_url()
    etags = [client.get(page)["ETag"]]

    def changed() -> bool:
        etags.append(client.get(page)["ETag"])
        return etags[-1] != etags[-2]

    assert not changed()  # reading changes nothing
    cached_site.save()
    assert changed()
    other = Draft.objects.create(date=date(2022, 6, 1), draft_symbol="S/2099/2")
    assert changed()
    other.delete()
    assert changed()
    SourceImport.objects.create(source="undl", version="2026-02-06", location="x", sha256="0")
    assert changed()


@pytest.mark.django_db(transaction=True)
def test_a_version_read_before_a_commit_is_forgotten_on_commit(cached_site):
    """A request that read the stamp while a write was uncommitted, and stored it,
    does not keep it: the commit forgets it again."""
    with transaction.atomic():
        cached_site.save()
        caching.current_stamp()  # as a concurrent request would, before the commit
        assert cache.get(caching.STAMP_KEY) is not None
    assert cache.get(caching.STAMP_KEY) is None


def test_the_version_is_read_from_the_database_at_most_once_per_hold(
    cached_site, django_assert_num_queries
):
    with django_assert_num_queries(1):
        first = caching.data_version()
        assert caching.data_version() == first


def test_a_current_client_gets_304_before_any_view_runs(
    cached_site, client, django_assert_num_queries
):
    etag = client.get("/p5/")["ETag"]
    with django_assert_num_queries(0):
        response = client.get("/p5/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_public_pages_may_be_kept_by_a_cdn(cached_site, client):
    response = client.get("/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Last-Modified"]
    download = client.get("/votes.csv")
    assert download.streaming
    assert download["Cache-Control"] == "public, max-age=300"
    assert download["ETag"]  # its own, from provenance.revalidated


def test_a_signed_in_editor_is_never_served_or_stored_from_the_shared_cache(
    cached_site, admin_client, client
):
    page = admin_client.get("/votes/")
    assert "private" in page["Cache-Control"]
    assert "public" not in page["Cache-Control"]
    admin = admin_client.get("/admin/")
    assert admin.status_code == 200
    assert "public" not in admin.get("Cache-Control", "")
    assert not admin.has_header("ETag") or "private" in admin["Cache-Control"]


def test_an_error_is_not_cached(cached_site, client):
    assert client.get("/S/2099/1").status_code == 404
    Draft.objects.create(date=date(2022, 6, 1), draft_symbol="S/2099/1", is_published=True)
    assert client.get("/S/2099/1").status_code == 302


def test_a_value_is_computed_once_per_data_version(cached_site):
    calls = []

    def compute():
        calls.append(1)
        return {"vetoes": 2}

    assert caching.cached("p5-vetoes", {"from": 1946}, compute) == {"vetoes": 2}
    assert caching.cached("p5-vetoes", {"from": 1946}, compute) == {"vetoes": 2}
    assert len(calls) == 1
    caching.cached("p5-vetoes", {"from": 2000}, compute)
    assert len(calls) == 2
    cached_site.save()
    caching.cached("p5-vetoes", {"from": 1946}, compute)
    assert len(calls) == 3


def test_off_while_developing(settings, client, db):
    settings.HTTP_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    load_starter_data()
    response = client.get("/votes/")
    assert not response.has_header("Cache-Control")
    assert not response.has_header("ETag")


def _redis_up() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="needs the redis package and Redis on 127.0.0.1:6379")
def test_pages_are_shared_through_redis(cached_site, settings, django_assert_num_queries):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "sc-votes-test",
        }
    }
    cache.clear()
    try:
        first = Client().get("/vetoes/")
        version = caching.data_version()
        assert cache.get(caching.key("page", version, "/vetoes/")) is not None
        # Another server (another client, no shared state but Redis) gets the stored page,
        # and the record's version with it.
        with django_assert_num_queries(0):
            second = Client().get("/vetoes/")
        assert second.content == first.content
    finally:
        cache.clear()
