"""What the draft admin needs besides its ModelAdmin classes.

* Endpoints: :func:`council` answers "who sat on this date?" so that the
  member-vote rows fill themselves; :func:`preview` validates the whole form
  without saving and renders the outcome exactly as the public pages will.
* The audit trail: :func:`record_baseline` writes the imported state of a record
  into its history before an editor first changes it (so the change can be
  reverted); :func:`vote_history` and :func:`changes_since` tell who changed what.
* Provenance: what each source said about a field, beside the editor's value.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from resolutions.models import RECORDED_FIELDS, Draft
from resolutions.outcomes import COMPUTED_FIELDS
from resolutions.sources.records import parse_resolution_symbol
from resolutions.sources.values import value_key
from votes.calendar import CouncilCalendar
from votes.choices import Source
from votes.forms import (
    BASELINE_REASON,
    SOURCE_SHORT,
    changed_fields,
    day,
    describe,
    field_label,
    shown,
    who_and_when,
)
from votes.models import MemberVote
from votes.outcome import council_size

# The draft's fields an editor reads in a conflict message.
DRAFT_FIELDS_SHOWN_IN_HISTORY = (
    "date",
    "draft_symbol",
    "resolution_number",
    "resolution_year",
    "meeting",
    "title",
    "press_release",
    "modality",
    "procedural",
    *RECORDED_FIELDS,
    "description",
    "agenda_item",
    "party_to_dispute_abstained",
    "is_published",
)
VOTE_FIELDS = ("position", "non_voting", "note", "state_id", "name_at_vote", "source")
DRAFT_COMPARED = (*DRAFT_FIELDS_SHOWN_IN_HISTORY, "version")


class DateQuery(forms.Form):
    date = forms.DateField()


def _may_edit(request, model_admin, obj=None) -> bool:
    if obj is None:
        return model_admin.has_add_permission(request) or model_admin.has_change_permission(request)
    return model_admin.has_change_permission(request, obj)


@require_GET
def council(request, model_admin):
    """The members sitting on ``?date=``, permanent members first, as JSON."""
    if not _may_edit(request, model_admin):
        raise PermissionDenied
    query = DateQuery(request.GET)
    if not query.is_valid():
        return JsonResponse({"error": "Enter the date as YYYY-MM-DD.", "members": []}, status=400)
    on = query.cleaned_data["date"]
    if on > timezone.localdate():
        return JsonResponse(
            {
                "error": f"{day(on)} is in the future: enter the day the Council voted.",
                "members": [],
            }
        )
    members = rows_for(on, CouncilCalendar())
    size = council_size(on)
    if not members:
        message = f"No Council membership is recorded for {day(on)}: add the membership terms."
    else:
        message = f"{len(members)} members sat on the Council on {day(on)}"
        message += "." if len(members) == size else f"; the Charter gives it {size} seats."
    return JsonResponse({"date": on.isoformat(), "members": members, "message": message})


def preview(request, model_admin, object_id=None):
    """Validate the posted form without saving; render the outcome and the problems."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = model_admin.get_object(request, object_id) if object_id else None
    if object_id and obj is None:
        raise PermissionDenied
    if not _may_edit(request, model_admin, obj):
        raise PermissionDenied
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    form = form_class(request.POST, instance=obj)
    problems = []
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            prefix = f"{label}: " if label else ""
            problems += [f"{prefix}{error}" for error in errors]
    draft = form.instance
    # What the editor states counts as the editor's, as it will once saved, so the
    # preview shows any disagreement with the votes exactly as the public page will.
    stated = [f for f in ("recorded_outcome", "recorded_vetoed_by") if f in form.changed_data]
    draft.field_sources = {**(draft.field_sources or {}), **dict.fromkeys(stated, Source.EDITOR)}
    inline = next(i for i in model_admin.get_inline_instances(request, obj))
    formset_class = inline.get_formset(request, obj)
    formset = formset_class(request.POST, instance=draft, prefix=formset_class.get_default_prefix())
    formset.is_valid()
    for row in formset.forms:
        for errors in row.errors.values():
            problems += [f"{row.member_name}: {error}" for error in errors]
    from resolutions.forms import check_votes  # the forms use this module's helpers

    check = (
        check_votes(draft, formset.rows(), CouncilCalendar())
        if draft.date and "date" not in form.errors
        else None
    )
    if check is not None and formset.touched():
        problems += [p for p in check.problems if p not in problems]
    return render(
        request,
        "admin/resolutions/draft/_preview.html",
        {"shown": check.shown if check else None, "problems": problems, "live": True},
    )


