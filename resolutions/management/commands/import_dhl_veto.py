from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = "Import the Dag Hammarskjöld Library's Veto List (HTML page)."
    source = Source.DHL_VETO
    path_help = "the saved Veto List page"

    def download(self, fetcher, root):
        return fetcher.veto_list(root)
