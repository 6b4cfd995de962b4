"""Editors and syncs on PostgreSQL: a save never waits for a sync, one sync at a time.

Each test runs real threads, each on its own database connection, so it needs
committed data (``transaction=True``) and PostgreSQL's row locks: SQLite locks
the whole file and serialises every writer (its behaviour is documented in
docs/deploy.md). Run with DATABASE_URL=postgres://… to include them.

The sync is held inside its transaction (just before it records itself, after
it has written) until the other side is done or a long timeout passes, so
"the editor finished while the sync still held its transaction" is an event,
not a guess about timing.
"""

from __future__ import annotations

import shutil
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client

from resolutions.models import Draft
from resolutions.pipeline import summary as summary_module
from resolutions.starter import load_starter_data
from tests.resolutions.test_admin_setup import change_post, change_url, make_editor
from votes.choices import Source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.realdata,
]

MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"
EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
HELD = 20  # seconds a paused sync waits at most: far beyond any save's own time


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL's row locks and advisory locks (SQLite serialises every "
            "writer on its file lock); run with DATABASE_URL=postgres://…"
        )


def source_folder(shared_data: Path, root: Path, description: str = "") -> Path:
    """The membership and the Library's excerpt, laid out like ../shared/data;
    ``description`` replaces one resolution's, so that the sync writes a draft."""
    for name in (MEMBERSHIP, EXCERPT):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared_data / name, root / name)
    if description:
        path = root / EXCERPT
        old = "Security Council resolution 504 (1982) [on establishment of a fund"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, description), encoding="utf-8")
    return root


def sync(folder: Path) -> tuple[str, BaseException | None]:
    out = StringIO()
    try:
        call_command("sync_un_data", from_dir=str(folder), stdout=out, no_progress=True)
    except BaseException as exc:  # reported to the test's thread
        return out.getvalue(), exc
    finally:
        connections.close_all()
    return out.getvalue(), None


class Held:
    """Pauses the sync's first Library import inside its transaction, after its writes."""

    def __init__(self, monkeypatch):
        self.inside = threading.Event()
        self.release = threading.Event()
        self.released_early = False
        real = summary_module.SourceImport

        held = self

        class Paused:
            class objects:
                @staticmethod
                def create(**fields):
                    if fields.get("source") == "undl" and not held.inside.is_set():
                        held.inside.set()
                        held.released_early = held.release.wait(HELD)
                    return real.objects.create(**fields)

        monkeypatch.setattr(summary_module, "SourceImport", Paused)


def run_in_thread(target, *args):
    result = {}

    def work():
        try:
            result["value"] = target(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    return thread, result


def save_while_a_sync_holds(monkeypatch, folder: Path, editor, draft, post):
    """Post the editor's form while a sync of ``folder`` holds its transaction open.

    Returns the response, whether the sync was still held when the editor was
    done (so the save did not wait for it), and the sync's (output, error).
    """
    held = Held(monkeypatch)
    syncing, synced = run_in_thread(sync, folder)
    assert held.inside.wait(HELD), "the sync never reached its writes"
    client = Client()
    client.force_login(editor)
    response = client.post(change_url(draft), post)
    held.release.set()
    syncing.join(HELD + 30)
    return response, held.released_early, synced["value"]


def test_an_editors_save_during_a_sync_neither_waits_nor_is_lost(
    shared_data, tmp_path, monkeypatch
):
    call_command(
        "sync_un_data",
        from_dir=str(source_folder(shared_data, tmp_path / "first")),
        stdout=StringIO(),
        no_progress=True,
    )
    load_starter_data()  # S/2022/431: a draft the sync does not describe
    editor = make_editor()
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    post = change_post(draft, title="Corrected while a sync ran")
    changed = source_folder(shared_data, tmp_path / "second", description="A corrected description")
    response, released_early, (output, error) = save_while_a_sync_holds(
        monkeypatch, changed, editor, draft, post
    )

    assert response.status_code == 302, response.content[:500]
    # The editor was done while the sync still held its transaction open.
    assert released_early
    assert error is None, f"the sync was killed: {error!r}"
    assert "updated 1" in output
    assert Draft.objects.get(pk=draft.pk).title == "Corrected while a sync ran"
    assert Draft.objects.filter(description__contains="A corrected description").count() == 1


def test_two_syncs_at_once_only_one_writes(shared_data, tmp_path, monkeypatch):
    from django.core.management.base import CommandError

    from resolutions.models import SourceImport
    from tests.resolutions.test_bad_files import record_tables

    folder = source_folder(shared_data, tmp_path / "data")
    held = Held(monkeypatch)
    first, result = run_in_thread(sync, folder)
    assert held.inside.wait(HELD), "the first sync never reached its writes"
    before = record_tables()

    # The second starts while the first holds its transaction (and the lock).
    with pytest.raises(CommandError, match="Another sync_un_data is running"):
        call_command("sync_un_data", from_dir=str(folder), stdout=StringIO(), no_progress=True)
    assert record_tables() == before  # it wrote nothing

    held.release.set()
    first.join(HELD + 60)
    output, error = result["value"]
    assert error is None, f"the first sync failed: {error!r}"
    assert "Done" in output
    # Each file imported once, and the deduction (a recorded step of every sync)
    # run once: the runs of the first sync and no other.
    assert SourceImport.objects.exclude(source=Source.DEDUCED).count() == 2
    assert SourceImport.objects.filter(source="undl").count() == 1
    assert SourceImport.objects.filter(source=Source.DEDUCED).count() == 1
    # The lock went with the first sync: a later one runs.
    call_command("sync_un_data", from_dir=str(folder), stdout=StringIO(), no_progress=True)


def test_a_save_of_the_record_a_sync_is_writing_is_refused_at_once_and_kept(
    shared_data, tmp_path, monkeypatch
):
    """The one row a sync holds: the editor is told at once, never a 500, and the
    form comes back with what she typed."""
    folder = source_folder(shared_data, tmp_path / "first")
    call_command("sync_un_data", from_dir=str(folder), stdout=StringIO(), no_progress=True)
    editor = make_editor()
    draft = Draft.objects.get(resolution_number=504)
    post = change_post(draft, title="Typed while a sync wrote this very record")
    changed = source_folder(shared_data, tmp_path / "second", description="A corrected description")
    response, released_early, (_output, error) = save_while_a_sync_holds(
        monkeypatch, changed, editor, draft, post
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "An import is writing this record right now" in page
    assert "Typed while a sync wrote this very record" in page  # the form keeps it
    assert released_early  # told at once, not after the sync
    assert error is None, f"the sync was killed: {error!r}"
    stored = Draft.objects.get(pk=draft.pk)
    assert "A corrected description" in stored.description
    assert stored.title != "Typed while a sync wrote this very record"
