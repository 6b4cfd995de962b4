"""Fixtures shared by the whole suite."""

import copy
import faulthandler
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import transaction
from hypothesis import settings as hypothesis_settings
from pytest_django.live_server_helper import LiveServer
from xdist.scheduler import LoadScopeScheduling

from resolutions import caching
from tests import samples

REPO = Path(__file__).resolve().parent.parent


# Hypothesis fails an example that takes over 200 ms by default: a wall-clock
# assertion in disguise, which a loaded CI machine trips. No deadline, anywhere.
hypothesis_settings.register_profile("sc-votes", deadline=None)
hypothesis_settings.load_profile("sc-votes")


# A test still running after this long is stuck: the process prints every thread's
# stack and exits, so the run fails loudly instead of hanging. faulthandler's watchdog
# is a C thread, so it fires even when a stuck thread holds the GIL (as in the
# deadlock that live_server below avoids); under xdist the worker's test fails and
# the worker is replaced. The whole record's load is in the first fullhistory test.
HANG_SECONDS = int(os.environ.get("TEST_HANG_SECONDS", "900"))


_STDERR = pytest.StashKey[int]()


def pytest_configure(config):
    # The stacks go to the terminal's stderr: a test's captured output dies with it.
    capture = config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        config.stash[_STDERR] = os.dup(2)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item):
    stderr = item.config.stash[_STDERR]
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=stderr)
    try:
        return (yield)
    finally:
        faulthandler.cancel_dump_traceback_later()


def shared_data_dir() -> Path:
    """The copies of the official datasets, beside the clone (../shared/data)."""
    configured = os.environ.get("SHARED_DATA_DIR")
    if configured:
        return Path(configured)
    return REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the official datasets at {path}")
        pytest.skip(f"the official datasets are not at {path} (set SHARED_DATA_DIR)")
    return path


@contextmanager
def kept_for_the_scope(django_db_blocker):
    """Rows written inside are seen by every test of a wider scope, then rolled back.

    What the block writes stays in a transaction left open until the scope (a
    module, say) is done; each test's own transaction nests inside it as a
    savepoint, so a test's changes vanish with the test and the shared rows with
    the scope. pytest-django leaves such outer transactions alone for tests that
    are not ``transaction=True`` (tests/conftest.py refuses those beside it).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    except BaseException as error:
        with django_db_blocker.unblock():
            outer.__exit__(type(error), error, error.__traceback__)
        raise
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# The fixtures built with kept_for_the_scope, which a transactional test cannot use.
KEPT_FOR_THE_SCOPE = {
    "shared_sample",
    "official_2017",
    "dppa_and_vetoes",
    "populated",
    "four_sources",
    "measured",
}


@pytest.fixture(scope="module")
def shared_sample(request, django_db_setup, django_db_blocker):
    """A sample history built once for this module's tests (see tests/samples.py)."""
    size = getattr(request, "param", "large")
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            named = samples.build(size)
        yield named


class OneRequestAtATime(StaticFilesHandler):
    """The live server's WSGI handler, letting one request at a time reach Django.

    The server stays threaded (an unthreaded one stalls on a browser's idle
    preconnected sockets); only the handling, where the queries run, takes turns.
    """

    turn = threading.Lock()

    def __call__(self, environ, start_response):
        with self.turn:
            return super().__call__(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; on in-memory SQLite it handles one request at a time.

    There every server thread shares the test's one SQLite connection, and two
    requests at once (an article's three embeds, say) deadlock the whole process:
    one thread holds SQLite's connection mutex inside a query and waits for the GIL
    to run one of Django's Python SQL functions, the other holds the GIL and waits
    for the mutex. PostgreSQL gives each thread its own connection.
    """
    addr = request.config.getvalue("liveserver") or os.environ.get(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(addr, start=False)
    if server.thread.connections_override:
        server.thread.static_handler = OneRequestAtATime
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sample(shared_sample, db):
    """This test's copy of the sample's named drafts, in its own rolled-back transaction."""
    return copy.deepcopy(shared_sample)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(item.fixturenames))


FULL_HISTORY = "tests/fullhistory/"


class OneFileAWorker(LoadScopeScheduling):
    """pytest-xdist's scheduling by test file, with tests/fullhistory as one unit.

    A module's shared fixtures are built once per worker that runs one of its tests,
    and the whole record once per worker that runs a test of tests/fullhistory, so a
    file (and that package) runs whole on one worker. xdist's own ``loadgroup`` cannot
    say so any more: it reads its groups from node ids it rewrites, which pytest 9.2
    ignores, and silently spreads every test over every worker (pytest-xdist#1386).
    """

    def _split_scope(self, nodeid: str) -> str:
        path = nodeid.split("::", 1)[0]
        return FULL_HISTORY if path.startswith(FULL_HISTORY) else path


def pytest_xdist_make_scheduler(config, log):
    # make test's --dist loadfile (XDIST_ARGS in the Makefile), refined as above.
    if config.getoption("dist") == "loadfile":
        return OneFileAWorker(config, log)
    return None


def pytest_collection_modifyitems(items):
    # Refused before anything runs: a live server's connection can never see the
    # uncommitted sample, and the table flush that ends a transactional test
    # would run inside the sample's open transaction.
    for item in items:
        kept = KEPT_FOR_THE_SCOPE & set(getattr(item, "fixturenames", ()))
        if kept and _transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot use {', '.join(sorted(kept))}, "
                "rows kept for the module in an open transaction; build its data in the test"
            )


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # MD5 only in tests: hashing cost is irrelevant here and slows every login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # The whole suite comes from one address within minutes: the anonymous rate
    # limits (config/ratelimit.py) would refuse it. tests/test_rate_limits.py
    # turns them back on.
    settings.RATELIMIT_ENABLE = False


@pytest.fixture(autouse=True)
def _no_stamp_held():
    # The record's stamp is held in the cache (resolutions.caching.current_stamp) and
    # forgotten by writes; a test's rolled-back writes send no signal, so a stamp
    # held by the test before would outlive its data.
    caching.forget_stamp()


@pytest.fixture(autouse=True)
def _no_network(settings):
    """No test reaches the UN's servers: every official address points at a closed port.

    Tests of the download path serve ../shared/data from a local HTTP server and
    set these addresses themselves.
    """
    settings.UN_SOURCES = {
        key: f"http://127.0.0.1:9/no-network-in-tests/{key}" for key in settings.UN_SOURCES
    }


# A real headless Chromium (Debian's), driven by Playwright, for the pages that need
# one. Locally, without Chromium, these tests skip and say why; under CI (``CI``
# set) a missing browser is a failure: the browser tests are required there.
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests are required under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # tests make around it are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.console_errors = errors
    yield opened
    context.close()
