"""What an import did, and the transaction every import runs in."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from resolutions.models import SourceImport
from resolutions.signals import record_changed
from votes.choices import Source


@dataclass
class ImportSummary:
    source: str
    version: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)
    # Faults a parser's checks caught, by kind (values left out, never written as fact).
    faults: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        verdict = "" if self.changed else " (nothing changed)"
        prefix = "Dry run, nothing written: would have " if self.dry_run else ""
        faults = f", faults caught {sum(self.faults.values())}" if self.faults else ""
        return (
            f"{Source(self.source).label} {self.version}: {prefix}"
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"conflicts {self.conflicts}{faults}{verdict}"
        )


class DryRun(Exception):
    """Raised at the end of a dry run so that its transaction rolls back."""


def recorded_import(
    summary: ImportSummary, location: str, work: Callable[[], object], *, model, sha256: str
) -> ImportSummary:
    """Run an import's work in one transaction and record it as a SourceImport.

    A dry run does all the work, then rolls it back. ``model`` is the one whose
    change dates the record (ETag and Last-Modified).
    """
    try:
        with transaction.atomic():
            work()
            if summary.dry_run:
                raise DryRun
            if summary.changed:  # a run that changed nothing leaves the ETags alone
                record_changed(model)
            SourceImport.objects.create(
                source=summary.source,
                version=summary.version,
                location=location[:500],
                sha256=sha256,
                created=summary.created,
                updated=summary.updated,
                unchanged=summary.unchanged,
                conflicts=summary.conflicts,
            )
    except DryRun:
        pass
    return summary
