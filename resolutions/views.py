"""Public pages about drafts: home, the votes list and its CSV, a vote, the vetoes, search.

Each view's queries are listed in its docstring, in the order they run; the
tests in ``tests/resolutions/test_pages_budget.py`` pin those budgets at two
data sizes. The footer's source citation adds one query to every page
(``resolutions.context_processors``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from resolutions import exports
from resolutions.filters import SEAT_LABELS, DraftFilter, public_drafts, symbol_query
from resolutions.models import Disagreement, Draft, undocs_url
from resolutions.tables import CappedPaginator, DraftTable, VetoTable
from votes import analytics
from votes.choices import Modality, Outcome, Position, Source
from votes.models import MemberState, MemberVote, Veto
from votes.names import default_resolver, seat_holder_name
from votes.outcome import SEAT_ORDER, council_size

PER_PAGE = 50
LATEST = 8


def home(request):
    """Headline figures, the latest vote and veto, the latest votes.

    Queries: figures (1), latest votes (2) and their vetoes (3), latest veto (4)
    and its vetoes (5).
    """
    figures = Draft.objects.published().aggregate(
        # Distinct: the join to the vetoes repeats a draft vetoed by two seats.
        votes=Count("pk", distinct=True),
        recorded=Count("pk", distinct=True, filter=Q(modality=Modality.RECORDED_VOTE)),
        vetoed=Count("pk", distinct=True, filter=Q(outcome=Outcome.VETOED)),
        vetoes=Count("vetoes"),
    )
    latest = list(public_drafts()[:LATEST])
    latest_veto = public_drafts().vetoed().first()
    return render(
        request,
        "resolutions/home.html",
        {
            "figures": figures,
            "latest": latest[0] if latest else None,
            "latest_votes": latest,
            "latest_veto": latest_veto,
        },
    )


class DraftListView(SingleTableMixin, FilterView):
    """Every published vote, filtered and sorted from the query string.

    Queries: the member-state choices for the form (1), the count (2), the page
    of rows with meeting and agenda item (3) and their vetoes (4); plus one to
    check a chosen member state (5).
    """

    table_class = DraftTable
    filterset_class = DraftFilter
    template_name = "resolutions/draft_list.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}
    # Ignore an invalid filter and say so, rather than showing nothing.
    strict = False

    def get_queryset(self):
        return public_drafts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["csv_url"] = reverse("resolutions:csv") + _query(self.request, drop=("page",))
        return context


def _download(request, fmt: str):
    """The filtered list in the open-data format (resolutions.exports), streamed.

    Queries: per chunk of 100 drafts, the drafts (1) and their member votes,
    vetoes and subjects (3); plus one to check a chosen member state.
    """
    drafts = DraftFilter(request.GET or None)
    if drafts.is_bound and not drafts.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in drafts.errors.items())
        return HttpResponse(
            f"Invalid filter: {problems}\n", status=400, content_type="text/plain; charset=utf-8"
        )
    if fmt == "json":
        return exports.json_response(drafts.qs, "sc-votes.json")
    per_vote = request.GET.get("rows") == "votes"
    name = "sc-votes-member-votes.csv" if per_vote else "sc-votes.csv"
    return exports.csv_response(drafts.qs, name, per_vote=per_vote)


def draft_csv(request):
    """CSV: one row per draft, or per member vote with ``rows=votes``."""
    return _download(request, "csv")


def draft_json(request):
    """JSON: the drafts with their member votes."""
    return _download(request, "json")


def detail(request, pk: int):
    """One vote: symbols, record, tally, member votes by position, outcome, provenance.

    Queries: the draft with meeting and agenda item (1), its vetoes (2), its
    subjects (3), its member votes with their states (4), the disagreements
    recorded about it (5), the previous (6) and next (7) vote on its agenda item.
    """
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    draft = get_object_or_404(
        Draft.objects.published()
        .select_related("meeting", "agenda_item")
        .prefetch_related(vetoes, "subjects"),
        pk=pk,
    )
    # Permanent members first, in seat order, then the elected members by name.
    member_votes = list(
        MemberVote.objects.filter(draft=draft)
        .select_related("state")
        .order_by(F("seat__position").asc(nulls_last=True), "name_at_vote")
    )
    groups = [
        {"position": position, "label": label, "votes": votes}
        for position, label in Position.choices
        if (votes := [v for v in member_votes if v.position == position])
    ]
    disagreements = list(Disagreement.objects.filter(draft=draft).order_by("kind", "field"))
    missing = _unrecorded_members(draft, member_votes)
    return render(
        request,
        "resolutions/detail.html",
        {
            "draft": draft,
            "documents": _documents(draft),
            "member_votes": member_votes,
            "groups": groups,
            "bar": _tally_bar(draft),
            "provenance": _provenance(draft),
            "disagreements": disagreements,
            "tally_disputed": any(d.kind == Disagreement.Kind.TALLY for d in disagreements),
            "unrecorded": missing,
            "previous": _neighbour(draft, before=True),
            "next": _neighbour(draft, before=False),
        },
    )


def _unrecorded_members(draft: Draft, member_votes: list) -> list[str]:
    """Members sitting that day whom no source records voting (e.g. Mexico on S/RES/1966).

    Only asked when a breakdown exists but is short of the Council's size: one query.
    """
    if not member_votes or len(member_votes) >= council_size(draft.date):
        return []
    voted = {v.state_id for v in member_votes}
    resolver = default_resolver()
    return [
        resolver.name_on(state.code, draft.date)
        for state in MemberState.objects.sitting_on(draft.date).order_by("name")
        if state.pk not in voted
    ]


def _documents(draft: Draft) -> list[dict]:
    documents = []
    if draft.draft_symbol and not draft.draft_symbol_is_meeting_record:
        documents.append({"label": "Draft resolution", "symbol": draft.draft_symbol})
    if draft.resolution_symbol:
        documents.append({"label": "Resolution", "symbol": draft.resolution_symbol})
    if draft.meeting:
        documents.append({"label": "Meeting record", "symbol": draft.meeting.symbol})
    elif draft.draft_symbol_is_meeting_record:
        documents.append({"label": "Meeting record", "symbol": draft.draft_symbol})
    if draft.press_release:
        documents.append({"label": "Press release", "symbol": draft.press_release})
    for document in documents:
        document["url"] = undocs_url(document["symbol"])
    return documents


def _tally_bar(draft: Draft) -> list[dict]:
    """Segments of the tally bar, in SVG units of one member each."""
    tally = draft.tally
    if tally is None:
        return []
    segments, x = [], 0
    for position, count, label in (
        ("yes", tally.yes, "in favour"),
        ("no", tally.no, "against"),
        ("abstain", tally.abstain, "abstaining"),
        ("nonvoting", tally.non_voting, "not voting"),
    ):
        if count:
            segments.append({"class": position, "x": x, "width": count, "label": label, "n": count})
            x += count
    return segments


def _provenance(draft: Draft) -> list[dict]:
    """Each source that described this draft: its name, version, place and what it said."""
    labels = dict(Source.choices)
    given = {}
    for field, origin in (draft.field_sources or {}).items():
        given.setdefault(origin, []).append(field)
    entries = []
    for key, info in (draft.sources or {}).items():
        values = info.get("values", {})
        said = []
        if values.get("outcome"):
            vetoed = [seat_holder_name(seat, draft.date) for seat in values.get("vetoed_by") or []]
            said.append(
                "outcome: "
                + values["outcome"].replace("_", " ")
                + (f" by {', '.join(vetoed)}" if vetoed else "")
            )
        if values.get("tally_text"):
            said.append(f"tally as written: {values['tally_text']}")
        elif values.get("totals"):
            yes, no, abstain = values["totals"][:3]
            said.append(f"tally: {yes}–{no}–{abstain}")
        if values.get("tally_inconsistent"):
            said.append(f"its tally does not fit its outcome ({values['tally_inconsistent']})")
        if values.get("procedural_inferred"):
            said.append(values["procedural_inferred"])
        if values.get("date"):
            said.append(f"date: {values['date']}")
        entries.append(
            {
                "label": labels.get(key, key),
                "version": info.get("version", ""),
                "location": info.get("location", ""),
                "url": info.get("url", ""),
                "said": said,
                "flags": [*info.get("notes", []), *info.get("flags", [])],
                "fields": sorted(given.get(key, [])),
            }
        )
    if not entries and draft.field_sources:
        for origin, fields in given.items():
            entries.append({"label": labels.get(origin, origin), "fields": sorted(fields)})
    return entries


def _neighbour(draft: Draft, *, before: bool) -> Draft | None:
    if draft.agenda_item_id is None:
        return None
    same_item = Draft.objects.published().filter(agenda_item_id=draft.agenda_item_id)
    key = (draft.date, draft.pk)
    if before:
        earlier = Q(date__lt=key[0]) | Q(date=key[0], pk__lt=key[1])
        return same_item.filter(earlier).order_by("-date", "-pk").first()
    later = Q(date__gt=key[0]) | Q(date=key[0], pk__gt=key[1])
    return same_item.filter(later).order_by("date", "pk").first()


class VetoListView(SingleTableMixin, FilterView):
    """The vetoed drafts, like the Library's Veto List, with counts by seat and decade.

    Queries: the count (1), the page of rows (2) and their vetoes (3), vetoes by
    seat and holder (4), by decade and seat (5); plus one to check a chosen
    member state (6) and the form's member-state choices (7).
    """

    table_class = VetoTable
    filterset_class = DraftFilter
    template_name = "resolutions/veto_list.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}
    strict = False

    def get_queryset(self):
        return public_drafts().vetoed()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        # Every row here is vetoed: the outcome filter would only empty the list.
        filterset.filters.pop("outcome", None)
        filterset.form.fields.pop("outcome", None)
        return filterset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        drafts = self.filterset.qs
        by_holder = analytics.vetoes_by_holder(drafts)
        context["by_seat"] = seat_totals(by_holder)
        context["by_decade"] = decade_table(analytics.vetoes_per_decade(drafts))
        context["csv_url"] = reverse("resolutions:csv") + _query(
            self.request, drop=("page", "sort", "outcome"), add={"outcome": "vetoed"}
        )
        return context


def seat_totals(by_holder: list[dict]) -> list[dict]:
    """Group vetoes-by-holder rows under their seats, each seat in canonical order."""
    seats = {code: {"code": code, "label": SEAT_LABELS[code], "holders": []} for code in SEAT_ORDER}
    for row in by_holder:
        seats[row["seat"]]["holders"].append(row)
    for seat in seats.values():
        seat["total"] = sum(h["count"] for h in seat["holders"])
    return list(seats.values())


def decade_table(rows: list[dict]) -> list[dict]:
    """``[{"decade", "counts": [n per seat in SEAT_ORDER], "total"}]``."""
    decades: dict[int, dict[str, int]] = {}
    for row in rows:
        decades.setdefault(row["decade"], {})[row["seat"]] = row["count"]
    return [
        {
            "decade": decade,
            "counts": [counts.get(code, 0) for code in SEAT_ORDER],
            "total": sum(counts.values()),
        }
        for decade, counts in sorted(decades.items())
    ]


def search(request):
    """A symbol goes straight to its record; anything else to the filtered list.

    Queries: at most two ids of matching drafts (1).
    """
    text = request.GET.get("q", "").strip()[:200]
    if not text:
        return HttpResponseRedirect(reverse("resolutions:list"))
    return _to_symbol(text)


def symbol_redirect(request, rest: str):
    """Friendly permalinks: ``/S/2022/431``, ``/S/RES/2627(2022)``, ``/S/PV.9048``."""
    symbol = "S/" + rest
    if symbol_query(symbol) is None:
        raise Http404(f"{symbol} is not a Security Council document symbol")
    return _to_symbol(symbol, not_found=Http404)


def _to_symbol(text: str, not_found=None):
    lookup = symbol_query(text)
    list_url = reverse("resolutions:list") + "?" + urlencode({"q": text})
    if lookup is None:
        return HttpResponseRedirect(list_url)
    ids = list(Draft.objects.published().filter(lookup).values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return HttpResponseRedirect(reverse("resolutions:detail", args=[ids[0]]))
    if not ids and not_found is not None:
        raise not_found(f"No published vote has the symbol {text}")
    return HttpResponseRedirect(list_url)


def _query(request, drop=(), add=None) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    for key, value in (add or {}).items():
        params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


GAPS_SHOWN = 20  # resolution numbers named on /data/ before "and N more"


def data_dictionary(request):
    """What the exports, the dumps, the API and the feeds hold, column by column.

    Queries: the resolution numbers held, for the gaps (1); the source versions
    cited in the footer (1).
    """
    columns = [
        {
            "name": name,
            "description": exports.DESCRIPTIONS[name],
            "per_vote": name in exports.VOTE_COLUMNS,
        }
        for name in exports.VOTES_COLUMNS
    ]
    # Every resolution number is counted, published or not: a number an editor
    # has not yet published is not missing from the sources.
    count, gaps = Draft.objects.resolution_number_gaps(limit=GAPS_SHOWN)
    return render(
        request,
        "resolutions/data.html",
        {"columns": columns, "gap_count": count, "gaps": gaps, "more_gaps": count - len(gaps)},
    )
