"""No import shrinks a published record by leaving votes out (issue 12).

A file that lacks member votes a record has, where the record is or ever was
published, is refused: a file cut short must never delete what the public has
seen. Deleting them takes an explicit ``import_votes --allow-deletions``; the
command then shows every deletion in its summary, and django-simple-history
keeps each deleted vote (the writer deletes through the ORM, one signal each).

The command layer sets the policy for one import with :func:`deletions_policy`;
``VoteWriter`` asks :func:`votes_to_delete` which omitted votes go. Outside such
a block (``sync_un_data``) deletions of published votes are refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from resolutions.rules import ever_published
from resolutions.sources.records import SourceError
from votes.choices import Source
from votes.models import MemberVote


@dataclass
class DeletionPolicy:
    """For one import: may it delete votes of published records, and what it deleted."""

    file: str = ""
    allowed: bool = False
    deleted: list[str] = field(default_factory=list)  # "S/2022/431: Albania", one per vote


_policy: ContextVar[DeletionPolicy | None] = ContextVar("vote_deletions", default=None)


@contextmanager
def deletions_policy(file: str, *, allowed: bool) -> Iterator[DeletionPolicy]:
    policy = DeletionPolicy(file=file, allowed=allowed)
    token = _policy.set(policy)
    try:
        yield policy
    finally:
        _policy.reset(token)


def votes_to_delete(draft, omitted: list, source: str) -> list:
    """Of a draft's stored votes the source leaves out, those to delete.

    An official source never deletes an editor's vote (it is kept, as before). An
    editor's file speaks for the whole record: leaving a vote out of a published
    record is refused unless deletions are allowed, and then they all go.
    """
    going = _going(omitted, source)
    if not going or not ever_published(draft):
        return going
    policy = _policy.get() or DeletionPolicy()
    if not policy.allowed:
        raise _refusal(policy, draft, omitted, going, source)
    policy.deleted += [f"{draft.symbol}: {v.name_at_vote}" for v in going]
    return going


def _going(omitted: list, source: str) -> list:
    """The omitted votes a source may delete: an editor's file, all; others, none of an
    editor's."""
    if source == Source.EDITOR:
        return omitted
    return [v for v in omitted if v.source != Source.EDITOR]


def _refusal(policy: DeletionPolicy, draft, omitted: list, going: list, source: str):
    return SourceError(
        policy.file or Source(source).label,
        draft.symbol,
        f"the record has {len(omitted) + _kept(draft, omitted)} member votes and the "
        f"file leaves out {len(going)} ({_names(going)}): a published record is "
        "never shrunk by omission; give every vote, or run import_votes with "
        "--allow-deletions to delete them",
    )


def _kept(draft, omitted: list) -> int:
    return MemberVote.objects.filter(draft_id=draft.pk).count() - len(omitted)


def _names(votes: list) -> str:
    names = sorted(v.name_at_vote for v in votes)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
