"""The one writer of a member vote's seat and its name on the day.

``MemberVote.seat`` and ``MemberVote.name_at_vote`` are copies, kept on the
vote because every P5 chart, every veto and every list reads them: the seat
is the permanent seat of the state's term covering the draft's date (none for
an elected term), the name is the state's name that day (``MemberStateName``,
else its name today). Everything that writes a vote sets them here:

* :func:`place` and :func:`place_votes` for votes being written (the
  pipeline, the admin, the starter data, the tests' factories);
* :func:`reseat` for the votes a changed term or name affects, set-based.

An editor's change to a term, a state's dated name or its name today reaches
the votes through the receivers below, connected in ``VotesConfig.ready``.
Signals rather than calls from the admin, because a term or a name is saved
from more places than the admin's save (its history revert, the shell, data
migrations) and each must reach the votes. Bulk writes send no signals: a
writer that bulk-creates or bulk-updates terms or names calls :func:`reseat`
itself.

When votes change, :data:`votes_reseated` is sent with their drafts' ids, so
that ``resolutions`` (which keeps the outcomes and vetoes in step, and which
``votes`` never imports) recomputes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import F
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import Signal

from votes.calendar import CouncilCalendar
from votes.models import MembershipTerm, MemberState, MemberStateName, MemberVote

BATCH = 500

votes_reseated = Signal()
"""Sent with ``draft_ids``: the drafts whose member votes' seat or name changed."""

council_changed = Signal()
"""Sent with ``start`` and ``end`` (None: open): who sat on the Council on those days
changed, so which drafts then have every member's vote may have (the counts that
``resolutions`` keeps of them follow)."""


def place(vote: MemberVote, on: date, calendar: CouncilCalendar) -> bool:
    """Set the vote's seat and name as on ``on``, in memory; whether either changed."""
    seat_id, name = seat_and_name(vote.state_id, on, calendar)
    changed = (vote.seat_id, vote.name_at_vote) != (seat_id, name)
    vote.seat_id, vote.name_at_vote = seat_id, name
    return changed


def seat_and_name(state_id: int, on: date, calendar: CouncilCalendar) -> tuple[int | None, str]:
    """The seat (id; None for an elected term) and the name of a state's vote cast on
    ``on``: what :func:`place` sets, for a writer of new votes as rows, not instances."""
    term = calendar.term_of(state_id, on)
    return (term.seat_id if term is not None else None), calendar.name_on(state_id, on)


def place_votes(
    votes: Iterable[MemberVote], calendar: CouncilCalendar | None = None
) -> list[MemberVote]:
    """:func:`place` each vote on its draft's date (``vote.draft`` loaded); the changed ones.

    The caller saves them: ``bulk_create`` for new votes, ``save()`` or
    ``bulk_update(..., ["seat", "name_at_vote", ...])`` for existing ones.
    """
    calendar = calendar or CouncilCalendar()
    return [vote for vote in votes if place(vote, vote.draft.date, calendar)]


def reseat(
    state_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> set[int]:
    """Recompute the seat and name of the states' votes dated in [start, end] (open when None).

    Queries: the council (3), the votes (1), then one update per batch of
    changed votes; never one per vote. Returns the ids of the drafts whose
    votes changed, and sends :data:`votes_reseated` with them.
    """
    votes = MemberVote.objects.filter(state_id__in=set(state_ids))
    if start is not None:
        votes = votes.filter(draft__date__gte=start)
    if end is not None:
        votes = votes.filter(draft__date__lte=end)
    votes = votes.annotate(on=F("draft__date")).only(
        "pk", "draft_id", "state_id", "seat_id", "name_at_vote"
    )
    calendar = CouncilCalendar()
    changed = [vote for vote in votes if place(vote, vote.on, calendar)]
    MemberVote.objects.bulk_update(changed, ["seat", "name_at_vote"], batch_size=BATCH)
    drafts = {vote.draft_id for vote in changed}
    if drafts:
        votes_reseated.send(sender=MemberVote, draft_ids=drafts)
    return drafts


def _widest(spans: list[tuple[date | None, date | None]]) -> tuple[date | None, date | None]:
    """The one span covering all of them (None: open at that end)."""
    starts = [s for s, _ in spans if s is not None]
    ends = [e for _, e in spans if e is not None]
    return (
        min(starts) if len(starts) == len(spans) else None,
        max(ends) if len(ends) == len(spans) else None,
    )


# Receivers: an editor's change to a term or a name reaches the votes ---------------

FIELDS = {
    MembershipTerm: ("state_id", "start", "end", "seat_id"),
    MemberStateName: ("state_id", "start", "end"),
    MemberState: ("name",),
}


def _remember(sender, instance, raw=False, **kwargs) -> None:
    """Before a save, what the row said, so the votes it covered can be reseated."""
    before = None
    if not raw and instance.pk is not None:
        before = sender.objects.filter(pk=instance.pk).values(*FIELDS[sender]).first()
    instance._seating_before = before


def _term_changed(sender, instance: MembershipTerm, raw=False, **kwargs) -> None:
    if raw:
        return
    rows = [{f: getattr(instance, f) for f in FIELDS[MembershipTerm]}]
    if before := getattr(instance, "_seating_before", None):
        rows.append(before)
    start, end = _widest([(r["start"], r["end"]) for r in rows])
    # Only a permanent term carries a seat, and no name depends on a term: a change
    # to elected terms alone (every DPPA import) cannot move a vote.
    if any(row["seat_id"] for row in rows):
        reseat({row["state_id"] for row in rows}, start, end)
    # Any term changes who sat on those days (after the reseat: counted as seated).
    council_changed.send(sender=MembershipTerm, start=start, end=end)


def _name_changed(sender, instance: MemberStateName, raw=False, **kwargs) -> None:
    if raw:
        return
    rows = [{f: getattr(instance, f) for f in FIELDS[MemberStateName]}]
    if before := getattr(instance, "_seating_before", None):
        rows.append(before)
    reseat({row["state_id"] for row in rows}, *_widest([(r["start"], r["end"]) for r in rows]))


def _state_renamed(sender, instance: MemberState, raw=False, created=False, **kwargs) -> None:
    before = getattr(instance, "_seating_before", None)
    # Its name today is the name of every day no dated name covers.
    if not raw and not created and before and before["name"] != instance.name:
        reseat({instance.pk})


def connect() -> None:
    for model in FIELDS:
        pre_save.connect(_remember, sender=model, dispatch_uid=f"seating_before_{model.__name__}")
    post_save.connect(_term_changed, sender=MembershipTerm, dispatch_uid="seating_term_saved")
    post_delete.connect(_term_changed, sender=MembershipTerm, dispatch_uid="seating_term_deleted")
    post_save.connect(_name_changed, sender=MemberStateName, dispatch_uid="seating_name_saved")
    post_delete.connect(_name_changed, sender=MemberStateName, dispatch_uid="seating_name_gone")
    post_save.connect(_state_renamed, sender=MemberState, dispatch_uid="seating_state_renamed")
