"""Fill an empty database, as `make run` does on its first start."""

from django.core.management.base import BaseCommand

from resolutions.models import Draft
from resolutions.starter import load_starter_data


class Command(BaseCommand):
    help = "Load data into an empty database (the starter data); do nothing otherwise."

    def handle(self, *args, **options):
        if Draft.objects.exists():
            self.stdout.write("The database already holds votes; nothing loaded.")
            return
        draft = load_starter_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the starter data: the 2022 Council and {draft.symbol} "
                f"({draft.tally}, {draft.outcome_sentence[0].lower()}{draft.outcome_sentence[1:]})."
            )
        )
