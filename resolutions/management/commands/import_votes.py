from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = (
        "Import drafts and member votes in the site's own export format (CSV or JSON), "
        "e.g. a spreadsheet of new votes. Validated like the official sources; an editor's "
        "values win over the sources on later synchronisations."
    )
    source = Source.EDITOR
    path_help = "a CSV or JSON file in the export format (see /data/dictionary/)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(path=None)

    def handle(self, *args, **options):
        if not options.get("path"):
            from django.core.management.base import CommandError

            raise CommandError("Give the file to import: manage.py import_votes FILE")
        super().handle(*args, **options)
