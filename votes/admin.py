"""The admin for who sits on the Council, what the editors' history pages share, and
the list filters the drafts' list uses (by year, by member state). Member votes are
edited with their draft (``resolutions/admin/``), because every change to a vote
recomputes its outcome."""

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.decorators import method_decorator
from simple_history.admin import SimpleHistoryAdmin

from votes.choices import Source
from votes.forms import MembershipTermForm
from votes.history import BASELINE_REASON
from votes.models import (
    MembershipTerm,
    MemberState,
    MemberStateName,
    MemberVote,
    PermanentSeat,
    Veto,
)


def is_revert(request) -> bool:
    """Whether the request is simple_history's "revert to this version" form."""
    match = request.resolver_match
    return bool(match and match.url_name and match.url_name.endswith("_simple_history"))


class EditorHistoryAdmin(SimpleHistoryAdmin):
    """What every history page of the editors' admin shares: one version list, and a
    revert that is one transaction and that the form knows to be one."""

    object_history_list_template = "admin/history_list.html"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if is_revert(request):
            # The form knows it holds an old version: see the forms' ``reverting``.
            form = type(form.__name__, (form,), {"reverting": True})
        return form

    @method_decorator(transaction.atomic)
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's revert runs outside a transaction, unlike the admin's own
        # forms: the locking check and the save (with what follows it) are one.
        return super().history_form_view(request, object_id, version_id, extra_context)


class YearListFilter(admin.SimpleListFilter):
    """Records by the year of their ``date``, listing only the years that have some."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.model.objects.dates("date", "year", "DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"{value!r} is not a year")
        return queryset.filter(date__year=int(value))


class StateFilterForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"] = forms.ModelChoiceField(
            queryset=MemberState.objects.all(),
            required=False,
            label="Member state",
            widget=AutocompleteSelect(
                MemberVote._meta.get_field("state"),
                admin_site,
                attrs={"data-placeholder": "Any member state", "aria-label": "Member state"},
            ),
        )


class MemberStateFilter(admin.SimpleListFilter):
    """Drafts a given state voted on, the state picked with autocomplete (about 190)."""

    title = "member state"
    parameter_name = "state"
    template = "admin/resolutions/draft/state_filter.html"

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.form = StateFilterForm(
            initial={"state": self.value()}, admin_site=model_admin.admin_site
        )
        self.other_params = [
            (name, value)
            for name, value in request.GET.items()
            if name not in (self.parameter_name, "p", "e")
        ]

    def lookups(self, request, model_admin):
        return ()

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(f"{value!r} is not a member state")
        return queryset.filter(member_votes__state_id=int(value))

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "All member states",
        }


class MemberStateNameInline(admin.TabularInline):
    model = MemberStateName
    extra = 0


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "slug"]
    # Also what the member-state autocompletes search.
    search_fields = ["name", "code", "names__name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MemberStateNameInline]


@admin.register(PermanentSeat)
class PermanentSeatAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "position"]


@admin.register(MembershipTerm)
class MembershipTermAdmin(EditorHistoryAdmin):
    """Terms are checked by ``MembershipTerm.clean``: no overlapping terms for a state,
    and never more members (or permanent members) than the Council had seats."""

    form = MembershipTermForm
    list_display = ["state", "kind", "seat", "start", "end", "source"]
    list_filter = ["kind", "source"]
    list_select_related = ["state", "seat"]
    search_fields = ["state__name", "state__code"]
    autocomplete_fields = ["state"]
    readonly_fields = ["source", "source_version"]
    date_hierarchy = "start"
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        if change and not MembershipTerm.history.filter(id=obj.pk).exists():
            # The imported state first, so that this change can be reverted.
            stored = MembershipTerm.objects.get(pk=obj.pk)
            stored._history_user = None  # type: ignore[attr-defined]  # read by simple_history
            MembershipTerm.history.bulk_history_create(
                [stored], default_change_reason=BASELINE_REASON
            )
        if form.has_changed():
            obj.source = Source.EDITOR
        super().save_model(request, obj, form, change)


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
        # Never on their own; only with their draft, when whoever deletes the
        # draft may (the draft's own rule decides, see DraftAdmin).
        return obj is not None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        raise PermissionDenied

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"show_delete": False, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=extra)
