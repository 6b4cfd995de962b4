from resolutions.management.commands._importing import ImportCommand
from votes.choices import Source


class Command(ImportCommand):
    help = "Import UN DGACM's Akoma Ntoso XML of drafts not adopted (a folder or one file)."
    source = Source.UNXML
    path_help = "a folder of XML files, or one file"

    def download(self, fetcher, root):
        fetcher.not_adopted(root)
        return root / "unxml_sc_resolutions" / "not_adopted_english"
