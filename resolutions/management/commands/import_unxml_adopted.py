from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = (
        "Import UN DGACM's machine-readable adopted resolutions, 2000 on "
        "(data_extract: a folder of <year>.json files, or one file)."
    )
    source = Source.UNXML_ADOPTED
    path_help = "a folder of <year>.json files (JSON Lines), or one file"

    def download(self, fetcher, root):
        fetcher.adopted(root)
        return root / "unxml_sc_resolutions" / "data_extract"
