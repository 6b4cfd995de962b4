"""An import that changes every draft costs a fixed number of queries, whatever the size.

The loader reads each changed draft's foreign keys (meeting, agenda item) with
the drafts themselves; one lazy SELECT per changed draft (2,734 per sync, once)
would show here as a budget that grows with the sample.
"""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from resolutions.models import Draft
from tests.samples import sample_size

pytestmark = pytest.mark.django_db

NEW_AGENDA = "A new agenda item"


def every_draft_changed(tmp_path):
    """The site's own export with every draft's agenda item changed, as a file."""
    out = StringIO()
    call_command("export_votes", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    for row in rows:
        row["agenda"] = NEW_AGENDA
    path = tmp_path / "changed.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path, len({row["record_id"] for row in rows})


@sample_size(0, "large")
def test_an_import_changing_every_draft_has_a_fixed_budget(
    sample, tmp_path, django_assert_max_num_queries
):
    path, drafts = every_draft_changed(tmp_path)
    assert drafts > 5, drafts
    # Reference data, the stored drafts with their meetings and agenda items, the
    # names to resolve, the writes in batches, the outcomes' refresh and the
    # import's log: none of them per draft (the smaller sample has 6 drafts). Then the
    # sponsors' step (resolutions.pipeline.sponsors): the states, the stored sponsors,
    # the drafts, the built titles rewritten in one batch, the sponsor disagreements
    # and the record's change stamp. The rest recount the per-year tables
    # (votes/yearly.py): the years the drafts were and are counted in (4), then a
    # DELETE and an INSERT ... SELECT for each table of votes.yearly.COUNTS and for the
    # resolution numbers' gaps. 60 before VoteYear and ResolutionGap (what the
    # sitemaps and /data/ read instead of counting the drafts) added two each; one
    # more on PostgreSQL takes the recounts' advisory lock (one recount at a time).
    with django_assert_max_num_queries(65 if connection.vendor == "postgresql" else 64):
        call_command("import_votes", str(path), stdout=StringIO(), no_progress=True)
    assert Draft.objects.filter(agenda_item__name=NEW_AGENDA).count() == drafts
