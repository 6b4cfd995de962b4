"""Recount the per-year tables (``AgreementYear``, ``StateYear``, ``VetoYear``,
``DraftYear``, ``CoverageYear``, ``VoteYear`` in votes/models.py) from the member votes,
vetoes and standings, and the resolution numbers' gaps (``ResolutionGap``).

Each table is one ``INSERT ... SELECT ... GROUP BY`` built with the ORM, over
the years given: after an editor's save, the year of that draft (and the year
it was counted in before, if its date moved); after a sync, every year. Only
``resolutions.outcomes.refresh_outcomes`` (and the release loader, which
writes no outcome) calls :func:`recount`, inside its own transaction.

``votes`` does not import ``resolutions``: drafts and standings are reached
through the app registry and their relations' names.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag

from votes.analytics import VOTED, p5_positions, p5_recorded, year_of
from votes.choices import Evidence, Modality, Outcome, Source, counted, evidence_of
from votes.models import (
    AgreementYear,
    CountedDraft,
    CoverageYear,
    DraftYear,
    MemberVote,
    ResolutionGap,
    StateYear,
    Veto,
    VetoYear,
    VoteYear,
)
from votes.outcome import ENLARGEMENT, council_size
from votes.seats import SEAT_ORDER

# More drafts than this (a sync) and every year is recounted: as cheap as finding
# the years, and no list of ids grows into the SQL.
MANY = 500

Years = Collection[int] | None


def recount(draft_ids: Collection[int] | None = None) -> None:
    """Recount the years these drafts are, or were last, counted in (all years for None)."""
    _one_recount_at_a_time()
    if draft_ids is not None and len(draft_ids) <= MANY:
        years: Years = _moved_years(draft_ids)
        if not years:
            return
    else:
        years = None
        _replace(CountedDraft, _counted_drafts(None), None)
    for model, rows in COUNTS:
        _replace(model, rows(years), years)
    # The numbers run across the years: their gaps are rewritten whole, in one pass
    # over the numbers' unique index (a few ms at ten times the record), since a
    # draft's number may have moved without its year.
    _replace(ResolutionGap, gap_rows(), None)


# Any number: the key of the transaction-level advisory lock that recounts take.
RECOUNT_LOCK = 27_1946


def _one_recount_at_a_time() -> None:
    """Wait for any other transaction's recount to commit (PostgreSQL).

    Each recount deletes and re-inserts its years' rows and rewrites the resolution
    numbers' gaps whole; two overlapping ones (an editor's save during a sync's
    recount, two saves at once) would each miss the other's new rows under READ
    COMMITTED, and the second would fail on the gaps' unique ``first``. The lock is
    held to the end of the transaction, which a recount ends (refresh_outcomes is
    the last write of a save or a sync). SQLite has one writer at a time already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RECOUNT_LOCK])


def empty() -> None:
    """Delete every count (before the rows they refer to go: the release loader's
    ``--replace``)."""
    _delete(CountedDraft, "year", None)
    for model, _ in COUNTS:
        _delete(model, "year", None)
    _delete(ResolutionGap, "first", None)


def _moved_years(draft_ids: Collection[int]) -> set[int]:
    """The years the drafts were counted in and the years they fall in now."""
    counted = CountedDraft.objects.filter(draft_id__in=draft_ids)
    years = set(counted.values_list("year", flat=True))
    _delete(CountedDraft, "draft_id", draft_ids)
    _insert(CountedDraft, _counted_drafts(draft_ids))
    return years | set(counted.values_list("year", flat=True))


def _counted_drafts(draft_ids: Collection[int] | None) -> QuerySet:
    drafts = _draft_model().objects.filter(date__isnull=False)
    if draft_ids is not None:
        drafts = drafts.filter(pk__in=draft_ids)
    return drafts.annotate(year=year_of()).values_list("pk", "year")


def _draft_model() -> Any:
    # Any: looked up by name, votes never imports resolutions.
    return apps.get_model("resolutions", "Draft")


def _replace(model: type[Model], rows: QuerySet, years: Years) -> None:
    _delete(model, "year", years)
    _insert(model, rows)


