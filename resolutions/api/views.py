"""The read-only JSON API, /api/v1/. Each endpoint's queries are here.

Lists use the site's own filter (``resolutions.filters.DraftFilter``), so the
API answers exactly what the public list shows for the same query string.
Every response can be revalidated (ETag and Last-Modified, dated by
``resolutions.provenance.data_last_modified``) and carries the licence and
the versions of the sources.
"""

from __future__ import annotations

import threading

import django_filters
from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from resolutions.api.pagination import KeptFilterBackend
from resolutions.api.serializers import (
    DraftDetailSerializer,
    DraftSerializer,
    MemberStateDetailSerializer,
    MemberStateSerializer,
    VetoSerializer,
)
from resolutions.filters import DraftFilter, public_votes
from resolutions.licence import LICENCE, LICENCE_NAME
from resolutions.models import sponsors_prefetch
from resolutions.provenance import latest_versions, revalidated
from votes import analytics
from votes.choices import counted
from votes.dates import LAST_YEAR
from votes.models import MembershipTerm, MemberState, MemberStateName, MemberVote, Veto
from votes.seats import PAIRS, SEAT_ORDER

conditional = method_decorator(revalidated)
# The API has always accepted years from 1900 (the pages from 1946, votes.dates.FIRST_YEAR):
# kept, since its published schema says so.
YEAR = {"type": "integer", "minimum": 1900, "maximum": LAST_YEAR}


def year_param(params, name: str) -> int | None:
    """A year from the query string, or a 400 that says what is wrong with it."""
    value = params.get(name)
    if not value:
        return None
    try:
        year = int(value)
    except ValueError as exc:
        raise ValidationError({name: "a year, e.g. 2011"}) from exc
    if not YEAR["minimum"] <= year <= YEAR["maximum"]:
        raise ValidationError({name: f"a year between {YEAR['minimum']} and {YEAR['maximum']}"})
    return year


class Conditional:
    """Answer 304 Not Modified when the client's copy is current."""

    @conditional
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        response["X-Licence"] = LICENCE_NAME
        return response


class NoEmptyChoices:
    """A 400 for an enum parameter given empty (``?position=``).

    The schema lists each such parameter's values, and "" is not among them; the
    list pages' forms send empty fields for "any", but an API client leaves the
    parameter out. schemathesis found the API accepting what its schema refuses.
    """

    choice_params: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        empty = [n for n in self.choice_params if request.query_params.get(n, None) == ""]
        if empty:
            raise ValidationError(
                dict.fromkeys(empty, "one of the values the schema lists, or leave it out")
            )


def _drafts():
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat", "state"))
    return public_votes().prefetch_related(None).prefetch_related(vetoes, sponsors_prefetch())


class VoteViewSet(Conditional, NoEmptyChoices, viewsets.ReadOnlyModelViewSet):
    """Drafts put to the vote, newest first; filters as on the public list."""

    choice_params = tuple(
        name
        for name, field in DraftFilter.base_filters.items()
        if isinstance(field, django_filters.ChoiceFilter)
    )

    filterset_class = DraftFilter
    # Keeps the filterset for the pagination: its count, when known (known_count).
    filter_backends = [KeptFilterBackend]
    serializer_class = DraftSerializer

    def get_queryset(self):
        if self.action == "retrieve":
            votes = Prefetch(
                "member_votes",
                queryset=MemberVote.objects.select_related("state", "seat").order_by(
                    "seat__position", "name_at_vote"
                ),
            )
            return _drafts().prefetch_related("subjects", votes, "disagreements")
        return _drafts()

    def filter_queryset(self, queryset):
        # A vote's permalink is the vote itself, whatever its kind: the filters
        # (which count drafts only, unless ``kind`` is given) choose lists.
        return queryset if self.action == "retrieve" else super().filter_queryset(queryset)

    def get_serializer_class(self):
        return DraftDetailSerializer if self.action == "retrieve" else DraftSerializer


class MemberStateViewSet(Conditional, viewsets.ReadOnlyModelViewSet):
    """Every state that has sat on the Council, with its names over time and its terms."""

    lookup_field = "slug"
    serializer_class = MemberStateSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            MemberState.objects.filter(terms__isnull=False)
            .distinct()
            .prefetch_related(
                Prefetch("names", queryset=MemberStateName.objects.order_by("start", "pk")),
                Prefetch(
                    "terms",
                    queryset=MembershipTerm.objects.select_related("seat").order_by("start"),
                ),
            )
            .order_by("name", "code")
        )

    def get_serializer_class(self):
        return MemberStateDetailSerializer if self.action == "retrieve" else MemberStateSerializer


