"""A member vote on its own page: its history, the Undo of one change (simple_history's
revert form, linked from the draft's History page), and deletion.

Every change here moves the draft to a new version (so an editor with the draft
open gets a conflict, not an overwrite) and recomputes its outcome.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator

from resolutions.admin.drafts import REVERTED, outcome_message
from resolutions.admin.forms import SingleVoteForm
from resolutions.history import record_baseline, stamp_computed_fields
from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.rules import check_votes, ever_published, stored_rows
from votes.admin import EditorHistoryAdmin, is_revert
from votes.calendar import CouncilCalendar
from votes.choices import Source
from votes.models import MemberVote
from votes.seating import place


@admin.register(MemberVote)
class MemberVoteAdmin(EditorHistoryAdmin):
    form = SingleVoteForm
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
            record_baseline(obj.draft_id)
        place(obj, obj.draft.date, CouncilCalendar())
        if is_revert(request):
            obj._change_reason = REVERTED
        elif form.has_changed():
            obj.source = Source.EDITOR
        super().save_model(request, obj, form, change)
        votes_changed(request, obj.draft_id, f"Vote of {obj.name_at_vote} changed")

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
    """A vote changed outside the draft's form: a new version of the draft, its
    outcome recomputed, and a word when the set of votes is now inconsistent."""
    draft = new_version(draft_id, reason)
    messages.info(request, outcome_message(draft))
    # One vote changed alone (or undone) may leave the whole inconsistent: say so.
    for problem in check_votes(draft, stored_rows(draft), CouncilCalendar()).problems:
        messages.warning(request, problem)


@transaction.atomic
def new_version(draft_id: int, reason: str) -> Draft:
    """Move the draft to a new version (its lock token) and recompute its outcome."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    draft.version += 1
    draft._change_reason = reason
    draft.save(update_fields=["version", "updated_at"])
    refresh_outcomes([draft.pk])
    draft.refresh_from_db()
    stamp_computed_fields(draft)
    return draft
