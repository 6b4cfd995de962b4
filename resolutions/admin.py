from django.contrib import admin

from resolutions.models import (
    AgendaItem,
    Disagreement,
    Draft,
    Meeting,
    SourceImport,
    Subject,
)
from resolutions.outcomes import refresh_outcomes
from votes.models import MemberVote


class MemberVoteInline(admin.TabularInline):
    model = MemberVote
    extra = 0
    autocomplete_fields = ["state"]
    fields = ["state", "position", "non_voting", "name_at_vote", "seat", "note"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "date", "draft_symbol", "outcome_label_display", "is_published"]
    list_filter = ["outcome", "modality", "is_published", "outcome_disputed"]
    search_fields = ["draft_symbol", "title", "=resolution_number"]
    date_hierarchy = "date"
    raw_id_fields = ["meeting", "agenda_item"]
    filter_horizontal = ["subjects"]
    readonly_fields = [
        "outcome",
        "outcome_basis",
        "tally_yes",
        "tally_no",
        "tally_abstain",
        "tally_non_voting",
        "outcome_disagreements",
    ]
    inlines = [MemberVoteInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("vetoes__seat")

    @admin.display(description="Outcome")
    def outcome_label_display(self, obj):
        return obj.outcome_label

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The computed outcome must follow the votes just saved.
        refresh_outcomes([form.instance.pk])


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["symbol", "date"]
    search_fields = ["symbol"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Disagreement)
class DisagreementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "field", "detected_by", "created_at"]
    list_filter = ["kind", "detected_by"]
    list_select_related = ["draft"]
    raw_id_fields = ["draft"]


@admin.register(SourceImport)
class SourceImportAdmin(admin.ModelAdmin):
    list_display = [
        "source",
        "version",
        "created",
        "updated",
        "unchanged",
        "conflicts",
        "finished_at",
    ]
    list_filter = ["source"]
