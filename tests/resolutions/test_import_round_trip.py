"""An import never shrinks a published record by omission, and the site's own
export read back is a no-op (issue 12).

The record is loaded from the Library's excerpt (../shared/data), then exported
with ``export_votes``; the expected vote counts are recounted from that export
file, never taken from the importer's own report.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolutions.caching import data_version
from resolutions.models import Draft
from tests.resolutions.test_bad_files import record_tables
from votes.choices import Source
from votes.models import MemberVote

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"


@pytest.fixture
def loaded(shared_data):
    call_command("import_dppa", str(shared_data / MEMBERSHIP), stdout=StringIO())
    call_command("import_undl", str(shared_data / EXCERPT), stdout=StringIO(), no_progress=True)


def export(fmt: str = "csv") -> str:
    out = StringIO()
    call_command("export_votes", format=fmt, stdout=out)
    return out.getvalue()


def run(path, **options) -> str:
    out = StringIO()
    call_command("import_votes", str(path), stdout=out, no_progress=True, **options)
    return out.getvalue()


def cut_inside_a_record(text: str) -> tuple[str, str, int, int]:
    """The export cut after whole lines, in the middle of one record's votes.

    Returns the text, the record's id, its votes in the export and those kept."""
    lines = text.splitlines(keepends=True)
    table = list(csv.DictReader(io.StringIO(text)))
    per_record = Counter(row["record_id"] for row in table)
    # The middle of the file, moved back to the third vote of the record there.
    at = len(table) // 2
    record = table[at]["record_id"]
    first = next(n for n, row in enumerate(table) if row["record_id"] == record)
    kept = 3
    assert per_record[record] > kept
    return "".join(lines[: 1 + first + kept]), record, per_record[record], kept


def test_a_truncated_export_is_refused_and_nothing_is_deleted(loaded, tmp_path):
    text, record_id, in_export, kept = cut_inside_a_record(export())
    draft = Draft.objects.get(pk=record_id)
    assert draft.is_published
    assert MemberVote.objects.filter(draft=draft).count() == in_export
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    before = record_tables()

    with pytest.raises(CommandError) as error:
        run(path)

    line = str(error.value).splitlines()[0]
    assert "votes.csv" in line and draft.symbol in line
    assert f"has {in_export} member votes" in line
    assert f"leaves out {in_export - kept}" in line
    assert "--allow-deletions" in line
    assert record_tables() == before


def test_deletions_need_the_flag_and_are_shown_and_kept_in_history(loaded, tmp_path):
    text, record_id, in_export, kept = cut_inside_a_record(export())
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    drafts_before = Draft.objects.count()

    output = run(path, allow_deletions=True)

    assert f"deleted {in_export - kept} member votes" in output
    assert MemberVote.objects.filter(draft_id=record_id).count() == kept
    deleted = MemberVote.history.filter(draft_id=record_id, history_type="-")
    assert deleted.count() == in_export - kept
    # The records the cut left out entirely are not touched.
    assert Draft.objects.count() == drafts_before


def test_a_dry_run_with_the_flag_deletes_nothing(loaded, tmp_path):
    text, *_ = cut_inside_a_record(export())
    path = tmp_path / "votes.csv"
    path.write_text(text, encoding="utf-8")
    before = record_tables()
    run(path, allow_deletions=True, dry_run=True)
    assert record_tables() == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_unchanged_export_reimports_as_a_no_op(loaded, tmp_path, fmt):
    text = export(fmt)
    path = tmp_path / f"votes.{fmt}"
    path.write_text(text, encoding="utf-8")
    published = Draft.objects.published().count()
    assert published > 1
    before = record_tables()

    output = run(path)

    assert "created 0, updated 0" in output
    assert f"unchanged {published}" in output
    assert record_tables() == before  # nothing written, no SourceImport either
    claimed = [
        d.symbol for d in Draft.objects.all() if Source.EDITOR in (d.field_sources or {}).values()
    ]
    assert claimed == []
    assert not MemberVote.objects.filter(source=Source.EDITOR).exists()


def test_one_changed_cell_updates_only_its_record(loaded, tmp_path):
    table = list(csv.DictReader(io.StringIO(export())))
    record = table[0]["record_id"]
    for row in table:
        if row["record_id"] == record:
            row["title"] = "A title an editor corrected"
    path = tmp_path / "votes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)

    output = run(path)

    assert "created 0, updated 1" in output
    assert Draft.objects.get(pk=record).title == "A title an editor corrected"
    others = Draft.objects.exclude(pk=record)
    assert not [d for d in others if Source.EDITOR in (d.field_sources or {}).values()]


@pytest.mark.django_db(transaction=True)  # real commits: the version is bumped on commit
def test_a_sync_that_changes_nothing_keeps_every_etag(loaded, shared_data, client, settings):
    settings.HTTP_CACHE_SECONDS = 300  # public pages get ETags, as in production
    urls = ["/votes/", "/api/v1/votes/", "/votes.csv"]
    version = data_version()
    before = {url: client.get(url)["ETag"] for url in urls}
    call_command("import_dppa", str(shared_data / MEMBERSHIP), stdout=StringIO())
    output = StringIO()
    call_command("import_undl", str(shared_data / EXCERPT), stdout=output, no_progress=True)
    assert "nothing changed" in output.getvalue()
    assert data_version() == version
    assert {url: client.get(url)["ETag"] for url in urls} == before


@pytest.mark.django_db(transaction=True)
def test_a_change_moves_the_data_version_once_committed():
    from django.db import transaction

    from resolutions.models import Meeting, RecordVersion
    from resolutions.starter import load_starter_data

    load_starter_data()
    before = data_version()
    meeting = Meeting.objects.get()
    with transaction.atomic():
        meeting.symbol = "S/PV.9048 (corrected)"
        meeting.save()
        meeting.save()
        # Not inside the transaction: no row lock on the version is held by a save.
        assert data_version() == before
    assert data_version() != before
    stamp = RecordVersion.objects.get().changed_at
    with transaction.atomic():
        meeting.save()
        transaction.set_rollback(True)
    assert RecordVersion.objects.get().changed_at == stamp  # a rolled-back save dates nothing
