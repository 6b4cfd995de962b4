"""Write the record in the database as a data release (release/ by default).

    manage.py build_release [--out DIR] [--check]

Run it on a database filled by ``sync_un_data`` alone (``make release`` does
this in a scratch database), so that the release is what the project's
pipeline makes of the official sources, nothing more.
"""

import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from resolutions.release import ReleaseError, default_dir
from resolutions.release.build import build
from resolutions.release.compare import differences
from resolutions.release.load import read


class Command(BaseCommand):
    help = "Write the record as a versioned data release: gzip'd CSVs and datapackage.json."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="folder to write (default: release/)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="build into a scratch folder and compare with the release in --out; "
            "fail if they differ",
        )

    def handle(self, *args, out=None, check=False, **options):
        folder = Path(out) if out else default_dir()
        try:
            if check:
                self.check_against(folder)
                return
            start = time.perf_counter()
            # The project's own release is cited from the top of the project.
            citation = Path(settings.BASE_DIR) / "CITATION.cff" if out is None else None
            built = build(folder, citation=citation)
        except ReleaseError as exc:
            raise CommandError(str(exc)) from None
        rows = ", ".join(f"{n:,} {name.replace('_', ' ')}" for name, n in built.rows.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Built data release {built.version} in {folder} "
                f"({built.total_bytes / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s): {rows}."
            )
        )

    def check_against(self, folder: Path) -> None:
        with tempfile.TemporaryDirectory(prefix="sc-votes-release-") as scratch:
            build(Path(scratch))
            found = differences(read(folder), read(Path(scratch)))
        if found:
            raise CommandError(
                f"The release in {folder} is not what this database builds:\n  - "
                + "\n  - ".join(found)
                + "\nRefresh it with `make release`."
            )
        self.stdout.write(self.style.SUCCESS(f"The release in {folder} matches this database."))
