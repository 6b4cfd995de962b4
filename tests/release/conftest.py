"""A small record (the starter data and one import) and its release, built in tmp_path."""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import SourceImport
from resolutions.starter import load_starter_data


@pytest.fixture
def small_record(db):
    draft = load_starter_data()
    SourceImport.objects.create(
        source="undl",
        version="2026-02-06",
        location="/home/someone/data/undl_sc_voting/2026_02_06_sc_voting.csv",
        sha256="ab" * 32,
        created=1,
    )
    return draft


def build(folder) -> str:
    out = StringIO()
    call_command("build_release", out=str(folder), stdout=out)
    return out.getvalue()


@pytest.fixture
def small_release(small_record, tmp_path):
    folder = tmp_path / "release"
    build(folder)
    return folder
