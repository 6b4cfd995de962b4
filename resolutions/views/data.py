"""The data dictionary: what the downloads, dumps, API and feeds hold."""

from __future__ import annotations

from django.shortcuts import render

from resolutions import exports
from resolutions.models import Draft

GAPS_SHOWN = 20  # resolution numbers named on /data/ before "and N more"


def data_dictionary(request):
    """What the exports, the dumps, the API and the feeds hold, column by column.

    Queries: the resolution numbers held, for the gaps (1); the source versions
    cited in the footer (1).
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
    count, gaps = Draft.objects.resolution_number_gaps(limit=GAPS_SHOWN)
    return render(
        request,
        "resolutions/data.html",
        {"columns": columns, "gap_count": count, "gaps": gaps, "more_gaps": count - len(gaps)},
    )
