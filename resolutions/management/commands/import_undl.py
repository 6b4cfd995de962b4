from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = (
        "Import the Dag Hammarskjöld Library's Security Council Voting Data (CSV, or .csv.gz). "
        "Without a path, downloads the newest *_sc_voting CSV listed by the UN Digital Library."
    )
    source = Source.UNDL
    path_help = "a voting-data CSV"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--data-version",
            help="the dataset's date when the file name has none, e.g. 2026-02-06",
        )

    def download(self, fetcher, root):
        return fetcher.voting_data(root)
