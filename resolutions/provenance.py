"""Where the data comes from and which versions are loaded.

The UN's terms ask for the source and its version wherever its data is shown:
every page (through the context processor), every export and every API
response cite them from here; the licence's words are in ``resolutions.licence``.
``data_last_modified`` dates the whole record, for conditional GET
(ETag/Last-Modified) on the API, exports and feeds. At the end, what each source
said about a field, as the editors' admin shows it beside the editor's value.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.views.decorators.http import condition

from resolutions.models import Draft, RecordVersion, SourceImport
from resolutions.source_entries import value_key
from votes.choices import Source
from votes.history import shown
from votes.models import MemberVote


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


def dating_imports():
    """The imports that date the record: those that changed it, and the first run of
    each version of a source (its citation is new). A sync that changes nothing is
    still logged, but moves no ETag or Last-Modified (issue 12)."""
    earlier = SourceImport.objects.filter(
        source=OuterRef("source"), version=OuterRef("version"), pk__lt=OuterRef("pk")
    )
    return SourceImport.objects.filter(Q(created__gt=0) | Q(updated__gt=0) | ~Exists(earlier))


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
            imported=newest(dating_imports(), "finished_at"),
            draft=newest(Draft.objects, "updated_at"),
        )
        .first()
    )
    if row is None:  # nothing saved since the tables were emptied
        row = {
            "imported": dating_imports().aggregate(at=Max("finished_at"))["at"],
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


# What each source said, beside an editor's value (the editors' admin) -------------

SOURCE_SHORT = {
    Source.UNDL: "UN Library voting data",
    Source.DHL_VETO: "UN Library veto list",
    Source.DHL_MEETINGS: "UN Library meetings tables",
    Source.UNXML: "UN DGACM drafts",
    Source.UNXML_ADOPTED: "UN DGACM resolutions",
    Source.DPPA: "UN DPPA membership",
    Source.CHARTER: "Reference data",
    Source.SEED: "Starter data",
    Source.EDITOR: "Editor",
}
# The draft form names the meeting by its symbol; the importers keep it as "meeting".
FORM_FIELD_ALIASES = {"meeting_symbol": "meeting"}


def source_values(draft: Draft, form_field: str) -> list[str]:
    """'Dag Hammarskjöld Library … (2026-02-06): 13' for each source giving the field."""
    key, item = value_key(FORM_FIELD_ALIASES.get(form_field, form_field))
    said = []
    for source, info in sorted((draft.sources or {}).items()):
        value = _said(info or {}, key, item)
        if value is None:
            continue
        version = f" ({info['version']})" if info.get("version") else ""
        said.append(f"{SOURCE_SHORT.get(source, source)}{version}: “{value}”")
    return said


def _said(info: dict, key: str, item: int | None) -> str | None:
    """One source's value for a field as text, or None when it gives none."""
    values = info.get("values", {})
    if key not in values:
        return None
    value = values[key]
    if item is not None:
        value = value[item] if isinstance(value, list) and len(value) > item else None
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def source_note(vote: MemberVote, said: tuple[str, str] | None) -> str:
    """Where a vote's position comes from, with the source's own value beside an editor's."""
    if vote.source != Source.EDITOR:
        return SOURCE_SHORT.get(vote.source, vote.source)
    if said is None:
        return "Editor"
    position, source = said
    return f"Editor; {SOURCE_SHORT.get(source, source)} said {shown('position', position)}"
