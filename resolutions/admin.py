"""The editors' admin: enter a vote with the Council pre-filled, see its outcome as it
will be published, keep who changed what, and never save over a colleague's edit.

Editors (the "Editors" group, see migration 0002) add and change drafts, votes,
meetings and Council terms. Only a superuser can delete a record that has ever
been published. The public pages need no login at all.
"""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from resolutions import admin_views
from resolutions.forms import (
    DraftForm,
    MemberVoteFormSet,
    SingleVoteForm,
    check_votes,
    stored_rows,
)
from resolutions.models import (
    RECORDED_FIELDS,
    AgendaItem,
    Disagreement,
    Draft,
    Meeting,
    RecordVersion,
    SourceImport,
    Subject,
)
from resolutions.outcomes import refresh_outcomes
from votes.admin import MemberStateFilter, StateFilterForm, YearFilter
from votes.calendar import CouncilCalendar
from votes.choices import Source
from votes.forms import VoteRowForm
from votes.models import MemberVote, Veto

admin.site.site_header = "SC Votes: editors"
admin.site.site_title = "SC Votes editors"
admin.site.index_title = "The record"

DRAFT_PREFIX = "member_votes"


def is_revert(request) -> bool:
    """Whether the request is simple_history's "revert to this version" form."""
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


# The member votes of a draft -------------------------------------------------------


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
        return len(admin_views.prefilled_rows(request, obj))


# Drafts ----------------------------------------------------------------------------


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    form = DraftForm
    change_form_template = "admin/resolutions/draft/change_form.html"
    object_history_template = "admin/resolutions/draft/object_history.html"
    object_history_list_template = "admin/history_list.html"
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
    list_filter = [YearFilter, "outcome", MemberStateFilter, "is_published", "modality"]
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
        number = admin_views.parse_search(search_term)
        if number is None:
            return found, duplicates
        # "S/RES/2627 (2022)" names one resolution; a bare "2627" may also be in a symbol.
        by_number = queryset.filter(resolution_number=number)
        if search_term.strip().isdigit():
            return found | by_number, duplicates
        return by_number, False

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
        if obj is not None and not request.user.is_superuser and ever_published(obj):
            return False
        return super().has_delete_permission(request, obj)

    # The form -----------------------------------------------------------------
    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if is_revert(request):
            form = type(form.__name__, (form,), {"reverting": True})
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, MemberVoteInline):
            initial = admin_views.prefilled_rows(request, obj if obj and obj.pk else None)
            if initial:
                kwargs["initial"] = initial
        return kwargs

    def get_urls(self):
        own = [
            path(
                "council/",
                self.admin_site.admin_view(partial(admin_views.council, model_admin=self)),
                name="resolutions_draft_council",
            ),
            path(
                "preview/",
                self.admin_site.admin_view(partial(admin_views.preview, model_admin=self)),
                name="resolutions_draft_preview",
            ),
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(partial(admin_views.preview, model_admin=self)),
                name="resolutions_draft_preview",
            ),
        ]
        return own + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        args = [obj.pk] if obj is not None and obj.pk else []
        context["preview_url"] = reverse("admin:resolutions_draft_preview", args=args)
        context["council_url"] = reverse("admin:resolutions_draft_council")
        context["vote_prefix"] = DRAFT_PREFIX
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Saving -------------------------------------------------------------------
    def save_model(self, request, obj, form, change):
        fields = {f.name for f in Draft._meta.concrete_fields}
        if change:
            admin_views.record_baseline(obj.pk)
            fresh = Draft.objects.get(pk=obj.pk)
            edited = edited_fields(form, obj, fresh)
            # Fields outside the form (sources, computed outcome…) are taken as
            # stored now: a reverted version must not bring back old ones.
            for name in fields - set(model_fields(form)) - {"meeting"}:
                field = Draft._meta.get_field(name)
                setattr(obj, field.attname, getattr(fresh, field.attname))
            obj.version = (form.current_version or fresh.version) + 1
        else:
            edited = edited_fields(form, obj, None)
            obj.source = Source.EDITOR
        if obj.meeting is not None and obj.meeting.pk is None:
            obj.meeting.save()  # a meeting record typed for the first time
        obj.field_sources = {
            **(obj.field_sources or {}),
            **dict.fromkeys(edited, Source.EDITOR),
        }
        if is_revert(request):
            obj._change_reason = "Reverted to an earlier version"
        super().save_model(request, obj, form, change)
        if is_revert(request):
            # simple_history's revert saves no inlines, so save_related is not called.
            self._after_save(request, obj)
            for warning in form.warnings:
                messages.warning(request, warning)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        draft = form.instance
        if change and "date" in form.changed_data:
            rename_votes(draft)
        self._after_save(request, draft)

    def _after_save(self, request, draft):
        # The computed outcome must follow the votes just saved.
        refresh_outcomes([draft.pk])
        draft.refresh_from_db()
        admin_views.stamp_computed_fields(draft)
        messages.info(request, outcome_message(draft))

    def response_change(self, request, obj):
        if is_revert(request):
            return HttpResponseRedirect(reverse("admin:resolutions_draft_change", args=[obj.pk]))
        return super().response_change(request, obj)

    # History ------------------------------------------------------------------
    @method_decorator(transaction.atomic)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's revert runs outside a transaction, unlike the admin's own
        # forms: the locking check and the save with its recomputed outcome are one.
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        extra = {"vote_changes": admin_views.vote_history(object_id), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=extra)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        # simple_history diffs many-to-many fields with two queries per version;
        # the subjects of every listed version are read here in one instead.
        subjects = admin_views.subjects_by_version([r.history_id for r in records])
        previous = None
        for current in records:
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=["version", "updated_at", "created_at", "subjects"],
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                changes = helper.context_for_delta_changes(delta)
                old = subjects.get(current.history_id, ())
                new = subjects.get(previous.history_id, ())
                if old != new:
                    # Already names, so added after the helper, which expects
                    # simple_history's own many-to-many rows.
                    changes.append(
                        {
                            "field": capfirst(Draft._meta.get_field("subjects").verbose_name),
                            "old": ", ".join(old) or "—",
                            "new": ", ".join(new) or "—",
                        }
                    )
                previous.history_delta_changes = changes
            previous = current