def parse_search(term: str) -> int | None:
    """A resolution number from 'S/RES/2627 (2022)', 'S/RES/2627' or '2627', else None."""
    term = " ".join(term.split())
    parsed = parse_resolution_symbol(term)
    if parsed:
        return parsed[0]
    term = term.upper().removeprefix("S/RES/")
    return int(term) if term.isdigit() else None


def prefilled_rows(request, obj) -> list[dict]:
    """Rows for the members sitting on ``?date=`` when a new draft is opened with one."""
    if obj is not None or request.method != "GET" or not request.GET.get("date"):
        return []
    query = DateQuery(request.GET)
    if not query.is_valid():
        return []
    return rows_for(query.cleaned_data["date"], CouncilCalendar())


# History -------------------------------------------------------------------------


def record_baseline(draft_id: int) -> None:
    """Record the current state of a draft and its votes in their history, where the
    history lacks it (imported records, or records an import changed since).

    Without this an imported record's first editor change could not be reverted:
    the history would hold the editor's version only.
    """
    draft = Draft.objects.get(pk=draft_id)
    latest = Draft.history.filter(id=draft_id).order_by("-history_id").first()
    subjects = set(draft.subjects.values_list("pk", flat=True))
    through = apps.get_model("resolutions", "HistoricalDraft_subjects")
    if (
        latest is None
        or changed_fields(latest, draft, _attnames(DRAFT_COMPARED))
        or subjects
        != set(through.objects.filter(history=latest).values_list("subject_id", flat=True))
    ):
        draft._history_user = None
        [baseline] = Draft.history.bulk_history_create(
            [draft], update=latest is not None, default_change_reason=BASELINE_REASON
        )
        # bulk_history_create leaves the subjects out; without them the editor's
        # first version would seem to have added every subject the import set.
        if baseline.pk is None:  # databases that do not return ids from bulk inserts
            baseline = Draft.history.filter(id=draft_id).order_by("-history_id").first()
        through.objects.bulk_create(
            through(history=baseline, id=row_id, draft_id=draft_id, subject_id=subject_id)
            for row_id, subject_id in Draft.subjects.through.objects.filter(
                draft_id=draft_id
            ).values_list("id", "subject_id")
        )
    latest_votes = {}
    for record in MemberVote.history.filter(draft_id=draft_id).order_by("history_id"):
        latest_votes[record.id] = record
    fresh, stale = [], []
    for vote in MemberVote.objects.filter(draft_id=draft_id):
        record = latest_votes.get(vote.pk)
        if record is None or record.history_type == "-":
            fresh.append(vote)
        elif changed_fields(record, vote, VOTE_FIELDS):
            stale.append(vote)
        vote._history_user = None
    for votes, update in ((fresh, False), (stale, True)):
        if votes:
            MemberVote.history.bulk_history_create(
                votes, update=update, default_change_reason=BASELINE_REASON
            )


def _attnames(names) -> list[str]:
    return [Draft._meta.get_field(n).attname for n in names]


def stamp_computed_fields(draft: Draft) -> None:
    """Copy the refreshed outcome onto the history row this save created.

    The row is written when the draft is saved, before its votes are and before
    refresh_outcomes recomputes the outcome; without this each version would
    show the outcome of the one before.
    """
    latest = Draft.history.filter(id=draft.pk).order_by("-history_id").first()
    if latest is not None:
        type(latest).objects.filter(history_id=latest.history_id).update(
            **{name: getattr(draft, name) for name in COMPUTED_FIELDS}
        )


