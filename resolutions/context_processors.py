"""What every page cites: the UN sources and the version of each that is loaded.

The UN's licence asks for the source and its version on every page that shows
its data. The versions are read lazily, in one query, only when a template
prints them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils.functional import SimpleLazyObject

from resolutions.models import SourceImport


@dataclass(frozen=True)
class Citation:
    source: str  # votes.choices.Source value
    label: str  # e.g. "Dag Hammarskjöld Library, Veto List"
    version: str


def latest_versions() -> list[Citation]:
    """The newest import of each source, in one query (empty with only the starter data)."""
    newest = SourceImport.objects.filter(source=OuterRef("source")).order_by("-finished_at", "-pk")
    rows = SourceImport.objects.filter(pk=Subquery(newest.values("pk")[:1])).order_by("source")
    return [Citation(row.source, row.get_source_display(), row.version) for row in rows]


def data_sources(request):
    return {"data_sources": SimpleLazyObject(latest_versions)}
