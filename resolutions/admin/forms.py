"""The editors' draft form: a vote entered in two minutes, checked in plain words.

The rules are the domain's (``resolutions/rules.py``, ``votes/rules.py``), the
same the importers apply; these forms apply them:

* :class:`DraftForm` checks the record's own fields, and whether another editor
  saved it meanwhile (the one optimistic lock, ``votes/locking.py``, on
  ``Draft.version``);
* :class:`MemberVoteFormSet` checks the votes against the members sitting that
  day, the recorded totals, and what publishing needs, with ``check_votes``;
* :class:`SingleVoteForm` is one vote on its own page;
* :class:`MeetingForm` is a meeting, locked by its history like a vote or a term.

The outcome shown while the editor types, and the one these checks use, is the
one engine's: ``votes.outcome.decide`` through ``resolutions.outcomes.decision_for``.
"""

from __future__ import annotations

import copy
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.functional import cached_property

from resolutions.history import changes_since
from resolutions.models import RECORDED_FIELDS, Draft, Meeting
from resolutions.provenance import source_note, source_values
from resolutions.rules import (
    MEETING_SYMBOL,
    check_votes,
    checked_fields_changed,
    moves_vote,
    resolution_year,
    revert_check,
    totals_problem,
    validate_draft_symbol,
    validate_meeting_symbol,
    validate_resolution_number,
    validate_vote_date,
    vote_change_problems,
)
from votes.calendar import CouncilCalendar
from votes.choices import Source
from votes.forms import DATE_WIDGET, MemberVoteForm
from votes.locking import HistoryLock, LockedForm, VersionLock, token_field
from votes.models import MemberVote
from votes.rules import Row
from votes.seating import place
from votes.seats import SEAT_NAMES

# The draft's history since a version tells a second editor what the first changed.
DRAFT_LOCK = VersionLock("version", changes_since)


class SingleVoteForm(MemberVoteForm):
    """One vote on its own page. On a published draft the whole set of votes must
    stay valid after the change, as publishing requires; the draft form is the
    place for changes that take several steps.

    Undoing one vote of a change that also corrected the totals (from the draft's
    history) may leave the two apart until the totals are undone too; as when a
    draft is reverted, that is then a warning after saving, not a refusal."""

    def clean(self):
        cleaned = super().clean()
        self._refuse_a_version_of_another_vote()
        draft, state = self._draft_and_member(cleaned)
        if draft is None or state is None or self.errors or self._only_the_note():
            return cleaned
        row = Row(state.pk, state.name, cleaned.get("position", ""), cleaned.get("non_voting", ""))
        strict = draft.is_published and not self.reverting
        for problem in vote_change_problems(draft, row, strict=strict):
            self.add_error(None, problem)
        return cleaned

    def _refuse_a_version_of_another_vote(self) -> None:
        if self.reverting and self.instance.pk and moves_vote(self.instance):
            # A version from before draft and member were read-only may name
            # another draft or member.
            raise forms.ValidationError(
                "This version belongs to another draft or member: it cannot be "
                "restored here. Change the position on the draft's own page instead."
            )

    def _draft_and_member(self, cleaned):
        """A saved vote's are read-only (not in the form): the instance's."""
        if self.instance.pk:
            return self.instance.draft, self.instance.state
        return cleaned.get("draft"), cleaned.get("state")

    def _only_the_note(self) -> bool:
        """Only a note changed: the set of votes is as it was. (A revert's form
        starts from the old version, so its changed_data says nothing.)"""
        return (
            not self.reverting
            and bool(self.instance.pk)
            and not ({"position", "non_voting"} & set(self.changed_data))
        )


def _row_of(cleaned: dict) -> Row | None:
    """One member's vote as entered, or None for a row that names no member."""
    state = cleaned.get("state")
    if state is None:
        return None
    return Row(
        state.pk,
        cleaned.get("name_at_vote") or state.name,
        cleaned.get("position") or "",
        cleaned.get("non_voting") or "",
    )


