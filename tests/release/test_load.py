"""load_release checks the whole release before it writes, and keeps every id."""

import gzip
import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from resolutions.models import Draft, Meeting, RecordVersion, SourceImport
from resolutions.release.load import empty_record, held
from tests.release.conftest import build
from votes.models import MemberVote, Veto

pytestmark = pytest.mark.django_db


def load(folder, **options) -> str:
    out = StringIO()
    call_command("load_release", str(folder), stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    draft = Draft.objects.get()
    return {
        "draft": (draft.pk, draft.draft_symbol, draft.outcome, draft.sources, draft.field_sources),
        "votes": sorted(MemberVote.objects.values_list("pk", "state__code", "position")),
        "vetoes": sorted(Veto.objects.values_list("pk", "seat__code", "name_at_vote")),
        "meeting": Meeting.objects.get().pk,
        "imports": list(SourceImport.objects.values_list("pk", "source", "version", "sha256")),
    }


def rewrite(folder, name, change):
    """Change one table's rows and fix datapackage.json to match: a valid-looking release."""
    path = folder / f"{name}.csv.gz"
    text = change(gzip.decompress(path.read_bytes()).decode())
    data = gzip.compress(text.encode(), mtime=0)
    path.write_bytes(data)
    manifest = folder / "datapackage.json"
    package = json.loads(manifest.read_text())
    for resource in package["resources"]:
        if resource["name"] == name:
            resource["bytes"] = len(data)
            resource["hash"] = "sha256:" + hashlib.sha256(data).hexdigest()
    manifest.write_text(json.dumps(package))
    return package


def test_a_release_loads_back_as_the_same_record_with_its_ids(small_release, tmp_path):
    before = snapshot()
    empty_record()
    assert not held()

    output = load(small_release)

    assert snapshot() == before
    assert "Loaded data release 2026.02.06+" in output
    assert "1 drafts, 15 member votes, 2 vetoes" in output
    build(tmp_path / "again")
    for path in sorted(small_release.iterdir()):
        assert (tmp_path / "again" / path.name).read_bytes() == path.read_bytes(), path.name


def test_write_stamps_are_the_time_of_the_load(small_release):
    empty_record()
    load(small_release)
    draft = Draft.objects.get()
    stamp = RecordVersion.objects.get(pk=1).changed_at
    assert draft.created_at == draft.updated_at == stamp
    assert SourceImport.objects.get().finished_at == stamp


def test_new_rows_after_a_load_get_new_ids(small_release):
    empty_record()
    load(small_release)
    loaded = Draft.objects.get().pk
    meeting = Meeting.objects.create(symbol="S/PV.99999")
    new = Draft.objects.create(date=date(2022, 6, 1), meeting=meeting)
    assert new.pk > loaded
    assert meeting.pk > Meeting.objects.exclude(pk=meeting.pk).get().pk


def test_a_tampered_file_is_refused_and_nothing_is_written(small_release):
    empty_record()
    path = small_release / "member_votes.csv.gz"
    text = gzip.decompress(path.read_bytes()).decode().replace(",N,", ",Y,")
    path.write_bytes(gzip.compress(text.encode(), mtime=0))

    with pytest.raises(CommandError) as refused:
        load(small_release)

    message = str(refused.value)
    assert "member_votes.csv.gz" in message
    assert "the file was changed or cut short" in message
    assert message.endswith("Nothing was written.")
    assert "\n" not in message
    assert not held()


def test_a_truncated_file_is_refused(small_release):
    empty_record()
    path = small_release / "drafts.csv.gz"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(CommandError, match=r"drafts\.csv\.gz: 200 bytes"):
        load(small_release)
    assert not held()


def test_a_bad_cell_is_named_by_table_row_and_column(small_release):
    empty_record()
    rewrite(small_release, "drafts", lambda text: text.replace("2022-05-26", "2022-13-26", 1))
    with pytest.raises(CommandError, match=r"drafts\.csv\.gz, row 1, column date: '2022-13-26'"):
        load(small_release)
    assert not held()


def test_a_reference_to_a_missing_row_is_refused(small_release):
    empty_record()
    header_and_rows = []

    def drop_meetings(text):
        header_and_rows.extend(text.splitlines())
        return header_and_rows[0] + "\n"

    rewrite(small_release, "meetings", drop_meetings)
    package = json.loads((small_release / "datapackage.json").read_text())
    for resource in package["resources"]:
        if resource["name"] == "meetings":
            resource["sc_votes:rows"] = 0
    (small_release / "datapackage.json").write_text(json.dumps(package))
    with pytest.raises(CommandError, match=r"drafts\.csv\.gz, column meeting_id: 1 id\(s\) not in"):
        load(small_release)
    assert not held()


def test_a_schema_that_does_not_match_the_models_is_refused(small_release):
    empty_record()
    manifest = small_release / "datapackage.json"
    package = json.loads(manifest.read_text())
    drafts = next(r for r in package["resources"] if r["name"] == "drafts")
    next(f for f in drafts["schema"]["fields"] if f["name"] == "date")["type"] = "string"
    manifest.write_text(json.dumps(package))
    refused = r"column 'date' is string, but resolutions\.Draft\.date"
    with pytest.raises(CommandError, match=refused):
        load(small_release)

    next(f for f in drafts["schema"]["fields"] if f["name"] == "date")["name"] = "day"
    manifest.write_text(json.dumps(package))
    with pytest.raises(CommandError, match=r"column 'day' is not a field of resolutions\.Draft"):
        load(small_release)
    assert not held()


def test_a_filled_database_is_left_alone_without_replace(small_release):
    with pytest.raises(CommandError, match="already holds a record; load_release --replace"):
        load(small_release)
    Draft.objects.update(title="Changed here")

    load(small_release, replace=True)

    assert Draft.objects.get().title != "Changed here"
    assert Draft.objects.count() == 1


def test_check_reads_everything_and_writes_nothing(small_release):
    empty_record()
    output = load(small_release, check=True)
    assert output.startswith("Checked data release 2026.02.06+")
    assert not held()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="sequences are PostgreSQL's")
def test_sequences_never_move_back(small_release):
    Draft.objects.create(date=date(2022, 6, 1))  # takes an id above the starter draft's
    highest = Draft.objects.order_by("-pk").first().pk
    load(small_release, replace=True)
    assert Draft.objects.create(date=date(2022, 6, 2)).pk > highest