def _delete(model: type[Model], column: str, values: Collection[int] | None) -> None:
    """One DELETE (of every row for None): QuerySet.delete() would read each row
    back first, to send post_delete for it (resolutions.signals listens to every model)."""
    sql = f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}"  # noqa: S608
    params = sorted(values) if values is not None else []
    if values is not None:
        sql += f" WHERE {column} IN ({', '.join(['%s'] * len(params))})"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _insert(model: type[Model], rows: QuerySet) -> None:
    """``INSERT INTO model's table SELECT rows``: ``rows`` is a ``values_list`` in the
    order of the model's concrete fields (its auto id left out)."""
    columns = [str(f.column) for f in model._meta.concrete_fields if not f.auto_created]
    sql, params = rows.order_by().query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)


def _in(rows: QuerySet, years: Years, draft: str = "draft") -> QuerySet:
    """Rows (of drafts, or of what ``draft`` names) in these years, annotated ``year``."""
    date_field = "date" if draft == "pk" else f"{draft}__date"
    rows = rows.annotate(year=year_of(date_field))
    if years is None:
        return rows
    # The drafts' ids first: the database then reads the rows of those drafts only,
    # by their draft's index, instead of every row to compute its year.
    drafts = _draft_model().objects.filter(in_years("date", years)).values("pk")
    return rows.filter(**{f"{draft}__in": drafts})


def in_years(field: str, years: Collection[int]) -> Q:
    """``field`` falls in one of the years: date ranges, which an index on the date serves
    (a year extracted from every row is computed for every row)."""
    found = Q(pk__in=[])
    for year in years:
        found |= Q(**{f"{field}__range": (date(year, 1, 1), date(year, 12, 31))})
    return found


def agreement_rows(years: Years) -> QuerySet:
    """Each cast vote on a published recorded draft against each permanent seat's cast
    vote there by another state: grouped by year, member, both seats and positions."""
    votes = MemberVote.objects.filter(
        counted("draft__"),
        draft__modality=Modality.RECORDED_VOTE,
        position__in=VOTED,
        draft__member_votes__position__in=VOTED,
        draft__member_votes__seat__isnull=False,
    ).annotate(other_state=F("draft__member_votes__state"))
    keys = (
        "year",
        "state",
        "seat",
        "draft__member_votes__seat",
        "position",
        "draft__member_votes__position",
    )
    return (
        _in(votes.exclude(other_state=F("state")), years)
        .values(*keys)
        .annotate(votes=Count("pk"))
        .values_list(*keys, "votes")
    )


def _stood(kind: str) -> Exists:
    """Whether the outer member vote's state has a standing of this kind on its draft."""
    standing = apps.get_model("resolutions", "Standing")
    return Exists(
        standing.objects.filter(draft=OuterRef("draft"), state=OuterRef("state"), kind=kind)
    )


def state_rows(years: Years) -> QuerySet:
    """Each member's votes on published drafts by year, name, modality and position."""
    keys = ("year", "state", "name_at_vote", "draft__modality", "position")
    votes = MemberVote.objects.filter(counted("draft__"))
    return (
        _in(votes, years)
        .values(*keys)
        .annotate(
            votes=Count("pk"),
            first=Min("draft__date"),
            decisive=Count("pk", filter=_stood("decisive")),
            isolated=Count("pk", filter=_stood("isolated")),
            near_miss=Count("pk", filter=Q(draft__near_miss=True)),
        )
        .values_list(*keys, "votes", "first", "decisive", "isolated", "near_miss")
    )


def veto_rows(years: Years) -> QuerySet:
    """Vetoes of published drafts by year, seat and the state (and name) casting them."""
    keys = ("year", "seat", "state", "name_at_vote")
    return (
        _in(Veto.objects.filter(counted("draft__")), years)
        .values(*keys)
        .annotate(vetoes=Count("pk"), first=Min("draft__date"), last=Max("draft__date"))
        .values_list(*keys, "vetoes", "first", "last")
    )


def draft_rows(years: Years) -> QuerySet:
    """Published drafts by year; their recorded votes with all five seats, and split;
    the recorded votes, vetoed and failed, each with and without member votes."""
    drafts = _in(_draft_model().objects.published(), years, "pk").annotate(
        p5_count=p5_recorded(),
        p5_distinct=p5_positions(),
        has_any=Exists(MemberVote.objects.filter(draft=OuterRef("pk"))),
    )
    recorded = Q(modality=Modality.RECORDED_VOTE)
    five = recorded & Q(p5_count=len(SEAT_ORDER))
    vetoed = recorded & Q(outcome=Outcome.VETOED)
    failed = recorded & Q(outcome__in=(Outcome.VETOED, Outcome.NOT_ADOPTED))
    voted = Q(has_any=True)
    counts = {
        "n_drafts": Count("pk"),
        "n_p5_recorded": Count("pk", filter=five),
        "n_p5_divided": Count("pk", filter=five & Q(p5_distinct__gt=1)),
        "n_recorded": Count("pk", filter=recorded),
        "n_recorded_with_votes": Count("pk", filter=recorded & voted),
        "n_vetoed": Count("pk", filter=vetoed),
        "n_vetoed_with_votes": Count("pk", filter=vetoed & voted),
        "n_failed": Count("pk", filter=failed),
        "n_failed_with_votes": Count("pk", filter=failed & voted),
        "n_drafts_vetoed": Count("pk", filter=Q(outcome=Outcome.VETOED)),
    }
    return drafts.values("year").annotate(**counts).values_list("year", *counts)


