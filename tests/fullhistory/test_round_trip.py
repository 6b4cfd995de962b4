"""Export the whole history, import it into an empty database, export again: identical."""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import AgendaItem, Disagreement, Draft, Meeting, SourceImport, Subject

pytestmark = pytest.mark.realdata


def export(fmt: str) -> str:
    out = StringIO()
    call_command("export_votes", format=fmt, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_full_export_survives_an_import_into_an_empty_database(history, tmp_path, fmt, settings):
    # Emptying the record here is test set-up, not an editor's deletion: without
    # this, the history app would write 40,000 deletion records one by one.
    settings.SIMPLE_HISTORY_ENABLED = False
    first = export(fmt)
    drafts = Draft.objects.count()
    assert first.count("S/2022/431") >= 1

    # An empty record: no drafts, votes, vetoes, meetings, agenda items or imports.
    # The Council's membership stays: votes are checked against it.
    Draft.objects.all().delete()
    for model in (Meeting, AgendaItem, Subject, SourceImport, Disagreement):
        model.objects.all().delete()
    path = tmp_path / f"dump.{fmt}"
    path.write_text(first, encoding="utf-8")
    out = StringIO()
    call_command("import_votes", str(path), stdout=out, no_progress=True)

    assert f"created {drafts}" in out.getvalue()
    second = export(fmt)
    assert second == first
