"""The records drafts point to (meetings, agenda items, subjects), the disagreements
between sources, and the record of imports: short admins, most of them read-only
for editors (see migration 0002 for who may change what)."""

from django.contrib import admin

from resolutions.models import (
    AgendaItem,
    Disagreement,
    Meeting,
    RecordVersion,
    SourceImport,
    Subject,
)


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
