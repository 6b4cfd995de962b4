"""Where the data comes from, which versions are loaded, and the UN's licence.

The UN's terms ask for the source and its version wherever its data is shown:
every page (through the context processor), every export and every API
response cite them from here. ``data_last_modified`` dates the whole record,
for conditional GET (ETag/Last-Modified) on the API, exports and feeds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, OuterRef, Subquery
from django.views.decorators.http import condition

from resolutions.models import Draft, SourceImport

LICENCE = (
    "United Nations data (Dag Hammarskjöld Library Security Council Voting Data and Veto "
    "List; UN DPPA; UN DGACM), merged by SC Votes. Copyright United Nations: free for "
    "non-commercial use with attribution; cite the source and its version."
)
LICENCE_URL = "https://www.un.org/en/about-us/terms-of-use"


@dataclass(frozen=True)
class Citation:
    source: str  # votes.choices.Source value
    label: str  # e.g. "Dag Hammarskjöld Library, Veto List"
    version: str

    def as_dict(self) -> dict:
        return {"source": self.source, "name": self.label, "version": self.version}


def latest_versions() -> list[Citation]:
    """The newest import of each source, in one query (empty with only the starter data)."""
    newest = SourceImport.objects.filter(source=OuterRef("source")).order_by("-finished_at", "-pk")
    rows = SourceImport.objects.filter(pk=Subquery(newest.values("pk")[:1])).order_by("source")
    return [Citation(row.source, row.get_source_display(), row.version) for row in rows]


def citation_text(citations) -> str:
    if not citations:
        return "Source: UN Dag Hammarskjöld Library and UN documents; starter data only."
    versions = "; ".join(f"{c.label}, version {c.version or 'undated'}" for c in citations)
    return f"Source: UN Dag Hammarskjöld Library and other UN sources: {versions}."


def data_last_modified() -> datetime | None:
    """When the published record last changed: an import, or an editor's save."""
    from votes.models import MembershipTerm, MemberVote

    def newest(rows, field):
        return Max(Subquery(rows.order_by(f"-{field}").values(field)[:1]))

    # One query: the newest draft change, with the newest import and editor
    # changes to votes and terms as scalar subqueries beside it.
    stamps = Draft.objects.aggregate(
        draft=Max("updated_at"),
        imported=newest(SourceImport.objects, "finished_at"),
        vote=newest(MemberVote.history, "history_date"),
        term=newest(MembershipTerm.history, "history_date"),
    )
    found = [s for s in stamps.values() if s is not None]
    return max(found) if found else None


def _stamp(request) -> datetime | None:
    # The ETag and Last-Modified functions both need it: read it once per request.
    if not hasattr(request, "_data_last_modified"):
        request._data_last_modified = data_last_modified()
    return request._data_last_modified


def _last_modified(request, *args, **kwargs):
    return _stamp(request)


def _etag(request, *args, **kwargs):
    # The same data for the same address: one stamp for the record, plus the URL.
    stamp = _stamp(request)
    key = f"{stamp.isoformat() if stamp else 'empty'}|{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


revalidated = condition(etag_func=_etag, last_modified_func=_last_modified)
"""Decorator: ETag and Last-Modified on a view, answering 304 when the client is current."""
