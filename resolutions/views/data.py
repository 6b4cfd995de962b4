"""The data dictionary: what the downloads, dumps, API and feeds hold."""

from __future__ import annotations

from django.shortcuts import render

from resolutions import exports
from resolutions.coverage import CLASSES, coverage
from resolutions.models import Draft, stored_resolution_gaps

GAPS_SHOWN = 20  # resolution numbers named on /data/ before "and N more"


def data_dictionary(request):
    """What the exports, the dumps, the API and the feeds hold, column by column.

    Queries: how many resolution numbers are missing and the first of them (1-2, of
    the gaps' stored ranges: ``stored_resolution_gaps``); the coverage table by decade
    (3, of the per-year counts), the sources' first and last records (4, index lookups)
    and their imports (5); the source versions cited in the footer (6).
    """
    columns = [
        {
            "name": name,
            "description": exports.DESCRIPTIONS[name],
            "per_vote": name in exports.VOTE_COLUMNS,
        }
        for name in exports.VOTES_COLUMNS
    ]
    # Every resolution number is counted, published or not: a number an editor
    # has not yet published is not missing from the sources.
    count, gaps = stored_resolution_gaps(limit=GAPS_SHOWN)
    return render(
        request,
        "resolutions/data.html",
        {
            "columns": columns,
            "gap_count": count,
            "gaps": gaps,
            "more_gaps": count - len(gaps),
            "coverage": coverage(),
            "compiled_resolutions": Draft.objects.compiled_only()
            .exclude(resolution_number=None)
            .order_by("resolution_number")
            .only("pk", "resolution_number", "resolution_year"),
            "classes": CLASS_HEADINGS,
        },
    )


# The coverage table's member-vote columns, in the order of coverage.CLASSES.
CLASS_HEADINGS = dict(
    zip(
        CLASSES,
        (
            "official source",
            "an editor",
            "deduced",
            "compilation",
            "incomplete",
            "no member votes",
        ),
        strict=True,
    )
)
