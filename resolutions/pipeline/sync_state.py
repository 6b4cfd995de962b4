"""Whether a sync would change nothing: the same files, read by the same code, onto
a record unchanged since the last sync that ran every source.

Each source's load is idempotent (a second run changes nothing), so such a sync
is skipped whole: it reads every file once to hash it, and writes nothing. What
changes the record besides a sync moves ``RecordVersion`` (every save and delete
through the ORM) or the row counts, and the next sync then runs in full.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.db.models import Max

from resolutions.models import Disagreement, Draft, RecordVersion, SyncRun
from resolutions.pipeline.inputs import Input, digest
from votes.models import MemberVote, Veto

# The code a sync's result follows from: the apps' own modules (not their tests).
_CODE = [Path(__file__).resolve().parents[2] / app for app in ("resolutions", "votes")]


def sync_key(inputs: list[Input]) -> str:
    """SHA-256 of the inputs (source, version, content) in load order, and of the code."""
    sha = hashlib.sha256()
    for item in inputs:
        sha.update(f"{item.source}\0{item.version}\0{item.path.name}\0".encode())
        sha.update(digest(item.path).encode())
    sha.update(_code_digest().encode())
    return sha.hexdigest()


def _code_digest() -> str:
    sha = hashlib.sha256()
    for root in _CODE:
        for path in sorted(root.rglob("*.py")):
            sha.update(str(path.relative_to(root.parent)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _counts() -> dict[str, int | str]:
    """Rows of the record's tables, and when a draft was last saved (a save dates its
    draft at once, while RecordVersion moves when the save commits)."""
    counts: dict[str, int | str] = {
        model.__name__: model.objects.count() for model in (Draft, MemberVote, Veto, Disagreement)
    }
    counts["draft saved"] = str(Draft.objects.aggregate(last=Max("updated_at"))["last"])
    return counts


def _record_changed_at():
    return RecordVersion.objects.filter(pk=1).values_list("changed_at", flat=True).first()


def nothing_to_do(key: str) -> bool:
    """Whether the last full sync read the same (``key``) and the record is as it left it."""
    last = SyncRun.objects.order_by("-pk").first()
    return (
        last is not None
        and last.key == key
        and last.record_changed_at == _record_changed_at()
        and last.counts == _counts()
    )


def remember(key: str) -> None:
    """Record a full sync, after its transaction committed (and the record was dated)."""
    SyncRun.objects.all().delete()
    SyncRun.objects.create(key=key, record_changed_at=_record_changed_at(), counts=_counts())
