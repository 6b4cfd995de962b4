"""How complete the member-by-member record of failed and vetoed drafts is, by decade.

    manage.py vote_coverage [--from 1994] [--to 2025]

For each decade: the drafts vetoed or not adopted, how many have every sitting member's
vote, and how many of those votes are official, compiled or deduced. Computed from the
database, never written by hand (issue 10's closing count: >= 95% for 1994-2025).
"""

from collections import Counter

from django.core.management.base import BaseCommand

from resolutions.models import Draft
from votes.calendar import CouncilCalendar
from votes.choices import Outcome, evidence_of
from votes.models import MemberVote


class Command(BaseCommand):
    help = "Failed and vetoed drafts with every member's vote, by decade and kind of evidence."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", type=int, default=1994)
        parser.add_argument("--to", dest="last", type=int, default=2025)

    def handle(self, *args, first=1994, last=2025, **options):
        drafts = list(
            Draft.objects.published()
            .filter(outcome__in=[Outcome.VETOED, Outcome.NOT_ADOPTED])
            .filter(date__year__gte=first, date__year__lte=last)
            .only("pk", "date", "draft_symbol")
        )
        sources: dict[int, list[str]] = {}
        for draft_id, source in MemberVote.objects.filter(
            draft_id__in=[d.pk for d in drafts]
        ).values_list("draft_id", "source"):
            sources.setdefault(draft_id, []).append(source)
        calendar = CouncilCalendar()
        rows: dict[int, Counter] = {}
        for draft in drafts:
            decade = draft.date.year // 10 * 10
            row = rows.setdefault(decade, Counter())
            given = sources.get(draft.pk, [])
            row["drafts"] += 1
            if len(given) >= len(calendar.sitting(draft.date)):
                row["complete"] += 1
            else:
                row["incomplete"] += 1
            row.update(evidence_of(s).value for s in given)
        self.stdout.write(
            "decade  drafts  complete  incomplete  official  compiled  deduced  editor  (votes)"
        )
        total = Counter()
        for decade in sorted(rows):
            total.update(rows[decade])
            self.stdout.write(self._line(f"{decade}s", rows[decade]))
        self.stdout.write(self._line("all", total))
        share = 100 * total["complete"] / total["drafts"] if total["drafts"] else 0
        self.stdout.write(
            f"{total['complete']} of {total['drafts']} failed or vetoed drafts of "
            f"{first}-{last} have every member's vote ({share:.1f}%)."
        )

    @staticmethod
    def _line(label: str, row: Counter) -> str:
        counts = [row[k] for k in ("drafts", "complete", "incomplete")]
        votes = [row[k] for k in ("official", "compiled", "deduced", "editor")]
        return (
            f"{label:<7}" + "".join(f"{n:>8}" for n in counts) + "".join(f"{n:>10}" for n in votes)
        )