def outcome_message(draft: Draft) -> str:
    """The saved outcome, in the words the public pages use."""
    tally = f" ({draft.tally})" if draft.tally else ""
    return f"{draft.symbol} now reads: {draft.outcome_label}{tally}."


def ever_published(draft: Draft) -> bool:
    """Published now or in any earlier version: unpublishing does not make it deletable."""
    return draft.is_published or Draft.history.filter(id=draft.pk, is_published=True).exists()


def model_fields(form) -> list[str]:
    """The draft's own fields among the form's (not meeting_symbol, loaded_version)."""
    names = {f.name for f in Draft._meta.get_fields()}
    return [name for name in form._meta.fields if name in names]


def edited_fields(form, obj: Draft, fresh: Draft | None) -> list[str]:
    """The model fields whose saved value this editor chose (for ``field_sources``)."""
    edited = []
    for name in model_fields(form):
        if name == "subjects":
            if "subjects" in form.changed_data:
                edited.append(name)
            continue
        attname = Draft._meta.get_field(name).attname
        value = getattr(obj, attname)
        if fresh is None:
            if value not in (None, "", [], False) and name != "is_published":
                edited.append(name)
        elif value != getattr(fresh, attname):
            edited.append(name)
    meeting = obj.meeting
    meeting_id = meeting.pk if meeting is not None else None
    if (meeting is not None and meeting_id is None) or meeting_id != (
        fresh.meeting_id if fresh is not None else None
    ):
        edited.append("meeting")
    return [name for name in edited if name != "is_published"]


def rename_votes(draft: Draft) -> None:
    """After a date change, name each member and its seat as on the new date."""
    calendar = CouncilCalendar()
    for vote in MemberVote.objects.filter(draft=draft):
        seat = calendar.seat_of(vote.state_id, draft.date)
        if seat and (vote.name_at_vote, vote.seat_id) != (seat.name, seat.seat_id):
            vote.name_at_vote, vote.seat_id = seat.name, seat.seat_id
            vote.save()


