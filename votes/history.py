"""Who changed what, in plain words: history rows (django-simple-history) as an editor
reads them, on the History pages and in a conflict message.

Shared by the Council terms and member votes here and by the drafts' audit trail
(``resolutions/history.py``), so it names no ``resolutions`` model.
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from votes.choices import NonVoting, Position, Source

# The change reason of the history row that records an imported state before the
# first editor change to it, so that the change can be reverted.
BASELINE_REASON = "State before the first editor change (as imported)"
POSITION_LABELS = dict(Position.choices)
NON_VOTING_LABELS = dict(NonVoting.choices)


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


def is_baseline(record) -> bool:
    """Whether a history row only records a state already there (see BASELINE_REASON)."""
    return record.history_change_reason == BASELINE_REASON
