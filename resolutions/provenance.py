"""Where the data comes from and which versions are loaded.

The UN's terms ask for the source and its version wherever its data is shown:
every page (through the context processor), every export and every API
response cite them from here; the licence's words are in ``resolutions.licence``.
``data_last_modified`` dates the whole record, for conditional GET
(ETag/Last-Modified) on the API, exports and feeds.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, Subquery
from django.views.decorators.http import condition

from resolutions.models import Draft, RecordVersion, SourceImport


@dataclass(frozen=True)
class Citation:
    source: str  # votes.choices.Source value
    label: str  # e.g. "Dag Hammarskjöld Library, Veto List"
    version: str

    def as_dict(self) -> dict:
        return {"source": self.source, "name": self.label, "version": self.version}


def latest_versions() -> list[Citation]:
    """Each source loaded, citing every version of it the record holds, newest first.

    One query over the imports (a few dozen rows); empty with only the starter data.
    The voting data, for instance, is cited as the official v6 excerpt and the
    reconstruction of 1946-2021 that most adopted resolutions still come from.
    """
    versions: dict[str, list[str]] = {}
    labels = {}
    for run in SourceImport.objects.order_by("source", "-finished_at", "-pk"):
        labels[run.source] = run.get_source_display()
        if run.version not in versions.setdefault(run.source, []):
            versions[run.source].append(run.version)
    return [
        Citation(s, labels[s], "; ".join(v for v in versions[s] if v)) for s in sorted(versions)
    ]


def citation_text(citations) -> str:
    if not citations:
        return "Source: UN Dag Hammarskjöld Library and UN documents; starter data only."
    versions = "; ".join(f"{c.label}, version {c.version or 'undated'}" for c in citations)
    return f"Source: UN Dag Hammarskjöld Library and other UN sources: {versions}."


def data_last_modified() -> datetime | None:
    """When the published record last changed: an import, or an editor's save."""

    def newest(rows, field):
        return Subquery(rows.order_by(f"-{field}").values(field)[:1])

    # One query: the last change through the ORM (any model of the record,
    # deletions included), with the newest import and draft change beside it.
    row = (
        RecordVersion.objects.filter(pk=1)
        .values("changed_at")
        .annotate(
            imported=newest(SourceImport.objects, "finished_at"),
            draft=newest(Draft.objects, "updated_at"),
        )
        .first()
    )
    if row is None:  # nothing saved since the tables were emptied
        row = {
            "imported": SourceImport.objects.aggregate(at=Max("finished_at"))["at"],
            "draft": Draft.objects.aggregate(at=Max("updated_at"))["at"],
        }
    found = [s for s in row.values() if s is not None]
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
