"""Tests against the whole official record, loaded once for this package.

``sync_un_data --from-dir ../shared/data`` runs once before the first test
here and the tables are emptied after the last one, so the rest of the suite
still starts from an empty database. Tests in this package must not use
``transaction=True`` (a transactional test empties every table when it ends);
browser tests here use ``django_db`` with ``live_server``, which reads the
committed record.
"""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture(scope="package")
def full_history(django_db_setup, django_db_blocker, shared_data):
    out = StringIO()
    with django_db_blocker.unblock():
        call_command("sync_un_data", from_dir=str(shared_data), no_progress=True, stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def history(full_history, db):
    """The whole record, inside a test transaction that is rolled back afterwards."""
    return full_history
