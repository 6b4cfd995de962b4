"""The JSON and HTML the draft form's script asks for (``static/js/admin/draft_form.js``).

* :func:`council` answers "who sat on this date?" so that the member-vote rows
  fill themselves;
* :func:`preview` validates the whole form without saving and renders the
  outcome exactly as the public pages will, with what stops the save.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from resolutions.rules import check_votes
from votes.calendar import CouncilCalendar
from votes.choices import Source
from votes.outcome import council_size
from votes.rules import day


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
    return JsonResponse(
        {"date": on.isoformat(), "members": members, "message": _sitting_message(on, members)}
    )


def _sitting_message(on: date, members: list[dict]) -> str:
    size = council_size(on)
    if not members:
        return f"No Council membership is recorded for {day(on)}: add the membership terms."
    message = f"{len(members)} members sat on the Council on {day(on)}"
    return message + ("." if len(members) == size else f"; the Charter gives it {size} seats.")


def preview(request, model_admin, object_id=None):
    """Validate the posted form without saving; render the outcome and the problems."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = _editable(request, model_admin, object_id)
    form_class = model_admin.get_form(request, obj, change=obj is not None)
    form = form_class(request.POST, instance=obj)
    problems = _form_problems(form)
    draft = form.instance
    # What the editor states counts as the editor's, as it will once saved, so the
    # preview shows any disagreement with the votes exactly as the public page will.
    stated = [f for f in ("recorded_outcome", "recorded_vetoed_by") if f in form.changed_data]
    draft.field_sources = {**(draft.field_sources or {}), **dict.fromkeys(stated, Source.EDITOR)}
    formset = _votes_formset(request, model_admin, obj, draft)
    problems += _row_problems(formset)
    shown = None
    if draft.date and "date" not in form.errors:
        shown = _check_votes(draft, formset, problems)
    return render(
        request,
        "admin/resolutions/draft/_preview.html",
        {"shown": shown, "problems": problems, "live": True},
    )


def _check_votes(draft, formset, problems: list[str]):
    """The draft as it will be published; adds what its votes' check finds to ``problems``
    when the save would run that check (``MemberVoteFormSet.clean``)."""
    check = check_votes(draft, formset.rows(), CouncilCalendar())
    if formset.touched():
        problems += [p for p in check.problems if p not in problems]
    return check.shown


def _editable(request, model_admin, object_id):
    """The draft being edited (None for a new one), if this editor may change it."""
    obj = model_admin.get_object(request, object_id) if object_id else None
    if (object_id and obj is None) or not _may_edit(request, model_admin, obj):
        raise PermissionDenied
    return obj


def _form_problems(form) -> list[str]:
    if form.is_valid():
        return []
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        prefix = f"{label}: " if label else ""
        problems += [f"{prefix}{error}" for error in errors]
    return problems


def _votes_formset(request, model_admin, obj, draft):
    inline = next(i for i in model_admin.get_inline_instances(request, obj))
    formset_class = inline.get_formset(request, obj)
    formset = formset_class(request.POST, instance=draft, prefix=formset_class.get_default_prefix())
    formset.is_valid()
    return formset


def _row_problems(formset) -> list[str]:
    return [
        f"{row.member_name}: {error}"
        for row in formset.forms
        for errors in row.errors.values()
        for error in errors
    ]


def prefilled_rows(request, obj) -> list[dict]:
    """Rows for the members sitting on ``?date=`` when a new draft is opened with one."""
    if obj is not None or request.method != "GET" or not request.GET.get("date"):
        return []
    query = DateQuery(request.GET)
    if not query.is_valid():
        return []
    return rows_for(query.cleaned_data["date"], CouncilCalendar())


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
