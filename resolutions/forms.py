"""The editors' draft form: a vote entered in two minutes, checked in plain words.

The checks are split by what they need:

* :class:`DraftForm` checks the record's own fields: the date, the numbers, the
  totals, and whether another editor saved it meanwhile (``Draft.version``);
* :class:`MemberVoteFormSet` checks the votes against the members sitting that
  day (``votes.calendar.CouncilCalendar``), the recorded totals, and what
  publishing needs, with :func:`check_votes`.

The outcome shown while the editor types, and the one these checks use, is the
one engine's: ``votes.outcome.decide`` through ``resolutions.outcomes.decision_for``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.functional import cached_property

from resolutions.admin_views import changes_since, source_note, source_values
from resolutions.models import RECORDED_FIELDS, Draft, Meeting
from resolutions.outcomes import apply_result, decision_for
from votes.calendar import CouncilCalendar
from votes.choices import Modality, Outcome, Source
from votes.forms import (
    DATE_WIDGET,
    MemberVoteForm,
    Recorded,
    Row,
    council_problems,
    day,
    join_words,
)
from votes.models import MemberVote
from votes.outcome import Ballot, council_size, decide
from votes.reference import SEAT_NAMES

FIRST_MEETING = date(1946, 1, 17)
MEETING_SYMBOL = re.compile(r"^S/PV\.(\d+)(\s*\(.+\))?$")
# The draft's fields the vote checks read: changing one re-checks the votes.
CHECKED_FIELDS = (
    "date",
    "modality",
    "procedural",
    "resolution_number",
    *RECORDED_FIELDS,
    "is_published",
)


# The votes and what they give ---------------------------------------------------


@dataclass
class VoteCheck:
    problems: list[str] = field(default_factory=list)
    # The problems the database itself would refuse, even when only warning
    # about the others (after a revert, which restores one part of a change).
    blocking: list[str] = field(default_factory=list)
    # What was accepted as the sources recorded it (check_votes' as_recorded).
    gaps: list[str] = field(default_factory=list)
    # An unsaved copy of the draft carrying the computed outcome, to show it
    # exactly as the public pages will (resolutions/_tally.html).
    shown: Draft | None = None


def check_votes(
    draft: Draft,
    rows: list[Row],
    calendar: CouncilCalendar,
    *,
    as_recorded: bool = False,
    unknown_stated: bool = False,
) -> VoteCheck:
    """Everything wrong with a draft's votes, and the outcome they give.

    ``as_recorded``: see council_problems. ``unknown_stated``: the file states the
    outcome is unknown (our dumps do where the sources do not settle it), so the
    record may be published without a tally; import_votes only.
    """
    check = VoteCheck()
    on = draft.date
    if on is None:
        return check
    recorded = Recorded(
        tally=draft.recorded_tally,
        non_voting=draft.recorded_non_voting,
        members=draft.recorded_members,
        roll_call=draft.modality == Modality.RECORDED_VOTE,
    )
    check.problems, sitting, check.gaps = council_problems(
        on, rows, recorded, calendar, as_recorded=as_recorded
    )
    seat_of = {s.state_id: s.seat for s in sitting}
    ballots = [Ballot(r.position, seat_of.get(r.state_id)) for r in rows if r.position]
    try:
        result = decide(decision_for(draft, ballots))
    except ValueError:
        members = draft.recorded_members or council_size(on)
        check.problems.append(
            f"{len(ballots)} votes were entered, but the Council had {members} members."
        )
        return check
    shown = copy.copy(draft)
    apply_result(shown, result)
    # The vetoes are not stored yet: name them as refresh_outcomes will, after the
    # member that cast the vote from the seat, else the seat's holder that day.
    names = {s.seat: s.name for s in sitting if s.seat}
    vetoing = [names.get(seat) or _holder_name(calendar, seat, on) for seat in result.vetoed_by]
    shown.vetoing_names = lambda: vetoing
    check.shown = shown

    if (
        draft.resolution_number
        and result.outcome not in (Outcome.ADOPTED, Outcome.UNKNOWN)
        and not shown.outcome_disputed
    ):
        check.blocking.append(
            f"Only an adopted draft becomes resolution {draft.resolution_number}, "
            f"but the votes give “{shown.outcome_label}”: remove the resolution number "
            "or correct the votes."
        )
        check.problems += check.blocking
    if draft.is_published:
        needs = []
        if not (draft.draft_symbol or draft.resolution_number):
            needs.append("the draft symbol or the resolution number")
        if result.outcome == Outcome.UNKNOWN:
            if unknown_stated:
                # The sources do not settle it (S/5095: two different tallies in
                # the Library's meetings list); the page says so.
                check.gaps.append("the outcome is unknown, as the file states.")
            else:
                needs.append("every member's position (or the recorded totals)")
        if needs:
            check.problems.append(
                "To publish this record, add "
                + join_words(needs)
                + ". To keep working on it, untick “Published”."
            )
    return check


def _holder_name(calendar: CouncilCalendar, seat: str, on: date) -> str:
    holder = calendar.holder(seat, on)
    return holder.name if holder else SEAT_NAMES.get(seat, seat)


def stored_rows(draft: Draft) -> list[Row]:
    return [
        Row(state_id, name, position, non_voting)
        for state_id, name, position, non_voting in MemberVote.objects.filter(
            draft_id=draft.pk
        ).values_list("state_id", "name_at_vote", "position", "non_voting")
    ]


class SingleVoteForm(MemberVoteForm):
    """One vote on its own page. On a published draft the whole set of votes must
    stay valid after the change, as publishing requires; the draft form is the
    place for changes that take several steps.

    Undoing one vote of a change that also corrected the totals (from the draft's
    history) may leave the two apart until the totals are undone too; as when a
    draft is reverted, that is then a warning after saving, not a refusal."""

    reverting = False

    def clean(self):
        cleaned = super().clean()
        if self.reverting and self.instance.pk:
            # A version from before draft and member were read-only may name
            # another draft or member: restoring it would move the vote.
            now = MemberVote.objects.filter(pk=self.instance.pk).values("draft_id", "state_id")
            if now and (now[0]["draft_id"], now[0]["state_id"]) != (
                self.instance.draft_id,
                self.instance.state_id,
            ):
                raise forms.ValidationError(
                    "This version belongs to another draft or member: it cannot be "
                    "restored here. Change the position on the draft's own page instead."
                )
        draft = self.instance.draft if self.instance.pk else cleaned.get("draft")
        state = self.instance.state if self.instance.pk else cleaned.get("state")
        if draft is None or state is None or self.errors:
            return cleaned
        # Only a note changed: the set of votes is as it was. (A revert's form
        # starts from the old version, so its changed_data says nothing.)
        if (
            not self.reverting
            and self.instance.pk
            and not ({"position", "non_voting"} & set(self.changed_data))
        ):
            return cleaned
        rows = [r for r in stored_rows(draft) if r.state_id != state.pk]
        rows.append(
            Row(state.pk, state.name, cleaned.get("position", ""), cleaned.get("non_voting", ""))
        )
        check = check_votes(draft, rows, CouncilCalendar())
        strict = draft.is_published and not self.reverting
        problems = check.blocking + (check.problems if strict else [])
        for problem in dict.fromkeys(problems):
            self.add_error(None, problem)
        return cleaned


# The draft form ------------------------------------------------------------------


class DraftForm(forms.ModelForm):
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
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

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

    # Set by the admin on the class it builds: reverting to a version from the
    # history keeps the votes as they are, so they are checked as stored.
    reverting = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        draft = self.instance
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.current_version = None
        self.warnings: list[str] = []
        if draft.pk:
            self.fields["meeting_symbol"].initial = draft.meeting.symbol if draft.meeting else ""
            version = draft.version
            if self.reverting:
                version = Draft.objects.filter(pk=draft.pk).values_list("version", flat=True)[0]
            self.fields["loaded_version"].initial = version
            self._show_sources(draft)

    def _show_sources(self, draft: Draft) -> None:
        """Put what each source said beside the field, and say when an editor changed it."""
        for name, form_field in self.fields.items():
            said = source_values(draft, name)
            model_field = "meeting" if name == "meeting_symbol" else name
            # Only imported records have a source to keep apart from the editor.
            origin = (draft.field_sources or {}).get(model_field)
            edited = bool(draft.sources) and origin == Source.EDITOR
            if not said and not edited:
                continue
            notes = [str(form_field.help_text).rstrip(".") + "."] if form_field.help_text else []
            if edited:
                notes.append("Changed by an editor; imports keep this value.")
            if said:
                notes.append("The source said " + "; ".join(said) + ".")
            form_field.help_text = " ".join(str(n) for n in notes)

    def clean_date(self):
        on = self.cleaned_data["date"]
        if on > timezone.localdate():
            raise ValidationError(
                f"{day(on)} is in the future: enter the day the Council voted.", code="future"
            )
        if on < FIRST_MEETING:
            raise ValidationError("The Security Council first met on 17 January 1946.")
        return on

    def clean_draft_symbol(self):
        symbol = " ".join(self.cleaned_data["draft_symbol"].split())
        if symbol and not symbol.startswith("S/"):
            raise ValidationError(
                "A Security Council draft symbol starts with S/, e.g. S/2022/431."
            )
        if symbol and not symbol.startswith("S/PV."):
            # One draft is put to the vote once: a second record would count it twice.
            # (Early drafts known only by their meeting record share that symbol.)
            other = (
                Draft.objects.filter(draft_symbol__iexact=symbol).exclude(pk=self.instance.pk)
            ).first()
            if other is not None:
                raise ValidationError(
                    f"{symbol} is already recorded (vote of {day(other.date)}, record "
                    f"#{other.pk}): open that record and add or correct its votes there."
                )
        return symbol

    def clean_meeting_symbol(self):
        symbol = " ".join(self.cleaned_data["meeting_symbol"].split())
        if symbol and not MEETING_SYMBOL.match(symbol):
            raise ValidationError("A meeting record looks like S/PV.9048.")
        return symbol

    def clean_resolution_number(self):
        number = self.cleaned_data["resolution_number"]
        if number is None:
            return number
        other = Draft.objects.filter(resolution_number=number).exclude(pk=self.instance.pk).first()
        if other is not None:
            raise ValidationError(
                f"Resolution {number} is already recorded: {other.symbol}, "
                f"voted on {day(other.date)}.",
                code="number_used",
            )
        return number

    def clean(self):
        cleaned = super().clean()
        self._check_version()
        on = cleaned.get("date")
        number, year = cleaned.get("resolution_number"), cleaned.get("resolution_year")
        if number and not year and on:
            cleaned["resolution_year"] = on.year
        elif year and not number:
            self.add_error("resolution_year", "A year without a resolution number means nothing.")
        elif number and on and year != on.year:
            self.add_error(
                "resolution_year", f"A resolution carries the year it was adopted: {on.year}."
            )
        totals = [cleaned.get(f) for f in ("recorded_yes", "recorded_no", "recorded_abstain")]
        if any(t is not None for t in totals) and None in totals:
            self.add_error(
                "recorded_yes", "Enter all three recorded totals (yes, no, abstentions) or none."
            )
        self._resolve_meeting(cleaned.get("meeting_symbol"), on)
        if self.reverting and on and not self.errors:
            # Reverting restores the draft's fields only: check them against the
            # votes as stored, if the revert changes anything the checks read.
            draft = self._instance_with(cleaned)
            stored = Draft.objects.filter(pk=draft.pk).values(*CHECKED_FIELDS).first()
            if any(getattr(draft, name) != stored[name] for name in CHECKED_FIELDS):
                check = check_votes(draft, stored_rows(draft), CouncilCalendar())
                for problem in check.blocking:
                    self.add_error(None, problem)
                # The rest is said after saving: the editor may be undoing a change
                # in two steps (the totals, then the votes), each alone inconsistent.
                self.warnings = [p for p in check.problems if p not in check.blocking]
        return cleaned

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

    def _check_version(self) -> None:
        """Optimistic locking: refuse to save over a change saved since the form was loaded."""
        draft = self.instance
        if not draft.pk:
            return
        rows = Draft.objects.filter(pk=draft.pk)
        if transaction.get_connection().in_atomic_block:
            # Saving: hold the row so that two saves cannot both pass this check.
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        self.current_version = current
        loaded = self.cleaned_data.get("loaded_version")
        if current is None or loaded == current:
            return
        raise ValidationError(
            [
                "Another editor saved this record while you were editing it, "
                "so your changes have not been saved. Their changes:",
                *changes_since(draft.pk, loaded),
                "Reload the page to see the record as it is now, then make your changes again.",
            ],
            code="conflict",
        )


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

    def rows(self) -> list[Row]:
        """The rows as entered, leaving out deleted rows and rows with errors."""
        rows = []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data or self._should_delete_form(form):
                continue
            state = form.cleaned_data.get("state")
            if state is None:
                continue
            rows.append(
                Row(
                    state.pk,
                    form.cleaned_data.get("name_at_vote") or state.name,
                    form.cleaned_data.get("position") or "",
                    form.cleaned_data.get("non_voting") or "",
                )
            )
        return rows

    def touched(self) -> bool:
        """Whether this save changes anything the checks look at.

        Imported records can carry a source's own gaps (a member missing from the
        Library's list); an editor correcting a title is not made to settle them.
        """
        if not self.instance.pk or self.deleted_forms:
            return True
        if any(form.has_changed() for form in self.forms):
            return True
        stored = Draft.objects.filter(pk=self.instance.pk).values(*CHECKED_FIELDS).first()
        return any(getattr(self.instance, name) != stored[name] for name in CHECKED_FIELDS)

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
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            vote = form.instance
            seat = calendar.seat_of(form.cleaned_data["state"].pk, on)
            if seat is not None:
                vote.name_at_vote, vote.seat_id = seat.name, seat.seat_id
            if vote.pk is None or form.has_changed():
                vote.source = Source.EDITOR
