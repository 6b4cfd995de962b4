"""build_release writes the same bytes for the same record, described from the models."""

import csv
import gzip
import hashlib
import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from resolutions.models import Draft
from resolutions.release.describe import LICENCE  # wherever the UN's terms live
from resolutions.release.tables import NOT_RELEASED, TABLES, by_name
from tests.release.conftest import build

pytestmark = pytest.mark.django_db


def rows(folder, name):
    text = gzip.decompress((folder / f"{name}.csv.gz").read_bytes()).decode()
    return list(csv.reader(io.StringIO(text)))


def package(folder):
    return json.loads((folder / "datapackage.json").read_text())


def test_the_same_record_builds_the_same_bytes(small_release, tmp_path):
    again = tmp_path / "again"
    build(again)
    for path in sorted(small_release.iterdir()):
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_each_file_is_described_with_its_size_and_sha256(small_release):
    resources = package(small_release)["resources"]
    assert [r["name"] for r in resources] == [t.name for t in TABLES]
    for resource in resources:
        data = (small_release / resource["path"]).read_bytes()
        assert resource["bytes"] == len(data)
        assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert resource["sc_votes:rows"] == len(rows(small_release, resource["name"])) - 1


def test_the_gzip_header_holds_no_time_and_no_name(small_release):
    header = (small_release / "drafts.csv.gz").read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0"  # mtime
    assert header[3] & 0x08 == 0  # FNAME flag


def test_schemas_are_the_models_fields_without_write_stamps_or_search_vectors(small_release):
    schemas = {r["name"]: r["schema"] for r in package(small_release)["resources"]}
    drafts = {f["name"]: f for f in schemas["drafts"]["fields"]}
    expected = [f.attname for f in Draft._meta.concrete_fields]
    assert [f["name"] for f in schemas["drafts"]["fields"]] == [
        # search_vector: PostgreSQL's, derived from the released words; the loader rebuilds it
        n
        for n in expected
        if n not in ("created_at", "updated_at", "search_vector")
    ]
    assert drafts["meeting_id"]["type"] == "integer"
    assert drafts["sources"]["type"] == "object"
    assert drafts["recorded_vetoed_by"]["type"] == "array"
    assert drafts["date"] == {"name": "date", "type": "date", "constraints": {"required": True}}
    assert drafts["outcome"]["constraints"]["enum"] == [
        "adopted",
        "vetoed",
        "not_adopted",
        "unknown",
    ]
    assert drafts["draft_symbol"]["constraints"] == {"maxLength": 60}
    assert "Procedural matters" in drafts["procedural"]["description"]
    assert {"fields": "meeting_id", "reference": {"resource": "meetings", "fields": "id"}} in (
        schemas["drafts"]["foreignKeys"]
    )
    assert rows(small_release, "drafts")[0] == [f["name"] for f in schemas["drafts"]["fields"]]


def test_a_field_added_to_a_model_is_released_without_an_edit(small_record, tmp_path):
    # What another issue's migration would do, in memory: one more field on Meeting.
    from django.db import models

    table = by_name()["meetings"]
    extra = models.CharField(max_length=10, blank=True, default="", help_text="New.")
    extra.set_attributes_from_name("room")
    fields = [*table.fields, extra]
    table.__dict__["fields"] = fields  # the cached property, replaced for this test
    try:
        assert table.schema()["fields"][-1] == {
            "name": "room",
            "type": "string",
            "description": "New.",
            "constraints": {"maxLength": 10},
        }
    finally:
        del table.__dict__["fields"]


def test_every_model_of_the_record_is_released_or_says_why_not():
    released = {t.model for t in TABLES}
    for model in [
        *apps.get_app_config("votes").get_models(),
        *apps.get_app_config("resolutions").get_models(include_auto_created=True),
    ]:
        if model._meta.object_name.startswith("Historical"):
            continue  # the audit trail of this database, not the record
        assert model in released or model in NOT_RELEASED, model._meta.label


def test_no_write_time_and_no_local_folder_in_the_files(small_release):
    for resource in package(small_release)["resources"]:
        header = rows(small_release, resource["name"])[0]
        assert not {"created_at", "updated_at", "finished_at"} & set(header), resource["name"]
    sources = rows(small_release, "sources")
    location = sources[0].index("location")
    assert sources[1][location] == "2026_02_06_sc_voting.csv"


def test_the_package_cites_the_sources_and_the_un_licence(small_release):
    described = package(small_release)
    assert described["licenses"][0]["title"] == LICENCE
    assert LICENCE in described["description"]
    (undl,) = described["sources"]
    assert undl["version"] == "2026-02-06"
    assert undl["sc_votes:sha256"] == ["ab" * 32]
    assert described["version"].startswith("2026.02.06+")
    citation = (small_release / "CITATION.cff").read_text()
    assert f'version: "{described["version"]}"' in citation
    assert "date-released: 2026-02-06" in citation
    assert LICENCE in (small_release / "README.md").read_text()


def test_a_changed_record_gets_another_version(small_release, tmp_path):
    Draft.objects.update(title="Another title")
    again = tmp_path / "again"
    build(again)
    assert package(again)["version"] != package(small_release)["version"]
    assert (
        package(again)["version"].split("+")[0] == package(small_release)["version"].split("+")[0]
    )


def test_an_empty_database_builds_nothing(tmp_path):
    with pytest.raises(CommandError, match="no drafts: run sync_un_data first"):
        call_command("build_release", out=str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_two_releases_are_compared_table_by_table(small_release, tmp_path):
    from resolutions.release.compare import differences
    from resolutions.release.load import read

    build(tmp_path / "same")
    assert differences(read(small_release), read(tmp_path / "same")) == []
    Draft.objects.update(title="Another title")
    build(tmp_path / "changed")
    (found,) = differences(read(small_release), read(tmp_path / "changed"))
    assert found.startswith("drafts: 1 rows -> 1 (1 new or changed, 1 gone or changed)")
    assert found.endswith(
        'first at row 1, title: "Draft resolution on non-proliferation: Democratic People... '
        "-> 'Another title'"
    )
