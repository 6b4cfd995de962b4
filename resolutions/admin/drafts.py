"""Drafts in the admin: the list, and the draft form with its member votes inline,
the Council of the day filled in and the outcome previewed as it will be published.

Saving keeps who set what (``Draft.field_sources``: a field an editor set is the
editor's, and imports leave it alone), moves the draft to a new ``version`` (the
lock token, ``votes/locking.py``) and recomputes the outcome from the votes saved.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.db.models import F, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse

from resolutions.admin.endpoints import council, preview
from resolutions.admin.forms import DraftForm, MemberVoteFormSet
from resolutions.admin.history import DraftHistoryMixin
from resolutions.admin.search import search_drafts
from resolutions.admin.worklist import announce_suggestion, form_rows
from resolutions.history import record_baseline, stamp_computed_fields
from resolutions.models import RECORDED_FIELDS, Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.rules import ever_published
from votes.admin import (
    EditorHistoryAdmin,
    MemberStateFilter,
    StateFilterForm,
    YearListFilter,
    is_revert,
)
from votes.choices import Source
from votes.forms import VoteRowForm
from votes.models import MemberVote, Veto
from votes.seating import place_votes

DRAFT_PREFIX = "member_votes"
REVERTED = "Reverted to an earlier version"


def published_once(draft: Draft) -> bool:
    """``ever_published``, asked once per request: the form asks for each permission."""
    if not hasattr(draft, "_ever_published"):
        draft._ever_published = ever_published(draft)  # type: ignore[attr-defined]
    return draft._ever_published  # type: ignore[attr-defined]


class MemberVoteInline(admin.TabularInline):
    model = MemberVote
    form = VoteRowForm
    formset = MemberVoteFormSet
    template = "admin/resolutions/draft/member_votes_inline.html"
    fields = ["state", "name_at_vote", "permanent", "position", "non_voting", "note"]
    extra = 0
    verbose_name = "member vote"

    def get_queryset(self, request):
        # Permanent members first, in seat order, then the elected by name: as published.
        return (
            super()
            .get_queryset(request)
            .order_by(F("seat__position").asc(nulls_last=True), "name_at_vote")
        )

    def get_extra(self, request, obj=None, **kwargs):
        return len(form_rows(request, obj))

    def has_delete_permission(self, request, obj=None):
        # ``obj`` is the draft. The votes of a record that is or was published go
        # only with a superuser, as on their own page: no DELETE box, and a DELETE
        # posted anyway is ignored (the formset cannot delete).
        if obj is not None and not request.user.is_superuser and published_once(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Draft)
class DraftAdmin(DraftHistoryMixin, EditorHistoryAdmin):
    form = DraftForm
    change_form_template = "admin/resolutions/draft/change_form.html"
    list_display = [
        "symbol_display",
        "date",
        "draft_symbol",
        "tally_display",
        "outcome_display",
        "is_published",
    ]
    list_display_links = ["symbol_display"]
    list_select_related = ["meeting"]
    list_filter = [YearListFilter, "outcome", MemberStateFilter, "is_published", "modality", "kind"]
    list_per_page = 50
    search_fields = ["draft_symbol", "title", "meeting__symbol"]
    search_help_text = "A symbol (S/2022/431, S/RES/2627 (2022), S/PV.9048) or words of the title."
    show_full_result_count = False
    ordering = ["-date", "-resolution_number", "-id"]
    autocomplete_fields = ["agenda_item", "subjects"]
    inlines = [MemberVoteInline]
    fieldsets = [
        (
            "The vote",
            {
                "fields": [
                    "date",
                    ("draft_symbol", "meeting_symbol"),
                    ("resolution_number", "resolution_year"),
                    "modality",
                    ("procedural", "party_to_dispute_abstained"),
                    "loaded_version",
                ]
            },
        ),
        (
            "What it is about",
            {"fields": ["title", "description", "agenda_item", "subjects", "press_release"]},
        ),
        (
            "Totals as a source recorded them (optional)",
            {
                "classes": ["collapse"],
                "description": "Leave blank when every member's vote is entered below: "
                "the tally is computed from the votes.",
                # One field per line: Django opens a collapsed section with an error
                # in it only when its fields are not grouped on a line.
                "fields": [
                    *RECORDED_FIELDS,
                ],
            },
        ),
        ("Publishing", {"fields": ["is_published"]}),
    ]

    @property
    def media(self):
        # The member-state filter's autocomplete (list page), and the draft editor.
        return (
            super().media
            + StateFilterForm(admin_site=self.admin_site).media
            + forms.Media(js=["js/admin/draft_form.js"])
        )

    def get_queryset(self, request):
        vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
        return super().get_queryset(request).prefetch_related(vetoes)

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        return search_drafts(queryset, search_term, found, duplicates)

    # Columns ------------------------------------------------------------------
    @admin.display(description="Symbol", ordering="resolution_number")
    def symbol_display(self, obj):
        return obj.symbol

    @admin.display(description="Tally")
    def tally_display(self, obj):
        return str(obj.tally) if obj.tally else "—"

    @admin.display(description="Outcome", ordering="outcome")
    def outcome_display(self, obj):
        return obj.outcome_label

    # Permissions --------------------------------------------------------------
    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and published_once(obj):
            return False
        return super().has_delete_permission(request, obj)

    # The form -----------------------------------------------------------------
    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, MemberVoteInline):
            initial = form_rows(request, obj)
            if initial:
                kwargs["initial"] = initial
        return kwargs

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(partial(function, model_admin=self))

        own = [
            path("council/", view(council), name="resolutions_draft_council"),
            path("preview/", view(preview), name="resolutions_draft_preview"),
            path(
                "<path:object_id>/preview/",
                view(preview),
                name="resolutions_draft_preview",
            ),
        ]
        return own + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Opened from the editors' worklist: say where the filled-in rows come from.
        announce_suggestion(request, obj if change else None)
        args = [obj.pk] if obj is not None and obj.pk else []
        context["preview_url"] = reverse("admin:resolutions_draft_preview", args=args)
        context["council_url"] = reverse("admin:resolutions_draft_council")
        context["vote_prefix"] = DRAFT_PREFIX
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving -------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        edited = _prepare_change(obj, form) if change else _prepare_new(obj, form)
        if obj.meeting is not None and obj.meeting.pk is None:
            obj.meeting.save()  # a meeting record typed for the first time
        obj.field_sources = {
            **(obj.field_sources or {}),
            **dict.fromkeys(edited, Source.EDITOR),
        }
        reverting = is_revert(request)
        if reverting:
            obj._change_reason = REVERTED
        super().save_model(request, obj, form, change)
        if reverting:
            # simple_history's revert saves no inlines, so save_related is not called.
            after_save(request, obj)
            for warning in form.warnings:
                messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        draft = form.instance
        if change and "date" in form.changed_data:
            rename_votes(draft)
        after_save(request, draft)

    def response_change(self, request, obj):
        if is_revert(request):
            return HttpResponseRedirect(reverse("admin:resolutions_draft_change", args=[obj.pk]))
        return super().response_change(request, obj)


def _prepare_change(obj: Draft, form) -> list[str]:
    """Ready a changed draft for saving; the fields the editor set."""
    record_baseline(obj.pk)
    fresh = Draft.objects.get(pk=obj.pk)
    edited = edited_fields(form, obj, fresh)
    # Fields outside the form (sources, computed outcome…) are taken as stored now:
    # a reverted version must not bring back old ones.
    outside = {f.name for f in Draft._meta.concrete_fields} - set(model_fields(form))
    for name in outside - {"meeting"}:
        attname = Draft._meta.get_field(name).attname
        setattr(obj, attname, getattr(fresh, attname))
    obj.version = (form.current_token or fresh.version) + 1
    return edited


def _prepare_new(obj: Draft, form) -> list[str]:
    obj.source = Source.EDITOR
    return edited_fields(form, obj, None)


def after_save(request, draft: Draft) -> None:
    """The computed outcome follows the votes just saved, in the history too."""
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    stamp_computed_fields(draft)
    messages.info(request, outcome_message(draft))


def outcome_message(draft: Draft) -> str:
    """The saved outcome, in the words the public pages use."""
    tally = f" ({draft.tally})" if draft.tally else ""
    return f"{draft.symbol} now reads: {draft.outcome_label}{tally}."


# Who set which field ----------------------------------------------------------------


def model_fields(form) -> list[str]:
    """The draft's own fields among the form's (not meeting_symbol, loaded_version)."""
    names = {f.name for f in Draft._meta.get_fields()}
    return [name for name in form._meta.fields if name in names]


def edited_fields(form, obj: Draft, fresh: Draft | None) -> list[str]:
    """The model fields whose saved value this editor chose (for ``field_sources``)."""
    edited = [name for name in model_fields(form) if _edited(form, obj, fresh, name)]
    if _meeting_edited(obj, fresh):
        edited.append("meeting")
    # Publishing is the editor's decision, never a value a source gives.
    return [name for name in edited if name != "is_published"]


def _edited(form, obj: Draft, fresh: Draft | None, name: str) -> bool:
    if name == "subjects":
        return "subjects" in form.changed_data
    attname = Draft._meta.get_field(name).attname
    value = getattr(obj, attname)
    if fresh is None:  # a new draft: every value given is the editor's
        return value not in (None, "", [], False)
    return value != getattr(fresh, attname)


def _meeting_edited(obj: Draft, fresh: Draft | None) -> bool:
    meeting = obj.meeting
    if meeting is not None and meeting.pk is None:
        return True  # typed for the first time
    meeting_id = meeting.pk if meeting is not None else None
    return meeting_id != (fresh.meeting_id if fresh is not None else None)


def rename_votes(draft: Draft) -> None:
    """After a date change, each member's seat and name as on the new date.

    Saved one by one, not in bulk, so that each change is in the vote's history.
    """
    for vote in place_votes(MemberVote.objects.filter(draft=draft).select_related("draft")):
        vote.save()
