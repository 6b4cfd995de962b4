"""The votes list, and the same filtered list as CSV and JSON downloads."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from resolutions import exports, ranges
from resolutions.coverage import counting_caveats
from resolutions.filters import DraftFilter, public_votes
from resolutions.licence import LICENCE_NAME
from resolutions.release import downloads
from resolutions.tables import CappedPaginator, DraftTable
from resolutions.views.downloads import invalid_filter
from resolutions.views.params import with_query

PER_PAGE = 50


class KnownCount:
    """For a list view on DraftFilter: the paginator is given the count when the
    per-year tables know it (DraftFilter.known_count), and runs no COUNT then."""

    def get_table_pagination(self, table):
        pagination = super().get_table_pagination(table)
        if isinstance(pagination, dict):
            pagination = {**pagination, "count": self.filterset.known_count()}
        return pagination


class DraftListView(KnownCount, SingleTableMixin, FilterView):
    """Every published vote, filtered and sorted from the query string.

    Queries: the member-state choices for the form (1), the count (2; of the
    per-year counts when nothing is filtered), the page of rows with meeting and
    agenda item (3) and their vetoes (4); plus one to
    check a chosen member state (5); what the counts rest on: the recorded votes
    (6) and the sources' spans (7). A word search (``q``) adds nothing on
    PostgreSQL (the count and the page use the GIN index, resolutions.search), and
    on SQLite one scan for the matching ids that the count and the page then use.
    """

    table_class = DraftTable
    filterset_class = DraftFilter
    template_name = "resolutions/draft_list.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}
    # Ignore an invalid filter and say so, rather than showing nothing.
    strict = False

    def get_queryset(self):
        return public_votes().for_list_rows()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["csv_url"] = with_query(reverse("resolutions:csv"), self.request)
        context["coverage_note"] = counting_caveats()
        return context


def _download(request, fmt: str):
    """The filtered list in the open-data format (resolutions.exports), streamed.

    Queries: one cursor each for the drafts' vetoes, subjects and sponsors, their
    member votes (not for the per-draft CSV) and the drafts, all read to the end
    side by side; plus one to check a chosen member state. The full downloads come
    from the data release's files instead while the record is that release (two
    queries to know it).
    """
    served = _released(request, fmt)
    if served is not None:
        return served
    drafts = DraftFilter(request.GET or None)
    if drafts.is_bound and not drafts.is_valid():
        return invalid_filter(drafts.errors)
    if fmt == "json":
        return exports.json_response(drafts.qs, "sc-votes.json")
    rows = request.GET.get("rows")
    if rows not in (None, "votes"):
        return _invalid_rows(rows)
    per_vote = rows == "votes"
    name = "sc-votes-member-votes.csv" if per_vote else "sc-votes.csv"
    return exports.csv_response(drafts.qs, name, per_vote=per_vote)


def _released(request, fmt: str):
    """An unfiltered download as the release's file, with an ETag and byte ranges;
    None when the record is not the release (or the address is filtered)."""
    if set(request.GET) - {"rows"}:
        return None
    kind = "json" if fmt == "json" else {None: "csv", "votes": "votes"}.get(request.GET.get("rows"))
    file = downloads.released(kind) if kind else None
    if file is None:
        return None
    response = ranges.file_response(
        request,
        file.path,
        size=file.size,
        digest=file.sha256,
        content_type=file.download.content_type,
        filename=file.download.filename,
    )
    response["X-Licence"] = LICENCE_NAME
    return response


def _invalid_rows(rows: str) -> HttpResponse:
    """A misspelt rows= silently gave the other layout: say so instead."""
    return HttpResponse(
        f"Invalid rows: {rows!r}. Use rows=votes for one row per member vote, "
        "or leave it out for one row per draft.\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def draft_csv(request):
    """CSV: one row per draft, or per member vote with ``rows=votes``."""
    return _download(request, "csv")


def draft_json(request):
    """JSON: the drafts with their member votes."""
    return _download(request, "json")