# Member votes on their own (history, revert) -------------------------------------


@admin.register(MemberVote)
class MemberVoteAdmin(SimpleHistoryAdmin):
    form = SingleVoteForm
    object_history_list_template = "admin/history_list.html"
    list_display = ["draft", "name_at_vote", "position", "non_voting", "source"]
    list_filter = ["position", "source"]
    list_select_related = ["draft"]
    search_fields = ["draft__draft_symbol", "name_at_vote"]
    raw_id_fields = ["draft"]
    autocomplete_fields = ["state"]
    readonly_fields = ["name_at_vote", "seat", "source"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        # A saved vote belongs to one member on one draft: moving it elsewhere would
        # leave the first draft's outcome stale. Change its position instead.
        if obj is not None:
            return [*self.readonly_fields, "draft", "state"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if is_revert(request):
            form = type(form.__name__, (form,), {"reverting": True})
        return form

    def has_delete_permission(self, request, obj=None):
        # A vote of a record that is or was published goes only with a superuser.
        if obj is not None and not request.user.is_superuser and ever_published(obj.draft):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        if not request.user.is_superuser and any(
            ever_published(v.draft) for v in queryset.select_related("draft")
        ):
            raise PermissionDenied
        self._delete_queryset(request, queryset)

    def save_model(self, request, obj, form, change):
        if change:
            admin_views.record_baseline(obj.draft_id)
        seat = CouncilCalendar().seat_of(obj.state_id, obj.draft.date)
        if seat is not None:
            obj.name_at_vote, obj.seat_id = seat.name, seat.seat_id
        if is_revert(request):
            obj._change_reason = "Reverted to an earlier version"
        elif form.has_changed():
            obj.source = Source.EDITOR
        super().save_model(request, obj, form, change)
        votes_changed(request, obj.draft_id, f"Vote of {obj.name_at_vote} changed")

    @method_decorator(transaction.atomic)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        votes_changed(request, obj.draft_id, f"Vote of {obj.name_at_vote} deleted")

    @method_decorator(transaction.atomic)
    def _delete_queryset(self, request, queryset):
        drafts = set(queryset.values_list("draft_id", flat=True))
        super().delete_queryset(request, queryset)
        for draft_id in sorted(drafts):
            votes_changed(request, draft_id, "Votes deleted")

    def response_change(self, request, obj):
        if is_revert(request):
            return HttpResponseRedirect(
                reverse("admin:resolutions_draft_history", args=[obj.draft_id])
            )
        return super().response_change(request, obj)


def votes_changed(request, draft_id: int, reason: str) -> None:
    """A vote changed outside the draft's form: move the draft to a new version (so an
    editor with the draft open gets a conflict, not an overwrite) and recompute it."""
    with transaction.atomic():
        draft = Draft.objects.select_for_update().get(pk=draft_id)
        draft.version += 1
        draft._change_reason = reason
        draft.save(update_fields=["version", "updated_at"])
        refresh_outcomes([draft.pk])
        draft.refresh_from_db()
        admin_views.stamp_computed_fields(draft)
    messages.info(request, outcome_message(draft))
    # One vote changed alone (or undone) may leave the whole inconsistent: say so.
    for problem in check_votes(draft, stored_rows(draft), CouncilCalendar()).problems:
        messages.warning(request, problem)


# Reference lists ------------------------------------------------------------------


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["symbol", "date"]
    search_fields = ["symbol"]
    show_full_result_count = False


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    ordering = ["name"]  # autocomplete pages need a stable order


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]
    ordering = ["name"]


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "field", "detected_by", "created_at"]
    list_filter = ["kind", "detected_by"]
    list_select_related = ["draft"]
    raw_id_fields = ["draft"]
    show_full_result_count = False


@admin.register(RecordVersion)
class RecordVersionAdmin(admin.ModelAdmin):
    """When the record last changed (read-only): what ETags and Last-Modified follow."""

    list_display = ["changed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SourceImport)
class SourceImportAdmin(admin.ModelAdmin):
    list_display = ["source", "version", "created", "updated", "unchanged", "conflicts"]
    list_filter = ["source"]
