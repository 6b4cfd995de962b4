"""The yardsticks of `make bench`'s requests/s: a bare view and a one-query view.

Served only with ``BENCH`` on (config/urls.py), outside the page cache
(``PRIVATE_PATH_PREFIXES``), so that a page's requests/s can be read as a share
of what Django itself serves: the bare view is the middleware and the
response alone, the one-query view adds one indexed read.
"""

from django.http import HttpResponse
from django.urls import path

from resolutions.models import Draft


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def one_query(request):
    """One primary-key read of a draft (the newest by id)."""
    found = Draft.objects.order_by("-pk").values_list("pk", flat=True)[:1]
    return HttpResponse(f"{list(found)}", content_type="text/plain")


urlpatterns = [
    path("_bench/bare/", bare, name="bench_bare"),
    path("_bench/one-query/", one_query, name="bench_one_query"),
]
