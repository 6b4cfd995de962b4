"""The audit trail of a draft and its votes (django-simple-history).

* :func:`record_baseline` writes the imported state of a record into its history
  before an editor first changes it, so that the change can be reverted;
* :func:`stamp_computed_fields` puts the outcome computed after a save on the
  history row that save created;
* :func:`changes_since` tells, in plain words, what was saved after the version an
  editor loaded (the draft's conflict message, ``votes/locking.py``).

The History page itself (versions, vote changes with Undo links) is the admin's:
``resolutions/admin/history.py``.
"""

from __future__ import annotations

from itertools import pairwise

from django.apps import apps

from resolutions.models import RECORDED_FIELDS, Draft
from resolutions.outcomes import COMPUTED_FIELDS
from votes.history import BASELINE_REASON, changed_fields, describe, is_baseline
from votes.models import MemberVote

# The draft's fields an editor reads in a conflict message.
DRAFT_FIELDS_SHOWN_IN_HISTORY = (
    "date",
    "draft_symbol",
    "resolution_number",
    "resolution_year",
    "meeting",
    "title",
    "press_release",
    "modality",
    "procedural",
    *RECORDED_FIELDS,
    "description",
    "agenda_item",
    "party_to_dispute_abstained",
    "is_published",
)
VOTE_FIELDS = ("position", "non_voting", "note", "state_id", "name_at_vote", "source")
DRAFT_COMPARED = (*DRAFT_FIELDS_SHOWN_IN_HISTORY, "version")
# The fields of a vote a conflict message names.
VOTE_FIELDS_SHOWN = ("position", "non_voting", "note")


def _subjects_history():
    # simple_history's model for the history of Draft.subjects, generated at start-up.
    return apps.get_model("resolutions", "HistoricalDraft_subjects")


# Baselines ------------------------------------------------------------------------


def record_baseline(draft_id: int) -> None:
    """Record the current state of a draft and its votes in their history, where the
    history lacks it (imported records, or records an import changed since).

    Without this an imported record's first editor change could not be reverted:
    the history would hold the editor's version only.
    """
    _draft_baseline(Draft.objects.get(pk=draft_id))
    _votes_baseline(draft_id)


def _draft_baseline(draft: Draft) -> None:
    latest = Draft.history.filter(id=draft.pk).order_by("-history_id").first()
    if latest is not None and not _differs(latest, draft):
        return
    draft._history_user = None
    [baseline] = Draft.history.bulk_history_create(
        [draft], update=latest is not None, default_change_reason=BASELINE_REASON
    )
    # bulk_history_create leaves the subjects out; without them the editor's
    # first version would seem to have added every subject the import set.
    if baseline.pk is None:  # databases that do not return ids from bulk inserts
        baseline = Draft.history.filter(id=draft.pk).order_by("-history_id").first()
    through = _subjects_history()
    through.objects.bulk_create(
        through(history=baseline, id=row_id, draft_id=draft.pk, subject_id=subject_id)
        for row_id, subject_id in Draft.subjects.through.objects.filter(
            draft_id=draft.pk
        ).values_list("id", "subject_id")
    )


def _differs(record, draft: Draft) -> bool:
    """Whether a history row is not the draft as stored, subjects included."""
    attnames = [Draft._meta.get_field(n).attname for n in DRAFT_COMPARED]
    if changed_fields(record, draft, attnames):
        return True
    subjects = set(draft.subjects.values_list("pk", flat=True))
    recorded = _subjects_history().objects.filter(history=record)
    return subjects != set(recorded.values_list("subject_id", flat=True))


def _votes_baseline(draft_id: int) -> None:
    latest = {}
    for record in MemberVote.history.filter(draft_id=draft_id).order_by("history_id"):
        latest[record.id] = record
    fresh, stale = [], []
    for vote in MemberVote.objects.filter(draft_id=draft_id):
        record = latest.get(vote.pk)
        if record is None or record.history_type == "-":
            fresh.append(vote)
        elif changed_fields(record, vote, VOTE_FIELDS):
            stale.append(vote)
        vote._history_user = None
    for votes, update in ((fresh, False), (stale, True)):
        if votes:
            MemberVote.history.bulk_history_create(
                votes, update=update, default_change_reason=BASELINE_REASON
            )


def stamp_computed_fields(draft: Draft) -> None:
    """Copy the refreshed outcome onto the history row this save created.

    The row is written when the draft is saved, before its votes are and before
    refresh_outcomes recomputes the outcome; without this each version would
    show the outcome of the one before.
    """
    latest = Draft.history.filter(id=draft.pk).order_by("-history_id").first()
    if latest is not None:
        type(latest).objects.filter(history_id=latest.history_id).update(
            **{name: getattr(draft, name) for name in COMPUTED_FIELDS}
        )


# What changed since an editor loaded the draft -----------------------------------


def changes_since(draft_id: int, loaded_version: int | None) -> list[str]:
    """Every change to a draft and its votes saved after the version an editor loaded."""
    history = list(
        Draft.history.filter(id=draft_id).select_related("history_user").order_by("history_id")
    )
    loaded = [r for r in history if r.version == loaded_version]
    since = loaded[-1].history_date if loaded else None
    lines = [*_draft_changes(history, since), *_vote_changes(draft_id, since)]
    return lines or ["(the details are in the record's history)"]


def _after(record, since) -> bool:
    return since is None or record.history_date > since


def _draft_changes(history: list, since) -> list[str]:
    lines = []
    for previous, record in pairwise(history):
        if _after(record, since):
            line = describe(record, previous, DRAFT_FIELDS_SHOWN_IN_HISTORY)
            if not line.endswith("no visible field."):
                lines.append(line)
    return lines


def _vote_changes(draft_id: int, since) -> list[str]:
    lines, last_by_vote = [], {}
    for record in (
        MemberVote.history.filter(draft_id=draft_id)
        .select_related("history_user")
        .order_by("history_id")
    ):
        if _after(record, since) and not is_baseline(record):
            lines.append(
                describe(
                    record, last_by_vote.get(record.id), VOTE_FIELDS_SHOWN, record.name_at_vote
                )
            )
        last_by_vote[record.id] = record
    return lines
