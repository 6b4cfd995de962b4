"""Tests against the whole official record, loaded once for this package (all marked slow).

``sync_un_data --from-dir ../shared/data`` runs once before the first test
here and the tables are emptied after the last one, so the rest of the suite
still starts from an empty database. Tests in this package must not use
``transaction=True`` or pytest-django's ``live_server`` (both empty every table
when a test ends); browser tests here use ``site``, a server thread of the
package's own that serves the committed record.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.test.testcases import LiveServerThread

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # Loading the whole record alone takes 15-35 s: every test here is slow, and
    # make test-fast leaves the package out. (pytest passes this hook every item
    # of the run, so only this package's are marked.)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="package")
def full_history(django_db_setup, django_db_blocker, shared_data):
    out = StringIO()
    with django_db_blocker.unblock():
        # flush resets PostgreSQL's sequences, which the earlier tests on this worker
        # advanced (a rollback does not rewind them): the record's ids are then those of
        # `make release` on a fresh database, whichever tests ran before (xdist reorders).
        call_command("flush", interactive=False, verbosity=0)
        call_command("sync_un_data", from_dir=str(shared_data), no_progress=True, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def history(full_history, db):
    """The whole record, inside a test transaction that is rolled back afterwards."""
    return full_history


@pytest.fixture(scope="package")
def site(full_history, django_db_blocker):
    """The address of a server thread serving the whole record."""
    with django_db_blocker.unblock():
        server = LiveServerThread("localhost", StaticFilesHandler, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
        server.terminate()
        server.join()
