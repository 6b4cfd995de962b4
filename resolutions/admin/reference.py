"""The records drafts point to (meetings, agenda items, subjects), the disagreements
between sources, and the record of imports: short admins, most of them read-only
for editors (see migration 0002 for who may change what)."""

from django.contrib import admin

from resolutions.admin.forms import MeetingForm
from resolutions.models import (
    AgendaItem,
    Disagreement,
    Meeting,
    RecordVersion,
    SourceImport,
    Subject,
)
from votes.admin import EditorHistoryAdmin
from votes.history import BASELINE_REASON


@admin.register(Meeting)
class MeetingAdmin(EditorHistoryAdmin):
    """Locked and logged like drafts: History lists who changed what, and a second
    editor's save over the first's is refused with what changed."""

    form = MeetingForm
    list_display = ["symbol", "date"]
    search_fields = ["symbol"]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change and not Meeting.history.filter(id=obj.pk).exists():
            # The imported state first, so that this change can be reverted.
            stored = Meeting.objects.get(pk=obj.pk)
            stored._history_user = None  # type: ignore[attr-defined]  # read by simple_history
            Meeting.history.bulk_history_create([stored], default_change_reason=BASELINE_REASON)
        super().save_model(request, obj, form, change)


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
