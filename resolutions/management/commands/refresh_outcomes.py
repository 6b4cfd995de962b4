"""Recompute every stored outcome, tally, veto and totals flag from the votes.

    manage.py refresh_outcomes [--dry-run]

Importers and the admin keep outcomes in step as they write, so this is only
needed after upgrading to a release whose outcome engine changed (its notes
say so): stored results were computed by the old rules until recomputed. The
deduced member votes (``resolutions.pipeline.deduction``) are recomputed first,
as ``sync_un_data`` does, since the outcomes count them.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from resolutions.models import Draft
from resolutions.outcomes import refresh_outcomes
from resolutions.pipeline.deduction import deduce_votes


class Command(BaseCommand):
    help = "Recompute stored outcomes, tallies and vetoes with the current outcome engine."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report how many would change; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        total = Draft.objects.count()
        with transaction.atomic():
            deduced = deduce_votes()
            changed = refresh_outcomes()
            if dry_run:
                transaction.set_rollback(True)
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{deduced}")
        self.stdout.write(f"{total} drafts checked; {changed} {verb}.")
