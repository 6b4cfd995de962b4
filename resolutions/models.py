"""What the Council votes on: drafts (adopted or not), meetings, agenda items.

The central record is :class:`Draft`: one draft put to the vote. If adopted it
carries its resolution number. It keeps apart three kinds of facts:

* what the sources (or an editor) *recorded*: totals and a stated outcome;
* what the outcome engine *computed* from them (``votes.outcome.decide``),
  written only by :mod:`resolutions.outcomes`;
* where each field came from (``field_sources``) and what every source said
  (``sources``), so that disagreements are shown rather than resolved silently.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Upper
from django.urls import reverse
from simple_history.models import HistoricalRecords

from votes.choices import (
    AMENDING_KINDS,
    SECONDARY,
    Basis,
    Modality,
    Outcome,
    Source,
    VoteKind,
    counted,
)
from votes.models import MembershipTerm, MemberState, MemberVote, ResolutionGap, Veto
from votes.outcome import Tally, seat_sort_key
from votes.yearly import COUNCIL_SIZE

UNDOCS = "https://undocs.org/en/"

# What the sources (or an editor) recorded of a vote, kept apart from what the
# engine computes; the admin, its checks and the importers all handle them together.
RECORDED_FIELDS = (
    "recorded_yes",
    "recorded_no",
    "recorded_abstain",
    "recorded_non_voting",
    "recorded_members",
    "recorded_outcome",
    "recorded_vetoed_by",
)


def undocs_url(symbol: str) -> str:
    """The UN Official Document System's permanent address for a symbol."""
    return UNDOCS + symbol.replace(" ", "")


class Meeting(models.Model):
    symbol = models.CharField(max_length=40, unique=True, help_text="e.g. S/PV.9048")
    number = models.PositiveIntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # ``?meeting=S/PV.9048`` and ``?q=S/PV.9048`` (filters.symbol_query): Django's
            # ``symbol__iexact`` is ``UPPER(symbol) = UPPER(…)``, which the unique index
            # on the plain column cannot serve.
            models.Index(Upper("symbol"), name="meeting_symbol_upper_idx"),
        ]

    # Who changed a meeting and when: its optimistic lock (votes.locking.HistoryLock)
    # and its History page, as for drafts. Imports write meetings in bulk, unlogged.
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.symbol

    @property
    def url(self) -> str:
        return undocs_url(self.symbol)


class AgendaItem(models.Model):
    name = models.CharField(max_length=1000, unique=True)

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.name


def _terms_on_the_draft_date():
    """The Council terms covering the outer draft's date (``MembershipTerm.objects.on``)."""
    on = OuterRef("date")
    return MembershipTerm.objects.filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))


def _counted(terms) -> Func:
    # COUNT as a plain function, so that the subquery has no GROUP BY and always
    # gives one row (0 for no terms) on SQLite and PostgreSQL alike.
    return terms.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")


# The sources whose first and last records /data/ and every counting page's caveat
# name (resolutions.coverage.source_spans; its DRAFT_SOURCES, which a test keeps equal).
SPAN_SOURCES = (
    Source.UNDL,
    Source.DHL_VETO,
    Source.DHL_MEETINGS,
    Source.UNXML,
    Source.UNXML_ADOPTED,
    Source.DPPA_VETOES,
    Source.VOTING_AGENT,
    Source.YORDAN_VETOES,
    Source.FAILED_DRAFTS_SAMPLE,
)


def span_index(source: str) -> models.Index:
    """The dates of the drafts a source describes: its first and last record are then
    ``WHERE sources ? 'undl' AND date IS NOT NULL ORDER BY date [DESC] LIMIT 1``, one
    index lookup each, where ``MIN(date) FILTER (WHERE sources ? …)`` read every row's
    ``sources`` JSON (270 ms on the full record, ten times that at 10x)."""
    return models.Index(
        fields=["date"],
        condition=Q(sources__has_key=source, date__isnull=False),
        name=f"draft_span_{source[:12]}_idx",
    )