def vote_history(draft_id: int) -> list[dict]:
    """The changes to a draft's member votes, newest first, each with an undo link."""
    records = list(
        MemberVote.history.filter(draft_id=draft_id)
        .select_related("history_user")
        .order_by("history_id")
    )
    previous: dict[int, object] = {}
    entries = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_change_reason == BASELINE_REASON:
            continue
        if record.history_type == "-":
            changes = ["deleted"]
        elif before is None:
            entered = entries[-1] if entries and entries[-1].get("entered") else None
            if entered is not None and entered["who"] == who_and_when(record):
                # Votes entered together (a new draft): one line, not fifteen.
                entered["entered"] += 1
                entered["name"] = f"{entered['entered']} members"
                continue
            entries.append(
                {
                    "record": record,
                    "name": record.name_at_vote,
                    "who": who_and_when(record),
                    "changes": ["entered"],
                    "undo_url": None,
                    "entered": 1,
                }
            )
            continue
        else:
            changes = [
                f"{field_label(MemberVote, name.removesuffix('_id'))}: "
                f"{shown(name, old)} → {shown(name, new)}"
                for name, old, new in changed_fields(record, before, VOTE_FIELDS)
                if name != "source"
            ]
            if not changes:
                continue
        undo = None
        if before is not None:
            undo = reverse(
                "admin:votes_membervote_simple_history", args=[record.id, before.history_id]
            )
        entries.append(
            {
                "record": record,
                "name": record.name_at_vote,
                "who": who_and_when(record),
                "changes": changes,
                "undo_url": undo,
                "restores": shown("position", before.position) if before else "",
            }
        )
    entries.reverse()
    return entries


# Provenance: what each source said ------------------------------------------------

# The draft form names the meeting by its symbol; the importers keep it as "meeting".
FORM_FIELD_ALIASES = {"meeting_symbol": "meeting"}


def source_values(draft: Draft, form_field: str) -> list[str]:
    """'Dag Hammarskjöld Library … (2026-02-06): 13' for each source giving the field."""
    key, item = value_key(FORM_FIELD_ALIASES.get(form_field, form_field))
    said = []
    for source, info in sorted((draft.sources or {}).items()):
        values = (info or {}).get("values", {})
        if key not in values:
            continue
        value = values[key]
        if item is not None:
            value = value[item] if isinstance(value, list) and len(value) > item else None
        if value in (None, "", []):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        version = f" ({info['version']})" if info.get("version") else ""
        said.append(f"{SOURCE_SHORT.get(source, source)}{version}: “{value}”")
    return said


def changes_since(draft_id: int, loaded_version: int | None) -> list[str]:
    """Every change to a draft and its votes saved after the version an editor loaded."""
    history = list(
        Draft.history.filter(id=draft_id).select_related("history_user").order_by("history_id")
    )
    loaded = [r for r in history if r.version == loaded_version]
    since = loaded[-1].history_date if loaded else None
    lines, previous = [], None
    for record in history:
        if previous is not None and (since is None or record.history_date > since):
            line = describe(record, previous, DRAFT_FIELDS_SHOWN_IN_HISTORY)
            if not line.endswith("no visible field."):
                lines.append(line)
        previous = record
    last_by_vote = {}
    for record in (
        MemberVote.history.filter(draft_id=draft_id)
        .select_related("history_user")
        .order_by("history_id")
    ):
        recent = since is None or record.history_date > since
        if recent and record.history_change_reason != BASELINE_REASON:
            lines.append(
                describe(
                    record,
                    last_by_vote.get(record.id),
                    ("position", "non_voting", "note"),
                    record.name_at_vote,
                )
            )
        last_by_vote[record.id] = record
    return lines or ["(the details are in the record's history)"]


def source_note(vote: MemberVote, said: tuple[str, str] | None) -> str:
    """Where a vote's position comes from, with the source's own value beside an editor's."""
    if vote.source != Source.EDITOR:
        return SOURCE_SHORT.get(vote.source, vote.source)
    if said is None:
        return "Editor"
    position, source = said
    return f"Editor; {SOURCE_SHORT.get(source, source)} said {shown('position', position)}"


def rows_for(on: date, calendar: CouncilCalendar | None = None) -> list[dict]:
    """The members sitting on a date, permanent members first, as the form rows want them."""
    calendar = calendar or CouncilCalendar()
    return [
        {
            "state": seat.state_id,
            "name_at_vote": seat.name,
            "code": seat.code,
            "permanent": "1" if seat.seat else "",
        }
        for seat in calendar.sitting(on)
    ]


def subjects_by_version(history_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The subjects each listed version of a draft had, in one query."""
    through = apps.get_model("resolutions", "HistoricalDraft_subjects")
    found: dict[int, list[str]] = {}
    for history_id, name in through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "subject__name"
    ):
        found.setdefault(history_id, []).append(name)
    return {key: tuple(sorted(names)) for key, names in found.items()}