@extend_schema(
    parameters=[
        OpenApiParameter("seat", str, enum=list(SEAT_ORDER), description="a permanent seat"),
        OpenApiParameter("year_from", YEAR),
        OpenApiParameter("year_to", YEAR),
    ]
)
class VetoViewSet(Conditional, NoEmptyChoices, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every veto, one per vetoing seat per draft, as the outcome engine decided it."""

    choice_params = ("seat",)

    serializer_class = VetoSerializer
    filter_backends = []

    def get_queryset(self):
        vetoes = (
            Veto.objects.filter(counted("draft__"))
            .select_related("draft__meeting", "draft__agenda_item", "seat", "state")
            .order_by("-draft__date", "-draft_id", "seat__position")
        )
        params = self.request.query_params
        seat = params.get("seat")
        if seat:
            if seat not in SEAT_ORDER:
                raise ValidationError({"seat": f"one of {', '.join(SEAT_ORDER)}"})
            vetoes = vetoes.filter(seat__code=seat)
        for name, lookup in (("year_from", "gte"), ("year_to", "lte")):
            year = year_param(params, name)
            if year is not None:
                vetoes = vetoes.filter(**{f"draft__date__year__{lookup}": year})
        return vetoes


CHARTS = {
    "vetoes": "vetoes per year by seat",
    "agreement": "pairwise agreement of the five seats",
    "pair": "agreement of one pair, year by year",
    "divisions": "recorded votes each year on which the five did not all vote alike",
}


class P5View(Conditional, NoEmptyChoices, APIView):
    """The figures behind the P5 charts: vetoes per year, agreement, a pair over time, divisions."""

    choice_params = ("pair",)

    @extend_schema(
        parameters=[
            OpenApiParameter("chart", str, OpenApiParameter.PATH, enum=list(CHARTS)),
            OpenApiParameter("year_from", YEAR),
            OpenApiParameter("year_to", YEAR),
            OpenApiParameter(
                "pair",
                str,
                enum=[f"{a}-{b}" for a, b in PAIRS],
                description="two seats for the 'pair' chart (default CHN-USA)",
            ),
        ],
        responses=inline_serializer(
            "P5Chart",
            {
                "licence": serializers.CharField(),
                "data_sources": serializers.ListField(child=serializers.DictField()),
                "chart": serializers.CharField(),
                "rule": serializers.CharField(),
                "rows": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request, chart: str):
        if chart not in CHARTS:
            raise NotFound(f"No such chart; the charts are {', '.join(CHARTS)}.")
        params = request.query_params
        first, last = year_param(params, "year_from"), year_param(params, "year_to")
        pair = request.query_params.get("pair") or "CHN-USA"
        if pair not in {f"{a}-{b}" for a, b in PAIRS}:
            raise ValidationError({"pair": "two seats in the order CHN, FRA, RUS, GBR, USA"})
        rows = analytics.chart_rows(chart, first, last, tuple(pair.split("-")))
        return Response(
            {
                "licence": LICENCE,
                "data_sources": [c.as_dict() for c in latest_versions()],
                "chart": chart,
                "rule": analytics.RULES[chart],
                "rows": rows,
            }
        )


class ApiRoot(APIView):
    """/api/v1/ itself: what the API offers, each with its address."""

    @extend_schema(
        responses=inline_serializer(
            "ApiRoot",
            {
                "licence": serializers.CharField(),
                "endpoints": serializers.DictField(child=serializers.URLField()),
                "p5_charts": serializers.DictField(child=serializers.URLField()),
                "schema": serializers.URLField(),
                "docs": serializers.URLField(),
            },
        )
    )
    def get(self, request):
        def url(name: str, **kwargs) -> str:
            return reverse(f"api:{name}", kwargs=kwargs or None, request=request)

        return Response(
            {
                "licence": LICENCE,
                "endpoints": {
                    "votes": url("vote-list"),
                    "member-states": url("member-state-list"),
                    "vetoes": url("veto-list"),
                },
                "p5_charts": {chart: url("p5", chart=chart) for chart in CHARTS},
                "schema": url("schema"),
                "docs": url("docs"),
            }
        )


class SchemaView(SpectacularAPIView):
    """/api/v1/schema/, built by one thread at a time.

    drf-spectacular keeps its generation state in globals: each extension's
    target class is imported on first use and written back on the class (the
    contrib extensions for apps not installed here, dj_rest_auth and others,
    become None), its warning counters are one singleton, and ``custom_settings``
    are patched into its settings object. Under gunicorn's threads the first
    concurrent requests after a start raced on those, and some answered a 500
    (``'NoneType' object has no attribute 'startswith'`` in ``_load_class``;
    upstream tfranzel/drf-spectacular#1122, #1123 and #1368). The page cache
    keeps the schema once built, so the lock is held once per process and data
    version. The lock is taken in ``dispatch``: ``get`` carries the view's own
    entry in the schema (its formats), which an override would lose.
    """

    _building = threading.Lock()

    def dispatch(self, request, *args, **kwargs):
        with self._building:
            return super().dispatch(request, *args, **kwargs)