class SearchIndex(GinIndex):
    """A GIN index on PostgreSQL; a plain one elsewhere, which has no GIN.

    SQLite searches by a plain scan (``resolutions.search``) and never fills the
    column, but it must be able to build the table (its migrations rebuild whole
    tables, indexes included), so there the index is an ordinary one.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, using=using, **kwargs)


# Resolutions adopted on one day are numbered in order; drafts without a number
# fall back on their id, i.e. the order they were recorded. Drafts without a number
# come first on their day on every database (PostgreSQL's default for DESC, and
# the order draft_published_date_idx holds; SQLite's default is the reverse), so
# that a download is the same bytes whichever database serves it.
NEWEST_FIRST = (
    F("date").desc(),
    F("resolution_number").desc(nulls_first=True),
    F("id").desc(),
)


# What no row of a list (votes, vetoes) shows: the per-source JSON (about 1.1 KB a
# draft), the search vector, the free-text description. Left out of the rows'
# query, on the draft and on the draft an amendment amends.
NOT_IN_LIST_ROWS = (
    "sources",
    "field_sources",
    "search_vector",
    "description",
    "outcome_disagreements",
    "recorded_vetoed_by",
)


class DraftQuerySet(models.QuerySet):
    def for_list_rows(self) -> DraftQuerySet:
        """Without the columns a list row never shows (NOT_IN_LIST_ROWS)."""
        return self.defer(*NOT_IN_LIST_ROWS, *(f"amends__{name}" for name in NOT_IN_LIST_ROWS))

    def published(self) -> DraftQuerySet:
        """Published votes on draft resolutions: what every list and count counts.

        Votes on amendments and preliminary questions are left out here, the one place
        (``votes.choices.counted``); ``published_votes`` includes them.
        """
        return self.filter(counted())

    def published_votes(self, kind: str | None = None) -> DraftQuerySet:
        """Every published vote, of one kind when given (``amendment``)."""
        found = self.filter(is_published=True)
        return found.filter(kind=kind) if kind else found

    def amendments(self) -> DraftQuerySet:
        return self.filter(kind__in=AMENDING_KINDS)

    def vetoed(self) -> DraftQuerySet:
        return self.filter(outcome=Outcome.VETOED)

    def adopted(self) -> DraftQuerySet:
        return self.filter(outcome=Outcome.ADOPTED)

    def not_adopted(self) -> DraftQuerySet:
        return self.filter(outcome=Outcome.NOT_ADOPTED)

    def recorded_votes(self) -> DraftQuerySet:
        return self.filter(modality=Modality.RECORDED_VOTE)

    def compiled_only(self) -> DraftQuerySet:
        """Records no official source describes, only a compilation (Draft.compiled_only)."""
        return self.filter(_COMPILED_ONLY)

    def officially_recorded(self) -> DraftQuerySet:
        """Records at least one official source (or an editor) describes."""
        return self.exclude(_COMPILED_ONLY)

    def with_vote_completeness(self) -> DraftQuerySet:
        """Annotate ``seats_sitting`` (members who sat that day) and ``seats_unvoted``
        (those of them with no vote on the draft): one correlated subquery each."""
        unvoted = _terms_on_the_draft_date().filter(
            ~Exists(
                MemberVote.objects.filter(draft=OuterRef(OuterRef("pk")), state=OuterRef("state"))
            )
        )
        return self.annotate(
            seats_sitting=_counted(_terms_on_the_draft_date()), seats_unvoted=_counted(unvoted)
        )

    def incomplete_votes(self) -> DraftQuerySet:
        """Published recorded votes lacking the vote of a member who sat that day.

        The editors' worklist and the coverage table's count. A day with fewer
        members on record than the Charter's seats counts as incomplete too: who
        sat is not fully known, so neither is whether every member voted. Drafts
        adopted without a vote are left out: there is no vote to enter.
        """
        return (
            self.published()
            .recorded_votes()
            .with_vote_completeness()
            .filter(Q(seats_unvoted__gt=0) | Q(seats_sitting__lt=COUNCIL_SIZE))
        )

    def resolution_number_gaps(self, limit: int = 100) -> tuple[int, list[int]]:
        """How many resolution numbers up to the highest held no draft here carries,
        and the first ``limit`` of them.

        Resolutions are numbered 1, 2, 3... across all years, so a gap is a
        resolution no loaded source lists (three in 2025 with the copies in
        ../shared/data), not a number that was never used. Counted without
        listing every number, so that a mistyped S/RES/27970 shows as 25,000
        gaps instead of exhausting memory.
        """
        numbers = self.filter(resolution_number__gte=1)
        # Counted by the number, not the id: the unique index alone answers (an
        # index-only scan), where COUNT(id) read every row of a wide table.
        held = numbers.aggregate(
            top=Max("resolution_number"),
            low=Min("resolution_number"),
            n=Count("resolution_number"),
        )
        if not held["n"]:
            return 0, []
        # Where each gap starts: a held number whose successor is not held, with the
        # next held number; the unique index on resolution_number serves both lookups,
        # and LIMIT stops at the gaps shown, where listing every number held was
        # O(drafts) on every /data/.
        successor = numbers.filter(resolution_number=OuterRef("resolution_number") + 1)
        following = (
            numbers.filter(resolution_number__gt=OuterRef("resolution_number"))
            .order_by("resolution_number")
            .values("resolution_number")[:1]
        )
        # The highest number held has no next: it ends the list (filtering it out in
        # SQL would compute the next number for every row before the LIMIT).
        edges = (
            numbers.filter(~Exists(successor))
            .annotate(next_held=Subquery(following))
            .order_by("resolution_number")
            .values_list("resolution_number", "next_held")[: limit + 1]
        )
        first = list(range(1, min(held["low"], limit + 1)))
        for number, next_held in edges:
            if next_held is None:
                break
            first += range(number + 1, min(next_held, number + 1 + limit - len(first)))
            if len(first) >= limit:
                break
        return held["top"] - held["n"], first[:limit]

    def for_country(self, state, position: str | None = None) -> DraftQuerySet:
        """Drafts on which a member state has a vote (cast that way, given a position)."""
        # EXISTS rather than a join, so that each draft stays one row whatever else
        # is joined, and the list's COUNT and pages agree.
        votes = MemberVote.objects.filter(draft=OuterRef("pk"), state=state)
        if position:
            votes = votes.filter(position=position)
        return self.filter(Exists(votes))

    def vetoed_by_seat(self, seat_code: str) -> DraftQuerySet:
        """Drafts vetoed from a permanent seat, its predecessors included."""
        vetoes = Veto.objects.filter(draft=OuterRef("pk"), seat__code=seat_code)
        return self.filter(Exists(vetoes))

    def newest_first(self) -> DraftQuerySet:
        return self.order_by(*NEWEST_FIRST)


# A draft's title and resolution symbol from its values, for the model's properties
# and for the dumps, which read plain values (resolutions.exports).


def display_title(title: str, built_title: str) -> str:
    return title or built_title


def title_is_built(title: str, built_title: str) -> bool:
    return not title and bool(built_title)


def resolution_symbol(number: int | None, year: int | None) -> str:
    return "" if number is None else f"S/RES/{number} ({year})"


def stored_resolution_gaps(limit: int = 100) -> tuple[int, list[int]]:
    """``Draft.objects.resolution_number_gaps(limit)``, every draft's numbers, read from
    the gaps' ranges that votes/yearly.py keeps (``ResolutionGap``, rewritten by
    ``refresh_outcomes``): two queries of a row per range, where counting the numbers
    held and walking them to the first gaps read every number on each /data/."""
    count = ResolutionGap.objects.aggregate(n=Sum(F("last") - F("first") + 1))["n"] or 0
    first: list[int] = []
    # Each range holds one number at least: ``limit`` ranges are enough to list.
    for low, high in ResolutionGap.objects.order_by("first").values_list("first", "last")[:limit]:
        first += range(low, min(high + 1, low + limit - len(first)))
        if len(first) >= limit:
            break
    return count, first


# Created by a compilation and described by no other kind of source since.
# (Votes on amendments, which only the compilation gives, are records of another kind.)
_COMPILED_ONLY = Q(kind=VoteKind.DRAFT_RESOLUTION, source__in=SECONDARY) & ~Q(
    sources__has_any_keys=[key for key in Source.values if key not in SECONDARY]
)


class Draft(models.Model):
    """One draft resolution put to the vote, adopted or not.

    A vote on an amendment to a draft, or on the "preliminary question" of whether a
    matter is procedural, is a record of its own (``kind``) naming the draft (``amends``),
    decided by the same engine and left out of every count of drafts (``published``).
    """

    kind = models.CharField(
        max_length=20,
        choices=VoteKind,
        default=VoteKind.DRAFT_RESOLUTION,
        db_index=True,
        help_text="What was put to the vote: a draft resolution, or an amendment to one.",
    )
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendment_votes",
        help_text="The draft an amendment or preliminary question was voted on.",
    )

    # Symbols -----------------------------------------------------------------
    draft_symbol = models.CharField(
        max_length=60,
        blank=True,
        db_index=True,
        help_text="e.g. S/2022/431. The UN's voting data has draft symbols only from 1998.",
    )
    resolution_number = models.PositiveIntegerField(null=True, blank=True)
    resolution_year = models.PositiveSmallIntegerField(null=True, blank=True)

    # The record --------------------------------------------------------------
    date = models.DateField()
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )
    press_release = models.CharField(max_length=40, blank=True, help_text="e.g. SC/14911")
    title = models.CharField(max_length=1000, blank=True)
    # When no source gives a title: one built from the agenda item and the sponsors
    # (resolutions/pipeline/sponsors.py), always shown as built.
    built_title = models.CharField(max_length=1000, blank=True, editable=False)
    description = models.TextField(blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="drafts"
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="drafts")
    sponsors = models.ManyToManyField(
        MemberState, through="Sponsorship", blank=True, related_name="sponsored_drafts"
    )
    modality = models.CharField(max_length=20, choices=Modality, default=Modality.RECORDED_VOTE)
    procedural = models.BooleanField(
        default=False, help_text="Procedural matters cannot be vetoed (Article 27(2))."
    )
    party_to_dispute_abstained = models.BooleanField(
        default=False,
        help_text="Article 27(3): a party to a dispute abstained as obliged. "
        "Recorded only; it does not decide the outcome.",
    )

    # Recorded by a source or an editor, kept apart from what is computed ------
    recorded_yes = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_no = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_non_voting = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_members = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_outcome = models.CharField(max_length=20, choices=Outcome, blank=True)
    recorded_vetoed_by = models.JSONField(
        default=list, blank=True, help_text="Seat codes a source named as vetoing."
    )

    # Computed by the outcome engine; written only by resolutions.outcomes ----
    tally_yes = models.PositiveSmallIntegerField(null=True, editable=False)
    tally_no = models.PositiveSmallIntegerField(null=True, editable=False)
    tally_abstain = models.PositiveSmallIntegerField(null=True, editable=False)
    tally_non_voting = models.PositiveSmallIntegerField(null=True, editable=False)
    outcome = models.CharField(
        max_length=20, choices=Outcome, default=Outcome.UNKNOWN, editable=False
    )
    outcome_basis = models.CharField(
        max_length=20, choices=Basis, default=Basis.NONE, editable=False
    )
    required_votes = models.PositiveSmallIntegerField(default=9, editable=False)
    outcome_disagreements = models.JSONField(default=list, blank=True, editable=False)
    outcome_disputed = models.BooleanField(default=False, editable=False)
    # Where the vote stood (votes/standing.py): yes votes minus those required, and
    # whether it failed by one vote with no permanent member against.
    margin = models.SmallIntegerField(null=True, editable=False)
    near_miss = models.BooleanField(default=False, editable=False)

    # Provenance --------------------------------------------------------------
    source = models.CharField(
        max_length=20, choices=Source, default=Source.EDITOR, help_text="First source."
    )
    undl_record_id = models.CharField(max_length=20, blank=True)
    sources = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per source: its version, link, location and the values it gave.",
    )
    field_sources = models.JSONField(
        default=dict, blank=True, help_text="Per field: the source that gave its current value."
    )
    # The words ``?q=`` searches (title, symbols, agenda item, description) as
    # PostgreSQL's tsvector; written only by resolutions.search.refresh_search,
    # which refresh_outcomes and load_release call. Null on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    # Editorial ---------------------------------------------------------------
    is_published = models.BooleanField(
        default=False, help_text="Unpublished records appear on no public page, export or count."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()
    # Who changed what and when; imports are logged by SourceImport instead.
    history = HistoricalRecords(
        excluded_fields=["sources", "field_sources", "search_vector"], m2m_fields=["subjects"]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution_number"],
                condition=Q(resolution_number__isnull=False),
                name="unique_resolution_number",
            ),
            models.CheckConstraint(
                condition=Q(resolution_number__isnull=True, resolution_year__isnull=True)
                | Q(resolution_number__isnull=False, resolution_year__isnull=False),
                name="resolution_number_has_year",
            ),
            models.CheckConstraint(
                condition=Q(resolution_number__isnull=True)
                | Q(outcome=Outcome.ADOPTED)
                | Q(outcome=Outcome.UNKNOWN)
                | Q(outcome_disputed=True),
                name="numbered_resolution_is_adopted_or_disputed",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True) | Q(kind__in=AMENDING_KINDS),
                name="only_amendments_amend_a_draft",
            ),
            models.CheckConstraint(
                condition=~Q(kind=VoteKind.AMENDMENT) | Q(amends__isnull=False),
                name="amendment_names_its_draft",
            ),
            models.CheckConstraint(
                condition=Q(resolution_number__isnull=True) | Q(kind=VoteKind.DRAFT_RESOLUTION),
                name="only_a_draft_becomes_a_resolution",
            ),
        ]
        indexes = [
            # Every public list: published records, newest first (and ``?sort=date``,
            # read backwards); ``?year_from=``/``year_to=`` (a date range).
            models.Index(
                fields=["is_published", "-date", "-resolution_number"],
                name="draft_published_date_idx",
            ),
            # The list's other sorts (resolutions.tables.DraftTable), each
            # ``WHERE is_published ORDER BY … LIMIT 50``, read forwards or backwards:
            # ``?sort=symbols``,
            models.Index(
                fields=["is_published", "resolution_number", "draft_symbol"],
                name="draft_published_symbol_idx",
            ),
            # ``?sort=title``,
            models.Index(fields=["is_published", "title"], name="draft_published_title_idx"),
            # ``?sort=tally``,
            models.Index(
                fields=["is_published", "tally_yes", "tally_no"], name="draft_published_tally_idx"
            ),
            # and ``?sort=outcome``.
            models.Index(fields=["is_published", "outcome"], name="draft_published_outcome_idx"),
            # ``?near_miss=yes`` (a few dozen drafts), newest first.
            models.Index(
                fields=["-date"], condition=Q(near_miss=True), name="draft_near_miss_date_idx"
            ),
            # ``?q=S/2022/431``, the ``/S/2022/431`` permalinks and ``?q=SC/14911``
            # (filters.symbol_query): ``UPPER(draft_symbol) = UPPER(…)``, as ``iexact``
            # is; the plain index on draft_symbol serves the importers' exact matches.
            models.Index(Upper("draft_symbol"), name="draft_symbol_upper_idx"),
            models.Index(Upper("press_release"), name="draft_press_release_upper_idx"),
            # Outcome filters and veto/outcome counts by period.
            models.Index(fields=["outcome", "date"], name="draft_outcome_date_idx"),
            # A vote's page: the previous and the next vote on its agenda item
            # (resolutions.views.detail._neighbour), ``WHERE agenda_item_id = … AND
            # date <= … ORDER BY date DESC, id DESC LIMIT 1`` and the reverse: one index
            # step, where the newest-first index was read back from today to the vote
            # (2,920 rows skipped for S/2022/431 at 10x) or the item's rows sorted.
            models.Index(
                fields=["agenda_item", "date", "id"],
                condition=Q(is_published=True),
                name="draft_item_date_idx",
            ),
            # data_last_modified() (resolutions/provenance.py): the newest
            # ``ORDER BY updated_at DESC LIMIT 1`` before every API response, feed and
            # download, 304s included; without it each one scans the table.
            models.Index(fields=["-updated_at"], name="draft_updated_at_idx"),
            # ``?q=`` on /votes/, its downloads and the API (DraftFilter.filter_text):
            # ``WHERE search_vector @@ websearch_to_tsquery('english', …)``.
            SearchIndex(fields=["search_vector"], name="draft_search_vector_idx"),
            # Draft.objects.compiled_only() (the records only a compilation gives, listed
            # on /data/): ``WHERE source IN (<the compilations>)``, a few dozen rows, where
            # /data/ read every numbered draft's sources JSON to find them.
            models.Index(fields=["source"], name="draft_source_idx"),
            # Each source's first and last record (span_index).
            *(span_index(source) for source in SPAN_SOURCES),
        ]

    def __str__(self) -> str:
        return self.symbol

    def get_absolute_url(self) -> str:
        return reverse("resolutions:detail", args=[self.pk])

    # How a built title is marked, on the page and in the exports.
    TITLE_BUILT_NOTE = "title built from the agenda item and the sponsors; no source gives one"

    @property
    def display_title(self) -> str:
        """The sources' title, else the built one (``title_is_built`` says which)."""
        return display_title(self.title, self.built_title)

    @property
    def title_is_built(self) -> bool:
        return title_is_built(self.title, self.built_title)

    # Symbols -----------------------------------------------------------------
    @property
    def resolution_symbol(self) -> str:
        return resolution_symbol(self.resolution_number, self.resolution_year)

    @property
    def symbol(self) -> str:
        """The best name for the record: its resolution, else its draft symbol."""
        if self.amends_id is not None:
            return self.amendment_name
        return (
            self.resolution_symbol
            or self.draft_symbol
            or (f"Draft voted at {self.meeting}" if self.meeting_id else f"Draft of {self.date}")
        )

    @property
    def compiled_only(self) -> bool:
        """Whether only third-party compilations describe this vote: no official
        source's entry (resolutions.pipeline.compiled_only), so the page says so."""
        return (
            self.kind == VoteKind.DRAFT_RESOLUTION
            and self.source in SECONDARY
            and all(key in SECONDARY for key in self.sources or {})
        )

    @property
    def amendment_name(self) -> str:
        """'Amendment S/2024/323 to S/2024/302', or 'Amendment to S/2023/1029'."""
        own = f" {self.draft_symbol}" if self.draft_symbol else ""
        # The draft as it was voted on, not the resolution it may have become.
        amended = self.amends.draft_symbol or self.amends.symbol
        return f"{self.get_kind_display()}{own} to {amended}"

    @property
    def is_amendment(self) -> bool:
        return self.kind in AMENDING_KINDS

    @property
    def draft_symbol_is_meeting_record(self) -> bool:
        """Some early Veto List rows give the meeting record where the draft should be."""
        return self.draft_symbol.startswith("S/PV.")

    # Tallies -----------------------------------------------------------------
    @property
    def recorded_tally(self):
        if None in (self.recorded_yes, self.recorded_no, self.recorded_abstain):
            return None
        return Tally(
            self.recorded_yes,
            self.recorded_no,
            self.recorded_abstain,
            self.recorded_non_voting or 0,
        )

    @property
    def tally(self):
        if self.tally_yes is None:
            return None
        return Tally(self.tally_yes, self.tally_no, self.tally_abstain, self.tally_non_voting or 0)

    @property
    def is_recorded_vote(self) -> bool:
        return self.modality == Modality.RECORDED_VOTE

    @property
    def year(self) -> int:
        return self.date.year

    # How the outcome reads, the same on every page and in the admin ----------
    def vetoing_names(self) -> list[str]:
        """Names of the vetoing members on the day, in seat order (uses prefetched vetoes)."""
        vetoes = sorted(self.vetoes.all(), key=lambda v: seat_sort_key(v.seat.code))
        return [v.name_at_vote for v in vetoes]

    @property
    def outcome_label(self) -> str:
        """Short form for tables and badges: 'Vetoed by China, Russian Federation'."""
        if self.outcome == Outcome.VETOED:
            return "Vetoed by " + ", ".join(self.vetoing_names())
        if self.outcome == Outcome.ADOPTED and not self.is_recorded_vote:
            return f"Adopted {self.get_modality_display().lower()}"
        return self.get_outcome_display()

    @property
    def outcome_sentence(self) -> str:
        """Plain statement: 'Vetoed by China and the Russian Federation'."""
        if self.outcome == Outcome.VETOED:
            return f"Vetoed by {join_names(self.vetoing_names())}"
        if self.outcome == Outcome.NOT_ADOPTED:
            return self._not_adopted_sentence()
        if self.outcome == Outcome.ADOPTED:
            return self._adopted_sentence()
        if self.outcome_disputed:
            return "Outcome unknown: the sources' tally and result contradict each other"
        return "Outcome unknown: no source gives a tally or a result"

    def _not_adopted_sentence(self) -> str:
        tally = self.tally
        if tally is None:
            return "Not adopted"
        in_favour = "vote" if tally.yes == 1 else "votes"
        return f"Not adopted: {tally.yes} {in_favour} in favour, {self.required_votes} required"

    def _adopted_sentence(self) -> str:
        if not self.is_recorded_vote:
            return f"Adopted {self.get_modality_display().lower()}"
        tally = self.tally
        if tally is None:
            return "Adopted"
        return f"Adopted with {tally.yes} votes in favour ({self.required_votes} required)"


