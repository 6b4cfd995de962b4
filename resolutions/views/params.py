"""Links that keep the page's filters: the query string, with some parameters changed."""

from __future__ import annotations


def query(request, drop=("page",), **add) -> str:
    """The request's query string without ``drop`` and with ``add`` (no leading "?")."""
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in add.items():
        params[key] = value
    return params.urlencode()


def with_query(url: str, request, drop=("page",), **add) -> str:
    """``url`` followed by :func:`query`, or alone when that is empty."""
    encoded = query(request, drop, **add)
    return f"{url}?{encoded}" if encoded else url
