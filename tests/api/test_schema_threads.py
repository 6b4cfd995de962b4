"""/api/v1/schema/ answers 200 to concurrent first requests (gunicorn's threads).

drf-spectacular imports each extension's target class on first use and writes
the result back on the class: for an app that is not installed (its contrib
extensions for dj_rest_auth and others) a thread that found the name still a
string while another had just set it to None failed with ``'NoneType' object
has no attribute 'startswith'``, a 500 (seen under `make bench`'s load).

In a test process the contrib extensions were resolved long ago, so an
extension of our own, for a module that does not exist, stands in for them; its
import waits until every request has reached it, which opens the window that a
busy server opened by chance.
"""

import sys
import threading
from importlib.abc import MetaPathFinder

import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.extensions import OpenApiViewExtension

REQUESTS = 6
MISSING = "sc_votes_app_not_installed"


class SlowMissingModule(MetaPathFinder):
    """Finds nothing for MISSING, once every request has asked for its extension.

    The wait is bounded: served one at a time (the fix), nobody else arrives.
    """

    def __init__(self, arrivals: threading.Semaphore):
        self.arrivals = arrivals

    def find_spec(self, name, path=None, target=None):
        if name == MISSING:
            for _ in range(REQUESTS - 1):
                if not self.arrivals.acquire(timeout=1):
                    break
        return None


@pytest.fixture
def extension_of_an_app_not_installed():
    arrivals = threading.Semaphore(0)

    class NotInstalled(OpenApiViewExtension):
        target_class = f"{MISSING}.views.SomeView"

        @classmethod
        def _matches(cls, target):
            if isinstance(cls.target_class, str):
                arrivals.release()
            return super()._matches(target)

        def view_replacement(self):  # never called: the class is never found
            raise AssertionError

    finder = SlowMissingModule(arrivals)
    sys.meta_path.insert(0, finder)
    try:
        yield NotInstalled
    finally:
        sys.meta_path.remove(finder)
        OpenApiViewExtension._registry.remove(NotInstalled)


def test_concurrent_first_requests_for_the_schema_all_answer_200(
    extension_of_an_app_not_installed,
):
    statuses = []
    start = threading.Barrier(REQUESTS)

    def ask():
        start.wait()
        response = Client(raise_request_exception=False).get(reverse("api:schema"))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=ask) for _ in range(REQUESTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * REQUESTS
    assert extension_of_an_app_not_installed.target_class is None  # looked up once