class Sponsorship(models.Model):
    """A state (or, as written, a body such as "President") that submitted a draft.

    Written by ``resolutions.pipeline.sponsors`` from the best-ranked source that
    names sponsors: an official one (DGACM) over a compilation, which fills only
    where no official source says.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="sponsorships")
    state = models.ForeignKey(
        MemberState,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsorships",
        help_text="Empty when the source names no state (the President, a committee).",
    )
    name = models.CharField(max_length=200, help_text="As the source writes it.")
    position = models.PositiveSmallIntegerField(help_text="Its place in the source's list.")
    source = models.CharField(max_length=20, choices=Source)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "position"], name="one_sponsor_per_place"),
            models.UniqueConstraint(
                fields=["draft", "state"],
                condition=Q(state__isnull=False),
                name="state_sponsors_a_draft_once",
            ),
        ]
        indexes = [
            # The sponsor filter: ?sponsor=<slug> (drafts a state submitted).
            models.Index(fields=["state", "draft"], name="sponsorship_state_draft_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} on {self.draft_id}"

    @property
    def source_label(self) -> str:
        """Where the sponsor comes from, as the page and exports word it."""
        kind = "compiled" if self.source in SECONDARY else "official"
        return f"{Source(self.source).label} ({kind})"


def sponsors_prefetch() -> Prefetch:
    """A draft's sponsors in the source's order, with their states: one query per page."""
    return Prefetch(
        "sponsorships", queryset=Sponsorship.objects.select_related("state").order_by("position")
    )


class Standing(models.Model):
    """A member that was decisive on a draft, or stood alone on it (votes/standing.py).

    Derived from the member votes like ``Veto``, and written only by
    ``resolutions.outcomes.refresh_outcomes``; the list's ``decisive=`` and
    ``isolated=`` filters and the country pages' counts read it.
    """

    class Kind(models.TextChoices):
        DECISIVE = "decisive", "Decisive"
        ISOLATED = "isolated", "Stood alone"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="standings")
    state = models.ForeignKey(
        "votes.MemberState", on_delete=models.PROTECT, related_name="standings"
    )
    # The permanent seat it voted from, if any: ``isolated=RUS`` includes the USSR.
    seat = models.ForeignKey(
        "votes.PermanentSeat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="standings",
    )
    name_at_vote = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "state", "kind"], name="one_standing_per_member_and_kind"
            ),
        ]
        indexes = [models.Index(fields=["kind", "state"], name="standing_kind_state_idx")]

    def __str__(self) -> str:
        return f"{self.name_at_vote}: {self.get_kind_display()}"


class Disagreement(models.Model):
    """Two sources (or a source and an editor) that say different things.

    Recorded by the importers, listed by ``manage.py data_report`` and in the
    admin; never resolved silently.
    """

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        TALLY = "tally", "Tally"
        DATE = "date", "Date"
        FIELD = "field", "Other field"
        EDITOR = "editor", "Editor's value kept over a source"
        MEMBERSHIP = "membership", "Membership"
        MATCH = "match", "Record could not be matched"

    # The ``field`` of a tally flag raised by refresh_outcomes when a draft's member
    # votes do not add up to its recorded totals. Whichever source or editor gave
    # them, the flag follows the stored votes, so importers leave it alone.
    TOTALS_VS_VOTES = "recorded totals vs member votes"
    # The ``field`` of a compilation naming other sponsors than the official source;
    # written only by resolutions.pipeline.sponsors, after every load.
    SPONSORS = "sponsors"

    draft = models.ForeignKey(
        Draft, null=True, blank=True, on_delete=models.CASCADE, related_name="disagreements"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    field = models.CharField(max_length=60, blank=True)
    values = models.JSONField(help_text="What each side says, keyed by source.")
    detail = models.TextField(blank=True)
    detected_by = models.CharField(max_length=20, choices=Source)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "kind", "field", "detected_by"],
                name="one_disagreement_per_draft_field_source",
            ),
        ]

    def __str__(self) -> str:
        where = self.draft.symbol if self.draft_id else "membership"
        return f"{self.get_kind_display()} disagreement on {where}"


class SourceImport(models.Model):
    """One run of an importer: which file, which version, and what it changed."""

    source = models.CharField(max_length=20, choices=Source)
    version = models.CharField(max_length=40, blank=True, help_text="The dataset's date.")
    location = models.CharField(max_length=500, help_text="File path or URL read.")
    sha256 = models.CharField(max_length=64)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    conflicts = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # "What is the current version of each source?" for page footers.
            models.Index(fields=["source", "-finished_at"], name="import_source_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.version} ({self.finished_at:%Y-%m-%d})"


# Names that read with "the" in running text, as the UN writes them.
_WITH_ARTICLE = (
    "Russian Federation",
    "United ",
    "USSR",
    "Republic of ",
    "Democratic Republic",
    "Netherlands",
    "Philippines",
    "Gambia",
    "Plurinational",
    "Bolivarian",
    "Syrian Arab Republic",
    "Dominican Republic",
    "Central African",
    "Czech Republic",
    "Federal Republic",
    "German Democratic",
)


def in_running_text(name: str) -> str:
    """'Russian Federation' -> 'the Russian Federation'; 'China' stays 'China'."""
    return f"the {name}" if name.startswith(_WITH_ARTICLE) else name


def join_names(names: list[str]) -> str:
    names = [in_running_text(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class RecordVersion(models.Model):
    """When anything in the record last changed through the ORM (one row, pk=1).

    Bumped by signals (resolutions.signals) on every save and delete of the
    record's models, so that an edited meeting symbol or agenda item also
    changes the ETag and Last-Modified of every page built from it. Bulk
    imports do not send signals; their SourceImport row dates them instead.
    """

    changed_at = models.DateTimeField()
    # The data release load_release loaded at ``changed_at``, cleared by the next
    # change: while it is set and nothing is newer, the full downloads are that
    # release's files (resolutions.release.downloads).
    release = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"Record changed at {self.changed_at:%Y-%m-%d %H:%M:%S}"


class WorklistEntry(Draft):
    """The editors' worklist in the admin: a published record whose member votes are
    incomplete (``DraftQuerySet.incomplete_votes``). A view of drafts, not a table."""

    class Meta:
        proxy = True
        verbose_name = "worklist entry"
        verbose_name_plural = "editors' worklist: incomplete member votes"


class SyncRun(models.Model):
    """A sync_un_data that ran every source: what it read and the record it left.

    The next sync of the same files, by the same code, onto a record that has not
    changed since (``record_changed_at`` and the counts), would change nothing, so
    it is skipped (resolutions.pipeline.sync_state).
    """

    key = models.CharField(max_length=64, help_text="SHA-256 of the files read and the code.")
    record_changed_at = models.DateTimeField(null=True)
    counts = models.JSONField(default=dict, help_text="Rows of the record's tables after it.")
    finished_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"sync {self.key[:12]} ({self.finished_at:%Y-%m-%d %H:%M})"