# The draft form ------------------------------------------------------------------


class DraftForm(LockedForm, forms.ModelForm):
    date = forms.DateField(
        widget=DATE_WIDGET,
        help_text="The day of the vote (not the date of an article about it).",
    )
    meeting_symbol = forms.CharField(
        label="Meeting record", max_length=40, required=False, help_text="e.g. S/PV.9048."
    )
    recorded_vetoed_by = forms.MultipleChoiceField(
        label="Vetoed by, as recorded",
        choices=list(SEAT_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only where the member-by-member votes are not known.",
    )
    lock = DRAFT_LOCK
    lock_field = "loaded_version"
    loaded_version = token_field()

    class Meta:
        model = Draft
        fields = [
            "date",
            "draft_symbol",
            "resolution_number",
            "resolution_year",
            "press_release",
            "title",
            "description",
            "agenda_item",
            "subjects",
            "modality",
            "procedural",
            "party_to_dispute_abstained",
            *RECORDED_FIELDS,
            "is_published",
        ]
        labels = {"is_published": "Published on the public site"}
        help_texts = {
            "is_published": "Only a complete record can be published: its symbol and every "
            "member's vote (or the recorded totals)."
        }

    # ``reverting`` is set by the admin on the class it builds: reverting to a version
    # from the history keeps the votes as they are, so they are checked as stored.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft = self.instance
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        # What a revert leaves inconsistent, said after saving (see clean).
        self.warnings: list[str] = []
        if draft.pk:
            self.fields["meeting_symbol"].initial = draft.meeting.symbol if draft.meeting else ""
            self._show_sources(draft)

    def _show_sources(self, draft: Draft) -> None:
        """Put what each source said beside the field, and say when an editor changed it."""
        for name, form_field in self.fields.items():
            said = source_values(draft, name)
            model_field = "meeting" if name == "meeting_symbol" else name
            # Only imported records have a source to keep apart from the editor.
            origin = (draft.field_sources or {}).get(model_field)
            edited = bool(draft.sources) and origin == Source.EDITOR
            if said or edited:
                form_field.help_text = _help_with_sources(form_field.help_text, said, edited)

    def clean_date(self):
        on = self.cleaned_data["date"]
        validate_vote_date(on)
        return on

    def clean_draft_symbol(self):
        symbol = " ".join(self.cleaned_data["draft_symbol"].split())
        validate_draft_symbol(symbol, self.instance.pk)
        return symbol

    def clean_meeting_symbol(self):
        symbol = " ".join(self.cleaned_data["meeting_symbol"].split())
        validate_meeting_symbol(symbol)
        return symbol

    def clean_resolution_number(self):
        number = self.cleaned_data["resolution_number"]
        validate_resolution_number(number, self.instance.pk)
        return number

    def clean(self):
        cleaned = super().clean()
        self.check_lock()
        on = cleaned.get("date")
        year, problem = resolution_year(
            cleaned.get("resolution_number"), cleaned.get("resolution_year"), on
        )
        if year != cleaned.get("resolution_year"):
            cleaned["resolution_year"] = year  # left blank: the vote's year
        if problem:
            self.add_error("resolution_year", problem)
        problem = totals_problem(
            [cleaned.get(f) for f in ("recorded_yes", "recorded_no", "recorded_abstain")]
        )
        if problem:
            self.add_error("recorded_yes", problem)
        self._resolve_meeting(cleaned.get("meeting_symbol"), on)
        if self.reverting and on and not self.errors:
            self._check_revert(cleaned)
        return cleaned

    def _check_revert(self, cleaned) -> None:
        check = revert_check(self._instance_with(cleaned))
        for problem in check.blocking:
            self.add_error(None, problem)
        # The rest is said after saving: the editor may be undoing a change in two
        # steps (the totals, then the votes), each alone inconsistent.
        self.warnings = [p for p in check.problems if p not in check.blocking]

    def _instance_with(self, cleaned) -> Draft:
        draft = copy.copy(self.instance)
        for name, value in cleaned.items():
            if name in self._meta.fields and name != "subjects":
                setattr(draft, name, value)
        return draft

    def _resolve_meeting(self, symbol: str | None, on: date | None) -> None:
        if not symbol:
            self.instance.meeting = None
            return
        meeting = Meeting.objects.filter(symbol=symbol).first()
        if meeting is None:
            # Created on save (DraftAdmin.save_model), not while the editor types.
            number = MEETING_SYMBOL.match(symbol).group(1)
            meeting = Meeting(symbol=symbol, number=int(number), date=on)
        self.instance.meeting = meeting


def _help_with_sources(help_text, said: list[str], edited: bool) -> str:
    notes = [str(help_text).rstrip(".") + "."] if help_text else []
    if edited:
        notes.append("Changed by an editor; imports keep this value.")
    if said:
        notes.append("The source said " + "; ".join(said) + ".")
    return " ".join(str(n) for n in notes)


# The member votes ------------------------------------------------------------------


class MemberVoteFormSet(BaseInlineFormSet):
    """The member-vote rows of one draft, checked together against that day's Council."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        vote = form.instance
        if vote.pk:
            form.source_note = source_note(vote, self._source_said.get(vote.pk))
        return form

    @cached_property
    def _source_said(self) -> dict[int, tuple[str, str]]:
        """Per vote, the last position a source (not an editor) gave it, from the history."""
        if not self.instance.pk:
            return {}
        said = {}
        for vote_id, position, source in (
            MemberVote.history.filter(draft_id=self.instance.pk)
            .exclude(source=Source.EDITOR)
            .order_by("history_id")
            .values_list("id", "position", "source")
        ):
            said[vote_id] = (position, source)
        return said

    def _kept(self) -> list:
        """The rows to save: not deleted, not empty."""
        return [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]

    def rows(self) -> list[Row]:
        """The rows as entered, leaving out deleted rows and rows with errors."""
        entered = (
            form
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not self._should_delete_form(form)
        )
        return [row for form in entered if (row := _row_of(form.cleaned_data)) is not None]

    def touched(self) -> bool:
        """Whether this save changes anything the checks look at.

        Imported records can carry a source's own gaps (a member missing from the
        Library's list); an editor correcting a title is not made to settle them.
        """
        if not self.instance.pk or self.deleted_forms:
            return True
        if any(form.has_changed() for form in self.forms):
            return True
        return checked_fields_changed(self.instance)

    def clean(self):
        if any(self.errors):
            return
        calendar = CouncilCalendar()
        if self.touched():
            check = check_votes(self.instance, self.rows(), calendar)
            if check.problems:
                raise ValidationError(check.problems)
        self._complete_rows(calendar)

    def _complete_rows(self, calendar: CouncilCalendar) -> None:
        """Name each member as it was called that day, with its permanent seat, and
        mark the rows an editor added or changed as the editor's."""
        on = self.instance.date
        if on is None:
            return
        for form in self._kept():
            vote = form.instance
            place(vote, on, calendar)
            if vote.pk is None or form.has_changed():
                vote.source = Source.EDITOR


class MeetingForm(LockedForm, forms.ModelForm):
    """A meeting: a second editor's save never reverts the first's (issue 12)."""

    lock = HistoryLock(("symbol", "number", "date"))
    loaded_history = token_field()

    class Meta:
        model = Meeting
        fields = ["symbol", "number", "date"]
        widgets = {"date": DATE_WIDGET}

    def clean_symbol(self):
        symbol = self.cleaned_data["symbol"].strip()
        if "symbol" in self.changed_data:  # an imported symbol stays as the source wrote it
            validate_meeting_symbol(symbol)
        return symbol

    def clean(self):
        cleaned = super().clean()
        self.check_lock()
        return cleaned
