"""The editors' forms for member votes and Council terms, and the rules a vote's
member-by-member list must satisfy against the Council sitting that day.

:func:`council_problems` checks a whole list of votes (who sat, who is missing,
who is listed twice, the totals); the draft's formset in ``resolutions/forms.py``
applies it and adds what the draft becomes. Votes and terms have no version
number, so concurrent edits are detected from their history: the form remembers
the newest history row it was loaded from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone

from votes.calendar import CouncilCalendar, Seat
from votes.choices import NonVoting, Position, Source
from votes.models import MembershipTerm, MemberVote
from votes.outcome import Tally

# The change reason of the history row that records an imported state before the
# first editor change to it, so that the change can be reverted.
BASELINE_REASON = "State before the first editor change (as imported)"
POSITION_LABELS = dict(Position.choices)
SOURCE_SHORT = {
    Source.UNDL: "UN Library voting data",
    Source.DHL_VETO: "UN Library veto list",
    Source.DHL_MEETINGS: "UN Library meetings tables",
    Source.UNXML: "UN DGACM drafts",
    Source.UNXML_ADOPTED: "UN DGACM resolutions",
    Source.DPPA: "UN DPPA membership",
    Source.CHARTER: "Reference data",
    Source.SEED: "Starter data",
    Source.EDITOR: "Editor",
}
NON_VOTING_LABELS = dict(NonVoting.choices)
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# A vote against the Council of the day ------------------------------------------


def day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def join_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Row:
    """One member's line as entered; position is "" when none was chosen."""

    state_id: int
    name: str
    position: str
    non_voting: str = ""


@dataclass(frozen=True)
class Recorded:
    """What a source (or the editor) recorded besides the member votes."""

    tally: Tally | None = None
    non_voting: int | None = None
    members: int | None = None
    roll_call: bool = True  # a recorded vote, not "without a vote"


def council_problems(
    on: date,
    rows: list[Row],
    recorded: Recorded,
    calendar: CouncilCalendar,
    *,
    as_recorded: bool = False,
) -> tuple[list[str], tuple[Seat, ...], list[str]]:
    """What is wrong with a list of member votes cast on ``on``, in plain words,
    the members who sat that day (permanent members first), and the gaps
    accepted ``as_recorded``.

    ``as_recorded``: when recorded totals are given, a member with no vote and
    positions that do not add up to the totals are accepted and returned as gaps,
    not problems. The official sources have such gaps (DGACM's record of S/RES/2797
    (2025) lists 14 votes, Algeria took no part; the Library's S/RES/1966 (2010)
    has no row for Mexico though its totals are 14-0-1), and the vote's page shows
    them as disputed. import_votes passes it, so that a full export loads again;
    the admin never does: there an editor marks such a member "Not present" and
    makes the totals agree.
    """
    problems = []
    sitting = calendar.sitting(on)
    seat_of = {s.state_id: s for s in sitting}
    for state_id, times in Counter(r.state_id for r in rows).items():
        if times > 1:
            name = next(r.name for r in rows if r.state_id == state_id)
            problems.append(f"{name} is listed {times} times: keep one row per member.")
    if rows and not sitting:
        problems.append(
            f"No Council membership is recorded for {day(on)}: add the membership terms first."
        )
    for name in sorted({r.name for r in rows if r.state_id not in seat_of} if sitting else ()):
        problems.append(f"{name} was not on the Council on {day(on)}.")

    gaps = []
    given = [r for r in rows if r.position]
    entered = {r.state_id for r in given}
    missing = [s.name for s in sitting if s.state_id not in entered]
    if rows and missing and recorded.roll_call:
        one = len(missing) == 1
        gaps.append(
            f"{join_words(missing)} {'was' if one else 'were'} on the Council on {day(on)} but "
            f"{'has' if one else 'have'} no vote: give {'its' if one else 'each one’s'} "
            "position, or mark it “Not present”."
        )
    if recorded.tally is not None and given and not missing:
        counted = Tally.count(r.position for r in given)
        wanted = recorded.tally
        if str(counted) != str(wanted) or (
            recorded.non_voting is not None and counted.non_voting != recorded.non_voting
        ):
            gaps.append(
                f"The positions add up to {counted} ({counted.non_voting} not voting), "
                f"but the recorded totals are {wanted} ({wanted.non_voting} not voting): "
                "correct the positions or the totals."
            )
    if as_recorded and recorded.tally is not None:
        accepted = gaps
    else:
        problems += gaps
        accepted = []
    if recorded.tally is not None and sitting and recorded.tally.members > len(sitting):
        # Never a gap in the record: more votes than members is impossible.
        problems.append(
            f"The recorded totals count {recorded.tally.members} members "
            f"({recorded.tally}, {recorded.tally.non_voting} not voting), "
            f"but {len(sitting)} sat on the Council on {day(on)}."
        )
    if recorded.members and sitting and recorded.members != len(sitting):
        problems.append(
            f"The recorded number of members is {recorded.members}, "
            f"but {len(sitting)} sat on the Council on {day(on)}."
        )
    return problems, sitting, accepted


