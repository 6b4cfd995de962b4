"""After a sync, the counts the lists take from the per-year tables are the COUNTs
(test_known_counts.py; a module of its own: that one's sample stays for its module)."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.resolutions.test_known_counts import assert_known_counts_are_the_counts
from tests.resolutions.test_sync_concurrency import source_folder

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


def test_the_known_counts_after_a_sync_are_the_counts(client, shared_data, tmp_path):
    folder = source_folder(shared_data, tmp_path / "data")
    call_command("sync_un_data", from_dir=str(folder), stdout=StringIO(), no_progress=True)
    assert_known_counts_are_the_counts(client)
