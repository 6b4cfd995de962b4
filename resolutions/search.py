"""The words search of ``?q=``: PostgreSQL's full-text engine, a plain scan elsewhere.

On PostgreSQL each draft's words (title and symbols, agenda item, description,
meeting) are kept as a weighted tsvector in ``Draft.search_vector``, under a GIN
index, and ``?q=`` is a ``websearch_to_tsquery`` (quotes for a phrase, ``-word``
to leave one out, never a syntax error). The column is derived, like the
outcome: :func:`refresh_search` is its only writer, called by
``refresh_outcomes`` for the drafts it recomputes (every import and editor's
save goes through it), by ``load_release`` after a load, and when an agenda item
or a meeting is renamed. On SQLite, which has no such engine, every word must
appear in one of the columns (``icontains``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import OuterRef, Q, QuerySet, Subquery

from resolutions.models import AgendaItem, Draft, Meeting

# English stemming: "sanctions" finds "sanction" and "sanctioned" too.
CONFIG = "english"
# At most this many words of a query count on SQLite, each a scan of five columns.
MAX_WORDS = 8


def full_text(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def document() -> SearchVector:
    """The tsvector of a draft, as an expression for ``UPDATE … SET search_vector``."""
    agenda = AgendaItem.objects.filter(pk=OuterRef("agenda_item_id")).values("name")[:1]
    meeting = Meeting.objects.filter(pk=OuterRef("meeting_id")).values("symbol")[:1]
    return (
        SearchVector("title", "draft_symbol", weight="A", config=CONFIG)
        + SearchVector(Subquery(agenda), weight="B", config=CONFIG)
        + SearchVector("description", weight="C", config=CONFIG)
        + SearchVector(Subquery(meeting), weight="D", config=CONFIG)
    )


def refresh_search(ids: Iterable[int] | None = None, *, using: str = "default") -> None:
    """Rewrite the search vectors of these drafts (all for None): one UPDATE."""
    if not full_text(using):
        return
    drafts = Draft.objects.using(using)
    if ids is not None:
        drafts = drafts.filter(pk__in=list(ids))
    drafts.update(search_vector=document())


def matching(queryset: QuerySet, text: str) -> QuerySet:
    """The drafts of ``queryset`` whose words match ``text``."""
    if full_text(queryset.db):
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.filter(search_vector=query)
    return _scanned(queryset, text)


def _scanned(queryset: QuerySet, text: str) -> QuerySet:
    words = Q()
    for word in text.split()[:MAX_WORDS]:
        words &= (
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(draft_symbol__icontains=word)
            | Q(agenda_item__name__icontains=word)
            | Q(meeting__symbol__icontains=word)
        )
    # The words' scan (``UPPER(…) LIKE '%…%'`` over five columns: no index serves
    # it) runs once, here; the page's count and its rows then select by id,
    # instead of each running the scan again.
    found = list(queryset.filter(words).order_by().values_list("pk", flat=True))
    return queryset.filter(pk__in=found)
