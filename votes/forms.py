"""The editors' forms for member votes and Council terms.

The rules a list of member votes must satisfy are in ``votes/rules.py``; the lock
that keeps two editors from saving over each other is ``votes/locking.py``. Votes
and terms have no version number, so their lock token is their newest history row.
"""

from __future__ import annotations

from django import forms

from votes.choices import NonVoting, Position
from votes.history import NON_VOTING_LABELS, POSITION_LABELS, field_label
from votes.locking import HistoryLock, LockedForm, token_field
from votes.models import MembershipTerm, MemberVote

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VoteRowForm(forms.ModelForm):
    """One row of the draft's member-vote table: the member is fixed, the editor sets
    the position. ``name_at_vote`` is carried for display and recomputed on save."""

    position = forms.ChoiceField(
        choices=[("", "—"), *Position.choices], required=False, label="Position"
    )
    non_voting = forms.ChoiceField(
        choices=[("", "—"), *[(v, label) for v, label in NonVoting.choices if v]],
        required=False,
        label="If no vote, why",
    )
    permanent = forms.CharField(widget=forms.HiddenInput, required=False)
    source_note = ""  # set by the draft's formset for saved votes

    class Meta:
        model = MemberVote
        fields = ["state", "name_at_vote", "position", "non_voting", "note"]
        widgets = {
            "state": forms.HiddenInput,
            "name_at_vote": forms.HiddenInput,
            "note": forms.TextInput(attrs={"size": 18}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_at_vote"].required = False
        if self.instance.pk:
            self.fields["permanent"].initial = "1" if self.instance.seat_id else ""
        name = self.member_name
        for field in ("position", "non_voting", "note"):
            self.fields[field].widget.attrs["aria-label"] = f"{field_label(MemberVote, field)}"
            if name:
                self.fields[field].widget.attrs["aria-label"] += f" of {name}"
        self.fields["position"].widget.attrs["class"] = "vote-position"
        self.fields["non_voting"].widget.attrs["class"] = "vote-non-voting"

    def has_changed(self):
        # A new row the editor left blank is not a vote: it is neither checked nor saved.
        if self.instance.pk is None and not any(
            self.data.get(self.add_prefix(name)) for name in ("position", "non_voting", "note")
        ):
            return False
        return super().has_changed()

    @property
    def member_name(self) -> str:
        return str(self["name_at_vote"].value() or "")

    @property
    def is_permanent(self) -> bool:
        return bool(self["permanent"].value())

    def clean(self):
        cleaned = super().clean() or {}
        position = cleaned.get("position")
        reason = cleaned.get("non_voting")
        if reason and position in ("", None):
            # "Not present" is enough: the member cast no vote.
            cleaned["position"] = position = Position.NON_VOTING
        if reason and position != Position.NON_VOTING:
            self.add_error(
                "non_voting",
                f"{self.member_name or 'This member'} voted "
                f"{POSITION_LABELS[str(position)].lower()}, so it cannot also be "
                f"“{NON_VOTING_LABELS[reason].lower()}”.",
            )
        return cleaned


class MemberVoteForm(LockedForm, forms.ModelForm):
    """One vote on its own page (and the history's revert form)."""

    lock = HistoryLock(("position", "non_voting", "note", "state", "name_at_vote"))
    loaded_history = token_field()

    class Meta:
        model = MemberVote
        fields = ["draft", "state", "position", "non_voting", "note"]

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("non_voting") and cleaned.get("position") != Position.NON_VOTING:
            self.add_error("non_voting", "Only a member that cast no vote has a reason for it.")
        self.check_lock()
        return cleaned


class MembershipTermForm(LockedForm, forms.ModelForm):
    """A term on the Council; overlaps and seat limits are checked by the model."""

    lock = HistoryLock(("state", "start", "end", "kind", "seat"))
    loaded_history = token_field()

    class Meta:
        model = MembershipTerm
        fields = ["state", "kind", "seat", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def clean(self):
        cleaned = super().clean()
        self.check_lock()
        return cleaned
