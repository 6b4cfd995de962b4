"""Links that keep the page's filters: the query string, with some parameters changed."""

from __future__ import annotations

from django.http import HttpResponse


def query(request, drop=("page",), **add) -> str:
    """The request's query string without ``drop`` and with ``add`` (no leading "?")."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in add.items():
        params[key] = value
    return params.urlencode()


def invalid_filter(errors) -> HttpResponse:
    """A 400 naming each filter parameter that is wrong and why, in plain text."""
    problems = "; ".join(f"{f}: {' '.join(map(str, e))}" for f, e in errors.items())
    return HttpResponse(
        f"Invalid filter: {problems}\n", status=400, content_type="text/plain; charset=utf-8"
    )


def with_query(url: str, request, drop=("page",), **add) -> str:
    """``url`` followed by :func:`query`, or alone when that is empty."""
    encoded = query(request, drop, **add)
    return f"{url}?{encoded}" if encoded else url
