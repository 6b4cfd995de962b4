"""A sync of the same files onto a record unchanged since the last sync is skipped
whole (resolutions.pipeline.sync_state); any change to the files, the record or the
request (--full) runs every source again.

The skip is decided after the sync's commit (``on_commit``), so these tests need
committed transactions.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from resolutions.management.commands import sync_un_data
from resolutions.models import Draft, SourceImport, SyncRun
from tests.resolutions.test_sync_concurrency import EXCERPT, source_folder

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.realdata]

SKIPPED = "no source is loaded again"


def sync(folder: Path, **options) -> str:
    out = StringIO()
    call_command("sync_un_data", from_dir=str(folder), stdout=out, no_progress=True, **options)
    return out.getvalue()


@pytest.fixture
def synced(shared_data, tmp_path) -> Path:
    folder = source_folder(shared_data, tmp_path / "data")
    assert SKIPPED not in sync(folder)
    return folder


def test_the_same_sync_again_is_skipped_and_says_nothing_changed(synced):
    imports = SourceImport.objects.count()
    output = sync(synced)
    assert SKIPPED in output
    assert "created 0, updated 0" in output.splitlines()[-1]
    assert "nothing changed" in output.splitlines()[-1]
    assert SourceImport.objects.count() == imports  # no source was loaded
    assert SyncRun.objects.count() == 1


def test_an_editors_save_since_the_last_sync_runs_every_source(synced):
    draft = Draft.objects.get(resolution_number=504)
    draft.title = "An editor's title"
    draft.save()
    imports = SourceImport.objects.count()
    assert SKIPPED not in sync(synced)
    assert SourceImport.objects.count() > imports


def test_a_changed_file_runs_every_source(synced):
    path = synced / EXCERPT
    path.write_bytes(path.read_bytes() + b"\n")
    assert SKIPPED not in sync(synced)


def test_full_and_dry_runs(synced):
    imports = SourceImport.objects.count()
    assert SKIPPED not in sync(synced, full=True)
    assert SourceImport.objects.count() > imports
    # A dry run remembers nothing: the next sync is still skipped.
    assert SKIPPED not in sync(synced, full=True, dry_run=True)
    assert SKIPPED in sync(synced)


def test_a_deleted_row_runs_every_source(synced):
    Draft.objects.filter(resolution_number=504).delete()
    assert SKIPPED not in sync(synced)
    assert Draft.objects.filter(resolution_number=504).exists()


def test_the_system_checks_run_before_a_load_and_not_before_a_skip(synced, monkeypatch):
    checked = []
    monkeypatch.setattr(sync_un_data.Command, "check", lambda self, **kwargs: checked.append(1))
    assert SKIPPED in sync(synced, skip_checks=False)
    assert checked == []
    assert SKIPPED not in sync(synced, full=True, skip_checks=False)
    assert checked == [1]
