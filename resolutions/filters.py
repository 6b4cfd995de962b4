"""The one FilterSet for drafts, used by every list, download and (later) the API.

``DraftFilter(request.GET).qs`` is always a queryset of *published* drafts,
newest first, with what a table row needs (meeting, agenda item, vetoes with
their seats) already joined or prefetched. Give it ``state=`` to build a
country's history: the member state is then fixed, "how it voted" refers to
that state, and each row carries its position as ``state_position``.

Every parameter lives in the URL, so any filtered list is a permalink:
``/votes/?country=ghana&position=N`` is "Ghana voted no".
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Sum
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from resolutions import search
from resolutions.models import AgendaItem, Draft, Sponsorship, Standing
from resolutions.sources.records import parse_resolution_symbol
from resolutions.sql import InSubquery
from votes import analytics
from votes.choices import VOTED_CHOICES, VOTED_WORDS, Modality, Outcome, VoteKind
from votes.dates import FIRST_YEAR, LAST_YEAR
from votes.models import DraftYear, MemberState, MemberVote, PermanentSeat, StateYear, Veto
from votes.seats import PAIR_CHOICES, SEAT_LABELS, SHORT_SEAT_LABELS

OUTCOME_CHOICES = [
    ("adopted", "Adopted (with or without a vote)"),
    ("adopted_vote", "Adopted by a recorded vote"),
    ("without_vote", "Adopted without a vote"),
    ("vetoed", "Vetoed"),
    ("not_adopted", "Not adopted (too few votes)"),
    ("unknown", "Outcome unknown"),
]


def symbol_query(text: str) -> Q | None:
    """The drafts a UN document symbol names, or None if the text is not a symbol.

    Accepts ``S/2022/431``, ``2627``, ``S/RES/2627 (2022)``, ``S/RES/2627(2022)``,
    ``resolution 2627``, ``S/PV.9048`` and press releases like ``SC/14911``.
    """
    cleaned = " ".join(text.replace("\xa0", " ").split()).strip().rstrip(".,;")
    upper = cleaned.upper()
    if re.fullmatch(r"(?:RES(?:OLUTION)?\.?\s*)?\d{1,4}", upper):
        return Q(resolution_number=int(re.sub(r"\D", "", upper)))
    bare = re.fullmatch(r"(\d{1,4})\s*\((\d{4})\)", upper)
    if bare:
        return Q(resolution_number=int(bare.group(1)), resolution_year=int(bare.group(2)))
    parsed = parse_resolution_symbol(upper)
    if parsed:
        return Q(resolution_number=parsed[0], resolution_year=parsed[1])
    if re.fullmatch(r"S/RES/\d{1,4}", upper):
        return Q(resolution_number=int(upper.rsplit("/", 1)[1]))
    if re.fullmatch(r"S/PV\.\d+(?:\s*\(.*\))?", upper):
        return Q(meeting__symbol__iexact=cleaned)
    if re.fullmatch(r"SC/\d+", upper):
        return Q(press_release__iexact=cleaned)
    if re.fullmatch(r"S/(?:\d{4}/)?\d+(?:/REV\.\d+)?", upper):
        return Q(draft_symbol__iexact=cleaned)
    return None


def public_drafts(kind: str | None = None):
    """Published drafts with everything a table row shows, newest first.

    Votes on amendments and preliminary questions only when their ``kind`` is asked for.
    """
    return _of_kind(public_votes(), kind)


def public_votes():
    """Every published vote, of any kind, with what a table row shows: the base that
    ``DraftFilter`` narrows to draft resolutions unless its ``kind`` asks otherwise."""
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    return (
        Draft.objects.published_votes()
        .select_related("meeting", "agenda_item", "amends")
        .prefetch_related(vetoes)
        .newest_first()
    )


def _of_kind(queryset, kind: str | None):
    """The published drafts, or the published votes of the kind asked for."""
    return queryset.published_votes(kind) if kind in VoteKind.values else queryset.published()


@extend_schema_field({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR})
class YearNumberFilter(django_filters.NumberFilter):
    """A year: a whole number, never a float such as 1990.5."""

    field_class = forms.IntegerField


@extend_schema_field({"type": "string", "description": "A member state's slug, e.g. united-states"})
class StateSlugFilter(django_filters.ModelChoiceFilter):
    """A member state named by its slug; the schema says so (a method filter's type
    cannot be guessed from the model)."""


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**31 - 1})
class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number in the database's range (never a huge float)."""

    field_class = forms.IntegerField


class DraftFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Vote on",
        choices=VoteKind.choices,
        empty_label="Draft resolutions",
        method="filter_none",  # chooses the base queryset in __init__
    )
    q = django_filters.CharFilter(
        label="Text or symbol", method="filter_text", max_length=200, strip=True
    )
    country = django_filters.ModelChoiceFilter(
        label="Member state",
        queryset=MemberState.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any member",
        method="filter_none",  # applied with `position` in filter_queryset
    )
    position = django_filters.ChoiceFilter(
        label="How it voted", choices=VOTED_CHOICES, empty_label="any way", method="filter_none"
    )
    year_from = YearNumberFilter(
        label="From year",
        field_name="date",
        lookup_expr="year__gte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    year_to = YearNumberFilter(
        label="To year",
        field_name="date",
        lookup_expr="year__lte",
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )
    outcome = django_filters.ChoiceFilter(
        label="Outcome", choices=OUTCOME_CHOICES, empty_label="Any outcome", method="filter_outcome"
    )
    vetoed_by = django_filters.ChoiceFilter(
        label="Vetoed by",
        choices=list(SEAT_LABELS.items()),
        empty_label="Any or none",
        method="filter_vetoed_by",
    )
    sponsor = StateSlugFilter(
        label="Submitted by",
        queryset=MemberState.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Any sponsor",
        method="filter_sponsor",
        # Set by the vote page's "Submitted by" links, shown in the list's description.
        widget=forms.HiddenInput,
    )
    topic = django_filters.CharFilter(
        label="Agenda item or subject", method="filter_topic", max_length=200, strip=True
    )
    # Set by links (the vote page's agenda item, the search box, the P5 charts),
    # shown as removable notes rather than form fields.
    agenda_item = IdFilter(
        field_name="agenda_item_id", widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )
    meeting = django_filters.CharFilter(
        field_name="meeting__symbol", lookup_expr="iexact", widget=forms.HiddenInput
    )
    pair = django_filters.ChoiceFilter(
        choices=PAIR_CHOICES, method="filter_none", widget=forms.HiddenInput
    )
    pair_agreed = django_filters.ChoiceFilter(
        choices=[("yes", "voted alike"), ("no", "voted differently")],
        method="filter_none",
        widget=forms.HiddenInput,
    )
    divided = django_filters.ChoiceFilter(
        choices=[("yes", "the five did not all vote alike"), ("no", "the five voted alike")],
        method="filter_divided",
        widget=forms.HiddenInput,
    )

    # Where a vote stood (votes/standing.py, stored by refresh_outcomes): set by the
    # links of the vote and country pages.
    near_miss = django_filters.ChoiceFilter(
        choices=[("yes", "failed by one vote, with no veto"), ("no", "not a near-miss")],
        method="filter_near_miss",
        widget=forms.HiddenInput,
    )
    isolated = django_filters.CharFilter(
        method="filter_isolated", max_length=100, strip=True, widget=forms.HiddenInput
    )
    decisive = django_filters.CharFilter(
        method="filter_decisive", max_length=100, strip=True, widget=forms.HiddenInput
    )

    class Meta:
        model = Draft
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, state=None):
        self.state = state
        kind = (data or {}).get("kind")
        queryset = public_drafts(kind) if queryset is None else _of_kind(queryset, kind)
        if not queryset.ordered:
            queryset = queryset.newest_first()
        if state is not None:
            queryset = queryset.for_country(state).annotate(
                state_position=analytics.state_position(state)
            )
        super().__init__(data, queryset, request=request, prefix=prefix)
        if state is not None:
            del self.filters["country"]
            self.form.fields.pop("country", None)

    # Form-wide checks: a message for the page, never a server error --------------

    def get_form_class(self):
        base = super().get_form_class()
        needs_country = self.state is None

        class DraftFilterForm(base):
            def clean(self):
                data = super().clean()
                if needs_country and data.get("position") and not data.get("country"):
                    self.add_error("position", "Choose a member state to say how it voted.")
                first, last = data.get("year_from"), data.get("year_to")
                if first and last and first > last:
                    self.add_error("year_to", "The last year comes before the first.")
                if data.get("pair_agreed") and not data.get("pair"):
                    self.add_error("pair_agreed", "Agreement needs a pair of permanent members.")
                return data

        return DraftFilterForm

    # Filters ------------------------------------------------------------------------

    def filter_none(self, queryset, name, value: str):
        return queryset  # combined with another field in filter_queryset

    def filter_text(self, queryset, name, value):
        by_symbol = symbol_query(value)
        if by_symbol is not None:
            return queryset.filter(by_symbol)
        return search.matching(queryset, value)

    def filter_outcome(self, queryset, name, value):
        match value:
            case "adopted":
                return queryset.adopted()
            case "adopted_vote":
                return queryset.adopted().recorded_votes()
            case "without_vote":
                return queryset.adopted().exclude(modality=Modality.RECORDED_VOTE)
            case "vetoed":
                return queryset.vetoed()
            case "not_adopted":
                return queryset.not_adopted()
        return queryset.filter(outcome=Outcome.UNKNOWN)

    def filter_vetoed_by(self, queryset, name, value):
        return queryset.vetoed_by_seat(value)

    def filter_sponsor(self, queryset, name, value):
        """``sponsor=united-states``: the drafts the state submitted, as the sources say."""
        return queryset.filter(
            Exists(Sponsorship.objects.filter(draft=OuterRef("pk"), state=value))
        )

    def filter_topic(self, queryset, name, value):
        # The matching agenda items and subjects first (small tables), then the drafts
        # by those ids through the drafts' indexes (resolutions.sql.InSubquery): a join
        # to every draft's agenda item to test its name read every draft's row (issue
        # 14), and a correlated EXISTS on the subjects scanned every subject's name
        # again for each draft (issue 12).
        items = AgendaItem.objects.filter(name__icontains=value).values("pk")
        tagged = Draft.subjects.through.objects.filter(subject__name__icontains=value)
        return queryset.filter(
            Q(InSubquery(F("agenda_item_id"), items))
            | Q(InSubquery(F("pk"), tagged.values("draft_id")))
        )

    def filter_divided(self, queryset, name, value):
        divided = analytics.divided_draft_ids(value == "yes")
        return queryset.recorded_votes().filter(pk__in=divided)

    def filter_near_miss(self, queryset, name, value):
        return queryset.filter(near_miss=value == "yes")

    def filter_isolated(self, queryset, name, value):
        """``isolated=RUS`` (a permanent seat, predecessors included) or ``=ghana`` (a state)."""
        alone = Standing.objects.filter(draft=OuterRef("pk"), kind=Standing.Kind.ISOLATED)
        if value.upper() in SEAT_LABELS:
            alone = alone.filter(seat__code=value.upper())
        else:
            alone = alone.filter(state__slug=value)
        return queryset.filter(Exists(alone))

    def filter_decisive(self, queryset, name, value):
        decisive = Standing.objects.filter(
            draft=OuterRef("pk"), kind=Standing.Kind.DECISIVE, state__slug=value
        )
        return queryset.filter(Exists(decisive))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        queryset = self._by_member(queryset, data)
        if data.get("pair"):
            queryset = _pair_filtered(queryset, data["pair"], data.get("pair_agreed"))
        return queryset

    def _by_member(self, queryset, data: dict):
        """The drafts the page's member (or the chosen country) voted on, as it voted."""
        country = self.state or data.get("country")
        position = data.get("position")
        if position:
            # How a member voted exists only for recorded votes: a resolution adopted
            # without a vote records everyone as Y, which is not a vote in favour.
            queryset = queryset.recorded_votes()
        if self.state is not None and position:
            return queryset.filter(state_position=position)
        if country is not None:
            return queryset.for_country(country, position)
        return queryset

    # The count, when the per-year tables know it ---------------------------------------

    def narrows(self) -> bool:
        """Whether a filter narrows the base queryset: an empty or invalid field does
        not (``qs`` ignores it, and says so), nor do the page, its size and its order,
        which are not the form's."""
        if not self.is_bound:
            return False
        self.errors  # noqa: B018 -- validates: cleaned_data is what qs applies
        return any(value not in EMPTY_VALUES for value in self.form.cleaned_data.values())

    def known_count(self) -> int | None:
        """How many drafts ``qs`` holds, from the per-year counts refresh_outcomes keeps
        (a sum over years), when no filter narrows the published drafts (or a state's):
        COUNT read every published draft, O(the record) on every unfiltered list, API
        page and country page. None otherwise, and the paginator counts the rows.

        The callers' base queryset must be the published drafts (public_votes /
        public_drafts), as every list's is.
        """
        if self.narrows():
            return None
        if self.state is None:
            return DraftYear.objects.aggregate(n=Sum("drafts"))["n"] or 0
        # One vote per state per draft (one_vote_per_member_per_draft): its votes on
        # the published drafts are the drafts it has a vote on (for_country).
        votes = StateYear.objects.filter(state=self.state).aggregate(n=Sum("votes"))
        return votes["n"] or 0

    # Words for the page ---------------------------------------------------------------

    def pair_description(self) -> str:
        data = getattr(self.form, "cleaned_data", {})
        if not data.get("pair"):
            return ""
        pair = dict(PAIR_CHOICES)[data["pair"]]
        agreed = {"yes": "voted alike", "no": "voted differently"}
        return f"{pair} {agreed.get(data.get('pair_agreed'), 'both voted')}"

    def description(self) -> str:
        """The active filters in words: 'Ghana voted no, 2011–2022, vetoed by …'."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return ""
        data = self.form.cleaned_data
        parts = [self._who_voted(data), years_in_words(data.get("year_from"), data.get("year_to"))]
        # The other filters in the form's order, each in a few words.
        parts += [
            words(data[name]) for name, words in self._filter_words().items() if data.get(name)
        ]
        return ", ".join(part for part in parts if part)

    def _who_voted(self, data: dict) -> str:
        country = self.state or data.get("country")
        if country is not None and data.get("position"):
            return f"{country} {VOTED_WORDS[data['position']]}"
        if data.get("country") is not None:
            return f"{data['country']} voted"
        return ""

    def _filter_words(self) -> dict:
        divided = dict(self.filters["divided"].extra["choices"])
        return {
            "outcome": lambda value: dict(OUTCOME_CHOICES)[value].lower(),
            "vetoed_by": lambda value: f"vetoed by {SHORT_SEAT_LABELS[value]}",
            "sponsor": lambda value: f"submitted by {value}",
            "topic": lambda value: f"on “{value}”",
            "q": lambda value: f"matching “{value}”",
            "meeting": lambda value: f"at meeting {value}",
            "agenda_item": lambda value: "on one agenda item",
            "pair": lambda value: self.pair_description(),
            "divided": lambda value: divided[value],
            "near_miss": lambda value: dict(self.filters["near_miss"].extra["choices"])[value],
            "isolated": lambda value: (
                f"{SHORT_SEAT_LABELS.get(value.upper()) or self._state_name(value)} stood alone"
            ),
            "decisive": lambda value: f"{self._state_name(value)} decisive",
        }

    def _state_name(self, slug: str) -> str:
        """A member state's name for the words (the slug if none); one query per slug,
        however often a page asks for the description."""
        names = self.__dict__.setdefault("_state_names", {})
        if slug not in names:
            found = MemberState.objects.filter(slug=slug).values_list("name", flat=True).first()
            names[slug] = found or slug
        return names[slug]


def _pair_filtered(queryset, pair: str, agreed: str | None):
    """Recorded votes of both members of the pair; with ``agreed``, alike or not.

    Semi-joins of each candidate draft to each seat's cast vote (by the votes'
    indexes on the draft), so a narrow list (``topic=``) costs O(its drafts) and
    the unfiltered list's page stops at its 50 rows; grouping every cast vote of
    the two seats first read every member vote on every list (issue 14).
    """
    first, second = pair.split("-")
    first_vote = _cast_votes(first)
    second_vote = _cast_votes(second).filter(draft=OuterRef("draft"))
    if agreed == "yes":
        second_vote = second_vote.filter(position=OuterRef("position"))
    elif agreed == "no":
        second_vote = second_vote.exclude(position=OuterRef("position"))
    both = first_vote.filter(draft=OuterRef("pk")).filter(Exists(second_vote))
    return queryset.recorded_votes().filter(Exists(both))


def _cast_votes(seat_code: str):
    """Cast votes (yes, no, abstention) from a permanent seat, its predecessors
    included; the seat found once (an InitPlan) rather than joined to every vote."""
    seat = PermanentSeat.objects.filter(code=seat_code).values("pk")
    return MemberVote.objects.filter(seat=Subquery(seat), position__in=analytics.VOTED)


def years_in_words(first: int | None, last: int | None) -> str:
    """'1990', '2011–2022', 'from 1990', 'to 1990', or '' for no bound."""
    if first and last:
        return str(first) if first == last else f"{first}–{last}"
    if first:
        return f"from {first}"
    return f"to {last}" if last else ""
