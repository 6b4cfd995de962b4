"""A draft's History page: the versions of its fields with what changed, and every
change to its member votes with an Undo link (simple_history's revert form of that
vote, ``MemberVoteAdmin``). The audit trail itself is ``resolutions/history.py``.
"""

from __future__ import annotations

from itertools import pairwise

from django.apps import apps
from django.urls import reverse
from django.utils.text import capfirst

from resolutions.history import VOTE_FIELDS
from resolutions.models import Draft
from votes.history import changed_fields, field_label, is_baseline, shown, who_and_when
from votes.models import MemberVote

# Not shown as changes: bumped by every save, or listed apart (subjects_by_version).
NOT_DIFFED = ["version", "updated_at", "created_at", "subjects"]


class DraftHistoryMixin:
    """The History page of ``DraftAdmin`` (a SimpleHistoryAdmin)."""

    object_history_template = "admin/resolutions/draft/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        extra = {"vote_changes": vote_history(object_id), **(extra_context or {})}
        return super().history_view(request, object_id, extra_context=extra)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        # simple_history diffs many-to-many fields with two queries per version;
        # the subjects of every listed version are read here in one instead.
        subjects = subjects_by_version([r.history_id for r in records])
        for newer, older in pairwise(records):
            delta = newer.diff_against(
                older, excluded_fields=NOT_DIFFED, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, newer)
            changes = helper.context_for_delta_changes(delta)
            # Already names, so added after the helper, which expects
            # simple_history's own many-to-many rows.
            changes += subjects_change(
                subjects.get(older.history_id, ()), subjects.get(newer.history_id, ())
            )
            newer.history_delta_changes = changes


def subjects_change(old: tuple[str, ...], new: tuple[str, ...]) -> list[dict]:
    if old == new:
        return []
    label = capfirst(Draft._meta.get_field("subjects").verbose_name)
    return [{"field": label, "old": ", ".join(old) or "—", "new": ", ".join(new) or "—"}]


def subjects_by_version(history_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The subjects each listed version of a draft had, in one query."""
    through = apps.get_model("resolutions", "HistoricalDraft_subjects")
    found: dict[int, list[str]] = {}
    for history_id, name in through.objects.filter(history_id__in=history_ids).values_list(
        "history_id", "subject__name"
    ):
        found.setdefault(history_id, []).append(name)
    return {key: tuple(sorted(names)) for key, names in found.items()}


# The changes to the member votes --------------------------------------------------


def vote_history(draft_id: int) -> list[dict]:
    """The changes to a draft's member votes, newest first, each with an undo link."""
    records = (
        MemberVote.history.filter(draft_id=draft_id)
        .select_related("history_user")
        .order_by("history_id")
    )
    previous: dict[int, object] = {}
    entries: list[dict] = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if is_baseline(record):
            continue
        if before is None and record.history_type != "-":
            _entered(entries, record)
            continue
        changes = _changes(record, before)
        if changes:
            entries.append(_entry(record, before, changes))
    entries.reverse()
    return entries


def _entered(entries: list[dict], record) -> None:
    """A vote entered; votes entered together (a new draft) are one line, not fifteen."""
    who = who_and_when(record)
    last = entries[-1] if entries and entries[-1].get("entered") else None
    if last is not None and last["who"] == who:
        last["entered"] += 1
        last["name"] = f"{last['entered']} members"
        return
    entries.append(
        {
            "record": record,
            "name": record.name_at_vote,
            "who": who,
            "changes": ["entered"],
            "undo_url": None,
            "entered": 1,
        }
    )


def _changes(record, before) -> list[str]:
    if record.history_type == "-":
        return ["deleted"]
    return [
        f"{field_label(MemberVote, name.removesuffix('_id'))}: "
        f"{shown(name, old)} → {shown(name, new)}"
        for name, old, new in changed_fields(record, before, VOTE_FIELDS)
        if name != "source"
    ]


def _entry(record, before, changes: list[str]) -> dict:
    undo = None
    if before is not None:
        undo = reverse("admin:votes_membervote_simple_history", args=[record.id, before.history_id])
    return {
        "record": record,
        "name": record.name_at_vote,
        "who": who_and_when(record),
        "changes": changes,
        "undo_url": undo,
        "restores": shown("position", before.position) if before else "",
    }
