"""The editors' worklist: published records whose member votes are incomplete.

Vetoes first, then the newest. Each entry names the members without a vote, links
to its meeting record on undocs.org, and shows any compilation votes the pipeline
held back (``Draft.sources[src]["held_back"]``) as a suggestion, checked against
the official tally by the vote rules every form and importer uses
(``resolutions.rules.check_votes``). Its link opens the draft's own change form
with the missing members' rows filled in from the suggestion (:func:`form_rows`):
the editor checks them against the meeting record and saves, and the usual
checks of that form apply.

The held-back votes are read defensively, since their writer (the pipeline) may
give them as ``{"GHA": "Y", …}``, ``[{"state": "GHA", "position": "Y"}, …]`` or
``[["GHA", "Y"], …]``; anything else is ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin, messages
from django.db.models import Case, Prefetch, Value, When
from django.urls import reverse
from django.utils.html import format_html

from resolutions.admin.endpoints import prefilled_rows
from resolutions.models import Draft, WorklistEntry
from resolutions.rules import check_votes
from votes.calendar import CouncilCalendar
from votes.choices import SECONDARY, Outcome, Position
from votes.models import MemberVote, Veto
from votes.rules import Row

UNDOCS = "https://undocs.org/"
WORKLIST_PARAM = "worklist"

# A held-back position as a source may write it, to its code.
POSITION_WORDS = {
    **{p.value.lower(): p.value for p in Position},
    **{p.label.lower(): p.value for p in Position},
    "abstain": Position.ABSTAIN,
    "non-voting": Position.NON_VOTING,
    "absent": Position.NON_VOTING,
}


def _position(value) -> str | None:
    return POSITION_WORDS.get(str(value).strip().lower()) if value is not None else None


def _pairs(held) -> list[tuple[object, object]]:
    if isinstance(held, dict):
        return list(held.items())
    pairs = []
    for item in held if isinstance(held, list) else []:
        if isinstance(item, dict):
            pairs.append((item.get("state") or item.get("code"), item.get("position")))
        elif isinstance(item, list | tuple) and len(item) == 2:
            pairs.append((item[0], item[1]))
    return pairs


def held_back_positions(held) -> dict[str, str]:
    """State code -> position code, from whatever shape the held-back votes have."""
    positions = {}
    for code, position in _pairs(held):
        position = _position(position)
        if isinstance(code, str) and code.strip() and position:
            positions[code.strip().upper()] = position
    return positions


@dataclass(frozen=True)
class Suggestion:
    source: str
    label: str
    version: str
    positions: dict[str, str]  # state code -> position, for members without a vote
    problems: list[str]

    @property
    def fits(self) -> bool:
        return not self.problems

    def counts(self) -> str:
        words = dict(Position.choices)
        found = [
            f"{n} {words[p].lower()}"
            for p in Position.values
            if (n := sum(1 for v in self.positions.values() if v == p))
        ]
        return ", ".join(found)


def held_back(draft: Draft) -> tuple[str, dict, dict[str, str]] | None:
    """The first secondary source (by name) holding back votes: (source, its entry, votes)."""
    for source in sorted(SECONDARY):
        info = (draft.sources or {}).get(source)
        if not isinstance(info, dict):
            continue
        positions = held_back_positions(info.get("held_back"))
        if positions:
            return source, info, positions
    return None


def suggestion_for(draft: Draft, calendar: CouncilCalendar) -> Suggestion | None:
    """The held-back votes for the members without one, and what the vote rules say of
    the whole set (the stored votes plus these) against the official tally."""
    found = held_back(draft)
    if found is None:
        return None
    source, info, positions = found
    voted = {v.state_id for v in draft.member_votes.all()}
    missing = [s for s in calendar.sitting(draft.date) if s.state_id not in voted]
    suggested = {s.code: positions[s.code] for s in missing if s.code in positions}
    problems = check_votes(draft, _rows_with(draft, missing, suggested), calendar).problems
    label = dict(SOURCE_LABELS).get(source, source)
    return Suggestion(source, label, str(info.get("version", "")), suggested, problems)


def _rows_with(draft: Draft, missing: list, suggested: dict[str, str]) -> list[Row]:
    """The stored votes, then the missing members with the positions suggested."""
    rows = [
        Row(v.state_id, v.name_at_vote, v.position, v.non_voting) for v in draft.member_votes.all()
    ]
    return rows + [Row(s.state_id, s.name, suggested.get(s.code, "")) for s in missing]


SOURCE_LABELS = [(s.value, s.label) for s in SECONDARY]


def meeting_record(draft: Draft) -> str:
    """The meeting record's symbol: the draft's meeting, else what a source names."""
    if draft.meeting_id:
        return draft.meeting.symbol
    if draft.draft_symbol_is_meeting_record:
        return draft.draft_symbol
    return next(filter(None, map(_named_meeting, (draft.sources or {}).values())), "")


def _named_meeting(info) -> str:
    """The meeting record a source entry names, or ''."""
    meeting = (info or {}).get("values", {}).get("meeting") if isinstance(info, dict) else None
    return meeting if isinstance(meeting, str) and meeting.startswith("S/PV.") else ""


def form_rows(request, obj) -> list[dict]:
    """The member-vote rows the draft form opens with: for a new draft, who sat on
    ``?date=``; for a record opened from the worklist, the members without a vote,
    each with the held-back position where there is one."""
    if obj is None or not obj.pk:
        return prefilled_rows(request, None)
    if not _opened_from_worklist(request):
        return []
    calendar = CouncilCalendar()
    voted = set(MemberVote.objects.filter(draft=obj).values_list("state_id", flat=True))
    found = held_back(obj)
    positions = found[2] if found else {}
    return [
        _blank_row(seat, positions.get(seat.code, ""))
        for seat in calendar.sitting(obj.date)
        if seat.state_id not in voted
    ]


def _opened_from_worklist(request) -> bool:
    return request.method == "GET" and bool(request.GET.get(WORKLIST_PARAM))


def _blank_row(seat, position: str) -> dict:
    """A form row for a member sitting without a vote."""
    return {
        "state": seat.state_id,
        "name_at_vote": seat.name,
        "code": seat.code,
        "permanent": "1" if seat.seat else "",
        "position": position,
    }


def announce_suggestion(request, obj) -> None:
    """On the change form opened from the worklist, say where the filled rows come from."""
    if obj is None or not _opened_from_worklist(request):
        return
    suggestion = suggestion_for(obj, CouncilCalendar())
    symbol = meeting_record(obj)
    record = f" against the meeting record {symbol} ({UNDOCS}{symbol})" if symbol else ""
    if suggestion is None:
        messages.info(request, f"No source suggests these members' votes: enter them{record}.")
        return
    messages.info(request, _suggestion_message(suggestion, record))


def _suggestion_message(suggestion: Suggestion, record: str) -> str:
    verdict = (
        "fit the official tally"
        if suggestion.fits
        else "do not fit: " + " ".join(suggestion.problems)
    )
    version = f" ({suggestion.version})" if suggestion.version else ""
    return (
        f"The rows without a vote are filled in from the {suggestion.label}{version}, held "
        f"back for an editor; they {verdict}. Check each{record} before saving."
    )


VETOES_FIRST = Case(When(outcome=Outcome.VETOED, then=Value(0)), default=Value(1))


@admin.register(WorklistEntry)
class WorklistAdmin(admin.ModelAdmin):
    """The list of records to complete; each opens the draft's own change form."""

    list_display = ["record", "date", "outcome_display", "tally", "missing", "meeting_link", "hint"]
    list_display_links = None
    list_per_page = 50
    show_full_result_count = False
    ordering = [VETOES_FIRST.asc(), "-date", "-resolution_number", "-id"]

    def get_queryset(self, request):
        vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
        return (
            WorklistEntry.objects.incomplete_votes()
            .select_related("meeting")
            .prefetch_related(vetoes, "member_votes")
        )

    # An editor who may change drafts may work through the list; nobody adds to it
    # or deletes from it here: it follows the records' votes.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("resolutions.change_draft")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        title = "Records to complete: published votes without every member's vote"
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        calendar = CouncilCalendar()
        # The page's rows are read once here and kept by the queryset for the template.
        for entry in changelist.result_list:
            entry.suggestion = suggestion_for(entry, calendar)
        return changelist

    @admin.display(description="Record")
    def record(self, obj):
        url = reverse("admin:resolutions_draft_change", args=[obj.pk])
        return format_html('<a href="{}?{}=1">{}</a>', url, WORKLIST_PARAM, obj.symbol)

    @admin.display(description="Outcome")
    def outcome_display(self, obj):
        return obj.outcome_label

    @admin.display(description="Official tally")
    def tally(self, obj):
        return str(obj.recorded_tally or obj.tally or "—")

    @admin.display(description="Members without a vote")
    def missing(self, obj):
        return f"{obj.seats_unvoted} of {obj.seats_sitting}"

    @admin.display(description="Meeting record")
    def meeting_link(self, obj):
        symbol = meeting_record(obj)
        if not symbol:
            return "—"
        return format_html('<a href="{}{}" rel="noopener">{}</a>', UNDOCS, symbol, symbol)

    @admin.display(description="Suggestion")
    def hint(self, obj):
        suggestion = getattr(obj, "suggestion", None)
        if suggestion is None:
            return "—"
        verdict = "fits the official tally" if suggestion.fits else "does not fit the tally"
        return format_html(
            "{} from the {}: {}",
            suggestion.counts() or "no position",
            suggestion.label,
            verdict,
        )
