from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = (
        "Import drafts and member votes in the site's own export format (CSV or JSON), "
        "e.g. a spreadsheet of new votes: columns as in the data dictionary at /data/. "
        "Checked like the official sources and like the admin; an editor's values win "
        "over the sources on later synchronisations."
    )
    source = Source.EDITOR

    def add_arguments(self, parser):
        parser.add_argument("path", help="a CSV or JSON file in the export format")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would change; write nothing"
        )
        parser.add_argument("--no-progress", action="store_true", help="never show a bar")
