from django.contrib import admin

from votes.models import (
    MembershipTerm,
    MemberState,
    MemberStateName,
    MemberVote,
    PermanentSeat,
    Veto,
)


class MemberStateNameInline(admin.TabularInline):
    model = MemberStateName
    extra = 0


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code", "names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberStateNameInline]


@admin.register(PermanentSeat)
class PermanentSeatAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(MembershipTerm)
class MembershipTermAdmin(admin.ModelAdmin):
    list_display = ["state", "kind", "seat", "start", "end", "source"]
    list_filter = ["kind", "source"]
    list_select_related = ["state", "seat"]
    search_fields = ["state__name", "state__code"]
    autocomplete_fields = ["state"]
    date_hierarchy = "start"


@admin.register(MemberVote)
class MemberVoteAdmin(admin.ModelAdmin):
    list_display = ["draft", "name_at_vote", "position", "non_voting", "seat", "source"]
    list_filter = ["position", "seat", "source"]
    list_select_related = ["draft", "seat"]
    search_fields = ["draft__draft_symbol", "state__name", "name_at_vote"]
    raw_id_fields = ["draft"]
    autocomplete_fields = ["state"]
    show_full_result_count = False


@admin.register(Veto)
class VetoAdmin(admin.ModelAdmin):
    """Vetoes are computed by the outcome engine; the admin shows them read-only."""

    list_display = ["draft", "name_at_vote", "seat"]
    list_filter = ["seat"]
    list_select_related = ["draft", "seat"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
