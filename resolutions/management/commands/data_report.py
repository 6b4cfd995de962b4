"""List what the sources disagree about, and where each source's version stands."""

from django.core.management.base import BaseCommand
from django.db.models import Count

from resolutions.models import Disagreement, Draft, SourceImport
from votes.choices import Source
from votes.names import seat_holder_name


class Command(BaseCommand):
    help = (
        "Report the disagreements between sources (outcome, tally, date and other fields), "
        "editors' values kept over a source, duplicate listings, membership gaps, resolution "
        "numbers no source lists and computed outcomes a source contradicts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", choices=Disagreement.Kind.values, help="only this kind of disagreement"
        )
        parser.add_argument(
            "--limit", type=int, default=10, help="examples shown per kind (0 for all)"
        )

    def handle(self, *args, kind=None, limit=10, **options):
        self.versions()
        self.disagreements(kind, limit)
        self.resolution_gaps(limit)
        self.disputed_outcomes(limit)

    def disagreements(self, kind: str | None, limit: int) -> None:
        """Each kind's count and its first ``limit`` examples (0: all)."""
        found = Disagreement.objects.select_related("draft").order_by("kind", "draft__date", "pk")
        if kind:
            found = found.filter(kind=kind)
        counts = dict(found.values_list("kind").annotate(n=Count("pk")).order_by())
        total = sum(counts.values())
        self.stdout.write(f"\n{total} disagreements on record.")
        if not total:
            self.stdout.write("The sources agree on everything loaded so far.")
        for key, label in Disagreement.Kind.choices:
            if key in counts:
                self.kind_examples(found.filter(kind=key), key, label, counts[key], limit)

    def kind_examples(self, rows, key: str, label: str, count: int, limit: int) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"\n{label}: {count}"))
        for item in rows[:limit] if limit else rows:
            self.stdout.write("  " + self.describe(item))
        if limit and count > limit:
            self.stdout.write(f"  … {count - limit} more (--kind {key} --limit 0)")

    def resolution_gaps(self, limit: int) -> None:
        # --limit 0 lists them all, up to a thousand (a typo can make many more).
        count, shown = Draft.objects.resolution_number_gaps(limit=limit or 1000)
        self.stdout.write(
            self.style.MIGRATE_HEADING(f"\nResolution numbers no source lists: {count}")
        )
        if shown:
            hint = " (--limit 0)" if limit else ""
            more = f" … {count - len(shown)} more{hint}" if len(shown) < count else ""
            self.stdout.write("  " + ", ".join(f"S/RES/{n}" for n in shown) + more)
        compiled = Draft.objects.compiled_only().exclude(resolution_number=None)
        numbers = sorted(compiled.values_list("resolution_number", flat=True))
        if numbers:
            self.stdout.write(
                f"Resolutions only a compilation lists (no official source): {len(numbers)}\n  "
                + ", ".join(f"S/RES/{n}" for n in numbers)
            )

    def disputed_outcomes(self, limit: int) -> None:
        disputed = Draft.objects.filter(outcome_disputed=True).order_by("date", "pk")
        self.stdout.write(
            self.style.MIGRATE_HEADING(
                f"\nComputed outcome differs from what a source states: {disputed.count()}"
            )
        )
        for draft in disputed[:limit] if limit else disputed:
            said = "; ".join(_stated(d, draft.date) for d in draft.outcome_disagreements)
            self.stdout.write(
                f"  {draft.symbol} ({draft.date}): computed {draft.outcome}"
                + (f" by {', '.join(draft.vetoing_names())}" if draft.outcome == "vetoed" else "")
                + f"; {said}"
            )

    def versions(self) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING("Sources loaded"))
        latest = {}
        for run in SourceImport.objects.order_by("source", "-finished_at"):
            latest.setdefault(run.source, run)
        if not latest:
            self.stdout.write("  none yet (manage.py sync_un_data)")
        for run in latest.values():
            self.stdout.write(
                f"  {Source(run.source).label}: version {run.version}, "
                f"loaded {run.finished_at:%Y-%m-%d %H:%M}"
            )

    @staticmethod
    def describe(item: Disagreement) -> str:
        if item.draft_id:
            where = f"{item.draft.symbol} ({item.draft.date})"
        else:  # a membership row, or a source's record placed on no draft
            where = "membership" if item.kind == Disagreement.Kind.MEMBERSHIP else "no record"
        said = "; ".join(
            f"{Source(k).label if k in Source.values else k}: {v}" for k, v in item.values.items()
        )
        field = f" [{item.field}]" if item.field else ""
        detail = f" — {item.detail}" if item.detail else ""
        return f"{where}{field}: {said}{detail}"


def _stated(disagreement: dict, on) -> str:
    """What one source states of an outcome: 'dhl_veto says vetoed by China'."""
    said = f"{disagreement['source']} says {disagreement['stated']}"
    vetoers = disagreement["stated_vetoed_by"]
    if vetoers:
        said += " by " + ", ".join(seat_holder_name(seat, on) for seat in vetoers)
    return said
