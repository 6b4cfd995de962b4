from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = "Import the Dag Hammarskjöld Library's yearly meetings tables (a folder of HTML pages)."
    source = Source.DHL_MEETINGS
    path_help = "a folder holding scactYEAR_table_en.html pages"

    def download(self, fetcher, root):
        fetcher.meetings(root)
        return root / "dhl_meetings_tables"
