"""The record's version, a shared cache keyed on it, and HTTP caching of public pages.

Every public page is a function of the address and the record, and the record
changes only through an import or an editor's save, both of which move
``provenance.data_last_modified()``. So the data version (``data_version``)
keys everything:

* ``PublicCacheMiddleware`` gives every public GET an ETag and a
  ``Cache-Control: public, max-age=HTTP_CACHE_SECONDS`` (so a CDN can serve it),
  answers ``If-None-Match`` with a 304 before any view runs, and keeps whole
  pages in Django's cache (``CACHE_URL``: Redis shared by every server, or
  local memory) for ``PAGE_CACHE_SECONDS``. A write gives a new version, hence
  new keys: nothing is ever invalidated by hand, and stale entries expire.
* ``cached(name, params, compute)`` does the same for one value (a P5 figure,
  a count) inside a view.

Both are off while ``DEBUG`` is on (the defaults of the two settings), so a
developer always sees the code they are editing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from resolutions.provenance import data_last_modified

SAFE_METHODS = ("GET", "HEAD")


# The cache entry holding ``data_last_modified()`` (as a 1-tuple: None is a stamp too).
STAMP_KEY = "data-last-modified"


def current_stamp() -> datetime | None:
    """``data_last_modified()``, held in the cache for ``DATA_VERSION_SECONDS``.

    Its query (the change stamp, the newest import and draft) was nine tenths of
    a page served from the cache: held here, a cache hit costs no query at all.
    Every write forgets it (``forget_stamp``, from resolutions.signals: any save
    or delete in the record's apps, and the imports' log, now and again on
    commit), so with a shared cache (Redis) the next request after a write, on
    any server, reads it afresh. With the per-process local-memory cache a
    write made by another process (a sync, another worker's admin) is seen
    within ``DATA_VERSION_SECONDS``; so is one whose stamp a concurrent request
    read just before the commit and stored just after it.
    """
    if not settings.DATA_VERSION_SECONDS:
        return data_last_modified()
    held = cache.get(STAMP_KEY)
    if held is None:
        held = (data_last_modified(),)
        cache.set(STAMP_KEY, held, settings.DATA_VERSION_SECONDS)
    return held[0]


def forget_stamp() -> None:
    cache.delete(STAMP_KEY)


def data_version(stamp: datetime | None = None) -> str:
    """The record's version: it changes with every import and every editor's save."""
    if stamp is None:
        stamp = current_stamp()
    return stamp.strftime("%Y%m%dT%H%M%S.%f") if stamp else "empty"


def request_stamp(request) -> datetime | None:
    """The record's stamp, read once per request (shared with provenance.revalidated)."""
    if not hasattr(request, "_data_last_modified"):
        request._data_last_modified = current_stamp()
    return request._data_last_modified


def etag_for(stamp: datetime | None, full_path: str) -> str:
    # The same formula as provenance.revalidated, so a download's own ETag and
    # the one given here agree.
    key = f"{stamp.isoformat() if stamp else 'empty'}|{full_path}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def key(kind: str, version: str, *parts: str) -> str:
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]
    return f"{kind}:{version}:{digest}"


def cached(name: str, params, compute: Callable, timeout: int | None = None):
    """``compute()``, kept in the shared cache under this data version, ``name`` and ``params``."""
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    entry = key("value", data_version(), name, repr(params))
    value = cache.get(entry)
    if value is None:
        value = compute()
        cache.set(entry, value, timeout or settings.PAGE_CACHE_SECONDS)
    return value


class PublicCacheMiddleware:
    """ETags, Cache-Control and a page cache for anonymous GETs of public pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.applies(request):
            return self.uncached(request)
        stamp = request_stamp(request)
        full_path = request.get_full_path()
        etag = quote_etag(etag_for(stamp, full_path))
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(stamp.timestamp()) if stamp else None
        )
        if not_modified is not None:
            self.add_headers(not_modified, etag, stamp)
            return not_modified
        entry = key("page", data_version(stamp), full_path)
        return self.cached_or_fresh(request, entry, etag, stamp)

    def cached_or_fresh(self, request, entry: str, etag: str, stamp: datetime | None):
        """The page from the cache, else rendered (and kept when it may be)."""
        stored = cache.get(entry) if settings.PAGE_CACHE_SECONDS else None
        if stored is not None:
            return self.rebuilt(stored)
        response = self.get_response(request)
        if response.status_code != 200:
            return response
        self.add_headers(response, etag, stamp)
        if settings.PAGE_CACHE_SECONDS and self.storable(response):
            cache.set(entry, self.stored(response), settings.PAGE_CACHE_SECONDS)
        return response

    def uncached(self, request):
        response = self.get_response(request)
        if request.method in SAFE_METHODS and settings.HTTP_CACHE_SECONDS:
            # An editor's view of a page is theirs: no shared cache keeps it.
            patch_cache_control(response, private=True)
        return response

    @staticmethod
    def applies(request) -> bool:
        if request.method not in SAFE_METHODS:
            return False
        if not (settings.HTTP_CACHE_SECONDS or settings.PAGE_CACHE_SECONDS):
            return False
        if request.path.startswith(settings.PRIVATE_PATH_PREFIXES):
            return False
        # A session means a signed-in editor: the page may be theirs alone.
        return settings.SESSION_COOKIE_NAME not in request.COOKIES

    @staticmethod
    def add_headers(response, etag: str, stamp: datetime | None) -> None:
        if not response.has_header("ETag"):
            response["ETag"] = etag
        if stamp and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date(stamp.timestamp())
        if settings.HTTP_CACHE_SECONDS and not response.has_header("Cache-Control"):
            patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_SECONDS)

    @staticmethod
    def storable(response) -> bool:
        vary = response.get("Vary", "").lower()
        control = response.get("Cache-Control", "").lower()
        return (
            not response.streaming  # the full dumps: streamed, never held in memory
            and not response.cookies
            and "cookie" not in vary
            and "private" not in control
        )

    @staticmethod
    def stored(response) -> tuple:
        return (response.status_code, list(response.items()), response.content)

    @staticmethod
    def rebuilt(stored: tuple) -> HttpResponse:
        status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        return response