def vote_rows(years: Years) -> QuerySet:
    """Published votes by year and kind: every kind, each vote having its page."""
    votes = _in(_draft_model().objects.published_votes(), years, "pk")
    return votes.values("year", "kind").annotate(n=Count("pk")).values_list("year", "kind", "n")


def gap_rows() -> QuerySet:
    """The resolution numbers no draft carries (published or not), as ranges: each held
    number above the one held before it plus one ends a gap. The first number held
    follows 0, so the numbers below it are a gap too; none is counted above the highest.
    What ``DraftQuerySet.resolution_number_gaps`` counts, and its test recounts."""
    numbers = _draft_model().objects.filter(resolution_number__gte=1)
    before = Window(Lag("resolution_number", default=0), order_by=F("resolution_number").asc())
    return (
        numbers.annotate(before=before)
        .filter(resolution_number__gt=F("before") + 1)
        .annotate(gap_first=F("before") + 1, gap_last=F("resolution_number") - 1)
        .values_list("gap_first", "gap_last")
    )


# A draft with every member's vote is classed by the weakest evidence among them:
# one compiled vote makes it "compiled", else one deduced vote "deduced", else one
# editor's vote "editor", else "official" (resolutions.coverage words the classes).
WEAKEST_FIRST = (Evidence.COMPILED, Evidence.DEDUCED, Evidence.EDITOR)
COVERAGE_CLASSES = ("official", "editor", "deduced", "compiled", "incomplete", "none")


def sources_of(evidence: Evidence) -> list[str]:
    return [s for s in Source.values if evidence_of(s) == evidence]


# The Charter's number of seats on the outer draft's date (council_size); the
# worklist's rule uses it too (resolutions.models).
COUNCIL_SIZE = Case(
    When(date__lt=ENLARGEMENT, then=Value(council_size(ENLARGEMENT - timedelta(days=1)))),
    default=Value(council_size(ENLARGEMENT)),
    output_field=IntegerField(),
)


def vote_class() -> Case:
    """What backs the outer draft's member votes: "" (adopted without a vote), "none",
    "incomplete" (a member who sat that day has no vote, or fewer sat than the Charter
    gives seats: the worklist's rule, ``DraftQuerySet.incomplete_votes``), else the
    weakest evidence among them. Needs ``with_vote_completeness()``'s annotations."""
    votes = MemberVote.objects.filter(draft=OuterRef("pk"))
    return Case(
        When(~Q(modality=Modality.RECORDED_VOTE), then=Value("")),
        When(~Exists(votes), then=Value("none")),
        When(Q(seats_unvoted__gt=0) | Q(seats_sitting__lt=COUNCIL_SIZE), then=Value("incomplete")),
        *(
            When(Exists(votes.filter(source__in=sources_of(e))), then=Value(str(e)))
            for e in WEAKEST_FIRST
        ),
        default=Value(str(Evidence.OFFICIAL)),
        output_field=CharField(),
    )


def coverage_rows(years: Years) -> QuerySet:
    """Published drafts by year, outcome and what backs their member votes."""
    drafts = _in(_draft_model().objects.published().with_vote_completeness(), years, "pk")
    keys = ("year", "outcome", "backing")
    return (
        drafts.annotate(backing=vote_class())
        .values(*keys)
        .annotate(n=Count("pk"))
        .values_list(*keys, "n")
    )


COUNTS: tuple[tuple[type[Model], Callable[[Years], QuerySet]], ...] = (
    (AgreementYear, agreement_rows),
    (StateYear, state_rows),
    (VetoYear, veto_rows),
    (DraftYear, draft_rows),
    (CoverageYear, coverage_rows),
    (VoteYear, vote_rows),
)