# History: who changed what, in plain words --------------------------------------


def shown(field: str, value) -> str:
    """A stored value as an editor reads it (labels, not codes)."""
    if field == "position":
        return POSITION_LABELS.get(value, value or "—")
    if field == "non_voting":
        return NON_VOTING_LABELS.get(value, value) or "—"
    if field == "source":
        return Source(value).label if value in Source.values else (value or "—")
    if value in (None, "", [], {}):
        return "—"
    return str(value)


def field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:  # a form's own field, such as "meeting_symbol"
        return name.replace("_", " ").capitalize()


def changed_fields(new, old, fields) -> list[tuple[str, object, object]]:
    """(field, old value, new value) for each of ``fields`` that differs."""
    return [
        (name, getattr(old, name), getattr(new, name))
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]


def who_and_when(record) -> str:
    user = record.history_user.get_username() if record.history_user_id else "an import"
    when = timezone.localtime(record.history_date)
    return f"{user} on {when:%d %b %Y at %H:%M}"


def describe(record, previous, fields, name: str = "") -> str:
    """One history row as a sentence: 'bob on … changed Brazil: Position Yes → No'."""
    prefix = f"{who_and_when(record)}"
    subject = f" {name}" if name else ""
    if record.history_type == "-":
        return f"{prefix} deleted{subject}."
    if previous is None:
        return f"{prefix} added{subject}."
    parts = [
        f"{field_label(record.instance_type, f)} {shown(f, old)} → {shown(f, new)}"
        for f, old, new in changed_fields(record, previous, fields)
    ]
    return f"{prefix} changed{subject}: " + ("; ".join(parts) or "no visible field") + "."


def latest_history_id(model, pk) -> int | None:
    return model.history.filter(id=pk).values_list("history_id", flat=True).first()


class HistoryLockMixin:
    """Optimistic locking from the history: refuse to save over a change made since load.

    The form declares a hidden ``loaded_history`` field: the id of the record's
    newest history row when the form was shown. A newer row at save time means
    somebody else saved meanwhile.
    """

    lock_fields: tuple[str, ...] = ()
    # Provided by the ModelForm this is mixed into.
    fields: dict[str, forms.Field]
    instance: Any  # a model with simple_history's HistoricalRecords
    cleaned_data: dict[str, Any]

    def _init_lock(self):
        self.fields["loaded_history"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if self.instance.pk:
            self.fields["loaded_history"].initial = latest_history_id(
                type(self.instance), self.instance.pk
            )

    def _check_lock(self):
        if not self.instance.pk:
            return
        model = type(self.instance)
        loaded = self.cleaned_data.get("loaded_history")
        newer = model.history.filter(id=self.instance.pk).select_related("history_user")
        if loaded is not None:
            newer = newer.filter(history_id__gt=loaded)
        newer = list(newer.order_by("history_id"))
        if all(r.history_change_reason == BASELINE_REASON for r in newer):
            return
        before = model.history.filter(id=self.instance.pk, history_id=loaded).first()
        lines = []
        for record in newer:
            if record.history_change_reason != BASELINE_REASON:
                lines.append(describe(record, before, self.lock_fields))
            before = record
        raise ValidationError(
            [
                "Another editor saved this record while you were editing it, "
                "so your changes have not been saved. Their change:",
                *lines,
                "Reload the page to see the record as it is now, then make your change again.",
            ],
            code="conflict",
        )


# Forms -------------------------------------------------------------------------


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
        cleaned = cast(dict[str, Any], super().clean())
        position = cleaned.get("position")
        reason = cleaned.get("non_voting")
        if reason and position in ("", None):
            # "Not present" is enough: the member cast no vote.
            cleaned["position"] = position = Position.NON_VOTING
        if reason and position != Position.NON_VOTING:
            self.add_error(
                "non_voting",
                f"{self.member_name or 'This member'} voted "
                f"{POSITION_LABELS[cast(str, position)].lower()}, so it cannot also be "
                f"“{NON_VOTING_LABELS[reason].lower()}”.",
            )
        return cleaned


class MemberVoteForm(HistoryLockMixin, forms.ModelForm):
    """One vote on its own page (and the history's revert form)."""

    lock_fields = ("position", "non_voting", "note", "state", "name_at_vote")
    loaded_history = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MemberVote
        fields = ["draft", "state", "position", "non_voting", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_lock()

    def clean(self):
        cleaned = cast(dict[str, Any], super().clean())
        if cleaned.get("non_voting") and cleaned.get("position") != Position.NON_VOTING:
            self.add_error("non_voting", "Only a member that cast no vote has a reason for it.")
        self._check_lock()
        return cleaned


class MembershipTermForm(HistoryLockMixin, forms.ModelForm):
    """A term on the Council; overlaps and seat limits are checked by the model."""

    lock_fields = ("state", "start", "end", "kind", "seat")
    loaded_history = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MembershipTerm
        fields = ["state", "kind", "seat", "start", "end"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._init_lock()

    def clean(self):
        cleaned = super().clean()
        self._check_lock()
        return cleaned
