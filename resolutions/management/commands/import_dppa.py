from resolutions.management.commands._importing import ImportCommand
from resolutions.pipeline.fetch import FetchError
from votes.choices import Source


class Command(ImportCommand):
    help = "Import UN DPPA's Security Council membership CSV as elected Council terms."
    source = Source.DPPA
    path_help = "a DPPA-SCMembership CSV"

    def download(self, fetcher, root):
        path = fetcher.membership(root)
        if path is None:
            raise FetchError(fetcher.warnings[-1] + " Give a local copy as PATH.")
        return path
