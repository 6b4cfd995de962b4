"""Rate limits on the anonymous list pages, downloads and API (django-ratelimit).

A filtered list or a streamed download costs the database far more than a page
view, so a client that pages or downloads in a loop could occupy every worker
(issue 12). Such clients are better served by the full dumps, so the 429 points
to them. Editors (logged in) are never limited. The counts live in the
configured cache (RATELIMIT_USE_CACHE); limits are settings (RATELIMIT_LIST,
RATELIMIT_DOWNLOAD), one window per client IP.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

# The list pages: HTML tables whose filters run database queries.
LIST_PAGES = re.compile(r"^/(votes|vetoes)/$|^/countries/[^/]+/$")
# Downloads: every .csv and .json the site streams or builds from the database.
DOWNLOADS = re.compile(r"\.(csv|json)$")
# The API's data endpoints; its root, schema and docs are static and cheap.
API = re.compile(r"^/api/v1/(?!$|schema/|docs/)")

DUMPS_TEXT = (
    "Too many requests. For the whole record, download the full dumps listed at "
    "/data/ (or load the data release files, release/, with manage.py load_release) "
    "instead of paging or filtering in a loop."
)


def _group(path: str) -> tuple[str, str] | None:
    """(group, kind) of a rate-limited path, or None for every other page."""
    if API.match(path):
        return "api", "json"
    if DOWNLOADS.search(path):
        return "download", "text"
    if LIST_PAGES.match(path):
        return "list", "html"
    return None


def _rate(group: str) -> str:
    return settings.RATELIMIT_LIST if group == "list" else settings.RATELIMIT_DOWNLOAD


def _refusal(request, kind: str, retry_after: int) -> HttpResponse:
    if kind == "html":
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    elif kind == "json":
        response = JsonResponse({"detail": DUMPS_TEXT, "data": "/data/"}, status=429)
    else:
        response = HttpResponse(DUMPS_TEXT + "\n", status=429, content_type="text/plain")
    response["Retry-After"] = str(retry_after)
    # A refusal is for this client only: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


class AnonymousRateLimitMiddleware:
    """429, with a pointer to the dumps, past the limit of a list, download or API group."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        grouped = None if request.user.is_authenticated else _group(request.path_info)
        if grouped is not None:
            group, kind = grouped
            usage = get_usage(
                request, group=f"anon-{group}", key="ip", rate=_rate(group), increment=True
            )
            if usage is not None and usage["should_limit"]:
                return _refusal(request, kind, max(1, usage["time_left"]))
        return self.get_response(request)
