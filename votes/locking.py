"""One optimistic lock for every record editors change in the admin.

A form carries, in a hidden field, a token of the record as it was loaded. On
save the record's row is locked (``SELECT … FOR UPDATE``, so two saves cannot
both pass) and its token read again: a different token means somebody saved in
between, and the save is refused with what they changed.

What the token is depends on the model, not the check: a draft has a ``version``
that every save and every import bumps (:class:`VersionLock`); a member vote or a
Council term is known by its newest history row (:class:`HistoryLock`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import QuerySet

from votes.history import BASELINE_REASON, describe, is_baseline

CONFLICT = (
    "Another editor saved this record while you were editing it, "
    "so your changes have not been saved."
)
RELOAD = "Reload the page to see the record as it is now, then make your changes again."
BUSY = (
    "An import is writing this record right now (a synchronisation with the official "
    "sources), so your changes have not been saved. The form keeps them: save again "
    "in a minute."
)
# How long a save waits for a record's row lock before it is refused with BUSY, so
# that no editor waits on a long import (PostgreSQL; SQLite has no row locks).
LOCK_WAIT = "500ms"


def token_field() -> forms.IntegerField:
    """The hidden field a locked form declares to carry its token."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def conflict(changes: list[str]) -> ValidationError:
    heading = "Their change:" if len(changes) == 1 else "Their changes:"
    return ValidationError([f"{CONFLICT} {heading}", *changes, RELOAD], code="conflict")


class Lock:
    """How one model's token is read, and how the changes since a token are told."""

    def loaded(self, instance) -> int | None:
        """The token of an instance as the form shows it."""
        raise NotImplementedError

    def stored(self, rows: QuerySet) -> int | None:
        """The token of the one record ``rows`` holds (None if it is gone)."""
        raise NotImplementedError

    def changes_since(self, model, pk, loaded: int | None) -> list[str]:
        raise NotImplementedError


class VersionLock(Lock):
    """A counter column that every writer bumps; what changed is told by ``explain``."""

    def __init__(self, field: str, explain: Callable[[int, int | None], list[str]]):
        self.field = field
        self.explain = explain

    def loaded(self, instance) -> int | None:
        return getattr(instance, self.field)

    def stored(self, rows: QuerySet) -> int | None:
        return rows.values_list(self.field, flat=True).first()

    def changes_since(self, model, pk, loaded):
        return self.explain(pk, loaded)


class HistoryLock(Lock):
    """The id of the record's newest history row, leaving out baselines: they only
    record a state that was already there (see ``votes.history.BASELINE_REASON``)."""

    def __init__(self, fields: tuple[str, ...]):
        self.fields = fields  # the fields a conflict message names

    def loaded(self, instance) -> int | None:
        return self._newest(type(instance), instance.pk)

    def stored(self, rows: QuerySet) -> int | None:
        pk = rows.values_list("pk", flat=True).first()
        return None if pk is None else self._newest(rows.model, pk)

    @staticmethod
    def _newest(model, pk) -> int | None:
        return (
            model.history.filter(id=pk)
            .exclude(history_change_reason=BASELINE_REASON)
            .order_by("-history_id")
            .values_list("history_id", flat=True)
            .first()
        )

    def changes_since(self, model, pk, loaded):
        before = model.history.filter(id=pk, history_id=loaded).first()
        newer = model.history.filter(id=pk).select_related("history_user")
        if loaded is not None:
            newer = newer.filter(history_id__gt=loaded)
        lines = []
        for record in newer.order_by("history_id"):
            if not is_baseline(record):
                lines.append(describe(record, before, self.fields))
            before = record
        return lines


class LockedForm:
    """A ModelForm mixin: the one optimistic-locking check.

    The form declares ``lock`` (a :class:`Lock`) and a hidden field named
    ``lock_field`` (:func:`token_field`), and calls :meth:`check_lock` in ``clean``.
    ``reverting`` (set by the admin on a history revert form) means the instance
    is an old version, whose own token is stale: the stored one is shown instead.
    """

    lock: Lock
    lock_field = "loaded_history"
    reverting = False
    # Supplied by the ModelForm this is mixed into (declared for the type checker only).
    instance: Any
    fields: dict[str, Any]
    cleaned_data: dict[str, Any]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_token: int | None = None
        instance = self.instance
        if instance.pk:
            if self.reverting:
                token = self.lock.stored(type(instance).objects.filter(pk=instance.pk))
            else:
                token = self.lock.loaded(instance)
            self.fields[self.lock_field].initial = token

    def check_lock(self) -> None:
        """Refuse to save over a change saved since the form was loaded."""
        instance = self.instance
        if not instance.pk:
            return
        model = type(instance)
        rows = model.objects.filter(pk=instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Saving: hold the row so that two saves cannot both pass this check.
            self.current_token = _stored_when_free(self.lock, rows.select_for_update())
        else:
            self.current_token = self.lock.stored(rows)
        loaded = self.cleaned_data.get(self.lock_field)
        if self.current_token is None or loaded == self.current_token:
            return
        raise conflict(self.lock.changes_since(model, instance.pk, loaded))


def _stored_when_free(lock: Lock, rows: QuerySet) -> int | None:
    """The token, read under the row's lock, or BUSY when an import holds the row
    longer than LOCK_WAIT. In a savepoint, so the refused save's transaction stays
    usable for showing the form again; the wait applies to this one statement."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return lock.stored(rows)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('lock_timeout')")
            (previous,) = cursor.fetchone()
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_WAIT])
            token = lock.stored(rows)
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [previous])
            return token
    except OperationalError as exc:
        if "lock" not in str(exc).lower():
            raise
        raise ValidationError(BUSY, code="busy") from exc
