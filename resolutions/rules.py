"""What a draft and its votes must satisfy to be saved, in plain words.

One set of rules for the editors' admin (``resolutions/admin/forms.py``) and every
importer (``import_votes`` checks an editor's file with :func:`check_votes`):

* :func:`check_votes`: the votes against the Council of the day
  (``votes.rules.council_problems``), and what the draft becomes with them, its
  outcome computed by the one engine (``votes.outcome.decide`` through
  ``resolutions.outcomes.decision_for``);
* the draft's own fields: the date, the symbols, the resolution number and year,
  the totals (the ``validate_*`` functions raise ``ValidationError``, as Django's
  validators do, the others return the problem);
* what a change on its own must keep: a single vote, a revert of the draft's fields.

``Row`` (``votes.rules``) is part of :func:`check_votes`' signature; importers may
take both from here.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from resolutions.models import RECORDED_FIELDS, Draft
from resolutions.outcomes import apply_result, decision_for
from votes.calendar import CouncilCalendar, Seat
from votes.choices import Modality, Outcome
from votes.dates import FIRST_MEETING
from votes.models import MemberVote
from votes.outcome import Ballot, Result, council_size, decide
from votes.rules import Recorded, Row, council_problems, day, join_words
from votes.seats import SEAT_NAMES

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
    check.problems, sitting, check.gaps = council_problems(
        on, rows, recorded_of(draft), calendar, as_recorded=as_recorded
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
    check.shown = as_published(draft, result, sitting, calendar)
    check.blocking = number_not_adopted(draft, result, check.shown)
    check.problems += check.blocking
    needs, accepted = publishing_needs(draft, result, unknown_stated)
    check.gaps += accepted
    if needs:
        check.problems.append(
            "To publish this record, add "
            + join_words(needs)
            + ". To keep working on it, untick “Published”."
        )
    return check


def recorded_of(draft: Draft) -> Recorded:
    """What the draft records besides its member votes."""
    return Recorded(
        tally=draft.recorded_tally,
        non_voting=draft.recorded_non_voting,
        members=draft.recorded_members,
        roll_call=draft.modality == Modality.RECORDED_VOTE,
    )


def as_published(
    draft: Draft, result: Result, sitting: tuple[Seat, ...], calendar: CouncilCalendar
) -> Draft:
    """An unsaved copy of the draft with the outcome ``result`` gives it."""
    shown = copy.copy(draft)
    apply_result(shown, result)
    # The vetoes are not stored yet: name them as refresh_outcomes will, after the
    # member that cast the vote from the seat, else the seat's holder that day.
    names = {s.seat: s.name for s in sitting if s.seat}
    vetoing = [
        names.get(seat) or _holder_name(calendar, seat, draft.date) for seat in result.vetoed_by
    ]
    shown.vetoing_names = lambda: vetoing
    return shown


def _holder_name(calendar: CouncilCalendar, seat: str, on: date) -> str:
    holder = calendar.holder(seat, on)
    return holder.name if holder else SEAT_NAMES.get(seat, seat)


def number_not_adopted(draft: Draft, result: Result, shown: Draft) -> list[str]:
    """A resolution number on a draft its votes do not adopt."""
    if (
        not draft.resolution_number
        or result.outcome in (Outcome.ADOPTED, Outcome.UNKNOWN)
        or shown.outcome_disputed
    ):
        return []
    return [
        f"Only an adopted draft becomes resolution {draft.resolution_number}, "
        f"but the votes give “{shown.outcome_label}”: remove the resolution number "
        "or correct the votes."
    ]


def publishing_needs(
    draft: Draft, result: Result, unknown_stated: bool
) -> tuple[list[str], list[str]]:
    """What a published record still lacks, and the gaps accepted in it."""
    if not draft.is_published:
        return [], []
    needs, gaps = [], []
    if not (draft.draft_symbol or draft.resolution_number or draft.amends_id):
        needs.append("the draft symbol or the resolution number")
    if result.outcome == Outcome.UNKNOWN:
        if unknown_stated:
            # The sources do not settle it (S/5095: two different tallies in the
            # Library's meetings list); the page says so.
            gaps.append("the outcome is unknown, as the file states.")
        else:
            needs.append("every member's position (or the recorded totals)")
    return needs, gaps


def stored_rows(draft: Draft) -> list[Row]:
    return [
        Row(state_id, name, position, non_voting)
        for state_id, name, position, non_voting in MemberVote.objects.filter(
            draft_id=draft.pk
        ).values_list("state_id", "name_at_vote", "position", "non_voting")
    ]


def ever_published(draft: Draft) -> bool:
    """Published now or in any earlier version: unpublishing does not make it deletable."""
    return draft.is_published or Draft.history.filter(id=draft.pk, is_published=True).exists()


# The draft's own fields -----------------------------------------------------------


def validate_vote_date(on: date) -> None:
    if on > timezone.localdate():
        raise ValidationError(
            f"{day(on)} is in the future: enter the day the Council voted.", code="future"
        )
    if on < FIRST_MEETING:
        raise ValidationError("The Security Council first met on 17 January 1946.")


def validate_draft_symbol(symbol: str, pk: int | None) -> None:
    if symbol and not symbol.startswith("S/"):
        raise ValidationError("A Security Council draft symbol starts with S/, e.g. S/2022/431.")
    if not symbol or symbol.startswith("S/PV."):
        # Early drafts known only by their meeting record share that symbol.
        return
    # One draft is put to the vote once: a second record would count it twice.
    other = Draft.objects.filter(draft_symbol__iexact=symbol).exclude(pk=pk).first()
    if other is not None:
        raise ValidationError(
            f"{symbol} is already recorded (vote of {day(other.date)}, record "
            f"#{other.pk}): open that record and add or correct its votes there."
        )


def validate_meeting_symbol(symbol: str) -> None:
    if symbol and not MEETING_SYMBOL.match(symbol):
        raise ValidationError("A meeting record looks like S/PV.9048.")


def validate_resolution_number(number: int | None, pk: int | None) -> None:
    if number is None:
        return
    other = Draft.objects.filter(resolution_number=number).exclude(pk=pk).first()
    if other is not None:
        raise ValidationError(
            f"Resolution {number} is already recorded: {other.symbol}, voted on {day(other.date)}.",
            code="number_used",
        )


def resolution_year(
    number: int | None, year: int | None, on: date | None
) -> tuple[int | None, str | None]:
    """The resolution year to save (the vote's, when left blank), and what is wrong."""
    if number and not year and on:
        return on.year, None
    if year and not number:
        return year, "A year without a resolution number means nothing."
    if number and on and year != on.year:
        return year, f"A resolution carries the year it was adopted: {on.year}."
    return year, None


def totals_problem(totals: list[int | None]) -> str | None:
    """The recorded yes, no and abstentions go together."""
    if any(t is not None for t in totals) and None in totals:
        return "Enter all three recorded totals (yes, no, abstentions) or none."
    return None


# What a change on its own must keep ---------------------------------------------


def checked_fields_changed(draft: Draft) -> bool:
    """Whether ``draft`` (unsaved) differs from the stored one in a field the vote
    checks read."""
    stored = Draft.objects.filter(pk=draft.pk).values(*CHECKED_FIELDS).first()
    return any(getattr(draft, name) != stored[name] for name in CHECKED_FIELDS)


def revert_check(draft: Draft) -> VoteCheck:
    """Reverting restores the draft's fields only: check them against the votes as
    stored, if the revert changes anything the checks read."""
    if not checked_fields_changed(draft):
        return VoteCheck()
    return check_votes(draft, stored_rows(draft), CouncilCalendar())


def moves_vote(vote: MemberVote) -> bool:
    """Whether a version of a saved vote names another draft or member than the
    stored vote: restoring it would move the vote (and leave a stale outcome)."""
    now = MemberVote.objects.filter(pk=vote.pk).values("draft_id", "state_id").first()
    return now is not None and (now["draft_id"], now["state_id"]) != (
        vote.draft_id,
        vote.state_id,
    )


def vote_change_problems(draft: Draft, row: Row, *, strict: bool) -> list[str]:
    """What one member's changed vote breaks in the draft's set of votes.

    ``strict`` (a published draft, not a revert): the whole set must stay valid, as
    publishing requires. Otherwise only what the database itself would refuse.
    """
    rows = [r for r in stored_rows(draft) if r.state_id != row.state_id]
    check = check_votes(draft, [*rows, row], CouncilCalendar())
    problems = check.blocking + (check.problems if strict else [])
    return list(dict.fromkeys(problems))
