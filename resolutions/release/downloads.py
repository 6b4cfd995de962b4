"""The full downloads as files of the release, served in milliseconds while they hold.

``build_release`` writes the three unfiltered downloads (``/votes.csv``,
``/votes.csv?rows=votes``, ``/votes.json``) beside the tables, gzip'd, each with
the SHA-256 and size of its bytes in ``datapackage.json``
(``sc_votes:downloads``): the very bytes the streaming views give for that
record (``resolutions.exports``). ``load_release`` notes the version it loaded
in ``RecordVersion.release``, and the next change clears it; while the note
matches the release in ``release/`` and nothing in the record is newer, the
views serve the file (``released``) instead of streaming the record again, with
its SHA-256 as ETag and byte ranges. Otherwise they stream, as before.

The files are kept gzip'd in the release (a git-friendly tenth of the size) and
unpacked once, checked against their SHA-256, into ``CACHE_DIR``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.http import QueryDict

from resolutions import exports
from resolutions.filters import DraftFilter
from resolutions.models import RecordVersion
from resolutions.provenance import data_last_modified
from resolutions.release import ReleaseError, default_dir

logger = logging.getLogger(__name__)

KEY = "sc_votes:downloads"
CACHE_DIR = Path(tempfile.gettempdir()) / "sc-votes-downloads"


@dataclass(frozen=True)
class Download:
    kind: str  # "csv", "votes" (rows=votes) or "json"
    filename: str
    content_type: str
    chunks: Callable[..., Iterator[str]]

    @property
    def path(self) -> str:
        return f"{self.filename}.gz"


DOWNLOADS = {
    d.kind: d
    for d in (
        Download("csv", "sc-votes.csv", "text/csv; charset=utf-8", exports.csv_lines),
        Download(
            "votes",
            "sc-votes-member-votes.csv",
            "text/csv; charset=utf-8",
            lambda drafts: exports.csv_lines(drafts, per_vote=True),
        ),
        Download("json", "sc-votes.json", "application/json", exports.json_chunks),
    )
}


@dataclass(frozen=True)
class Served:
    """A download's file on disk, its size and its SHA-256 (the ETag)."""

    download: Download
    path: Path
    size: int
    sha256: str


# Building ------------------------------------------------------------------------
def write(out: Path) -> list[dict]:
    """Write every full download of the database's record into ``out``; their entries."""
    return [_write_one(download, out) for download in DOWNLOADS.values()]


def _write_one(download: Download, out: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    # mtime=0 and no name in the header: the same record gives the same bytes.
    with (
        (out / download.path).open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as packed,
    ):
        for chunk in download.chunks(DraftFilter(QueryDict("")).qs):
            data = chunk.encode("utf-8")
            digest.update(data)
            size += len(data)
            packed.write(data)
    return {
        "kind": download.kind,
        "path": download.path,
        "bytes": size,
        "sha256": digest.hexdigest(),
    }


# Serving -------------------------------------------------------------------------
def released(kind: str, folder: Path | None = None) -> Served | None:
    """The release's file of this download if the database holds that release, else None."""
    folder = Path(folder or default_dir())
    entry = _entry(folder, kind)
    if entry is None or not holds_release(_version(folder)):
        return None
    try:
        path = unpacked(folder, entry)
    except (OSError, EOFError, ReleaseError):
        logger.exception("The release's %s is unusable: streaming the record instead", kind)
        return None
    return Served(DOWNLOADS[kind], path, entry["bytes"], entry["sha256"])


def holds_release(version: str) -> bool:
    """The record is exactly that release: loaded from it, and nothing changed since."""
    row = RecordVersion.objects.filter(pk=1).values("release", "changed_at").first()
    if not version or row is None or row["release"] != version:
        return False
    return data_last_modified() == row["changed_at"]


def _package(folder: Path) -> dict:
    try:
        return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _version(folder: Path) -> str:
    return str(_package(folder).get("version", ""))


def _entry(folder: Path, kind: str) -> dict | None:
    entries = {e.get("kind"): e for e in _package(folder).get(KEY, [])}
    return entries.get(kind)


def unpacked(folder: Path, entry: dict) -> Path:
    """The download's bytes in the cache, unpacked once and checked against the release."""
    target = CACHE_DIR / f"{entry['sha256']}-{entry['path'].removesuffix('.gz')}"
    if target.exists():
        return target
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=CACHE_DIR, delete=False) as scratch:
        try:
            _unpack(folder / entry["path"], scratch, digest)
        except (OSError, EOFError):
            Path(scratch.name).unlink()
            raise
    if digest.hexdigest() != entry["sha256"]:
        Path(scratch.name).unlink()
        raise ReleaseError(f"{folder / entry['path']}: its bytes are not the release's")
    # Atomic: a worker unpacking it at the same time writes the same bytes.
    Path(scratch.name).replace(target)
    return target


def _unpack(source: Path, scratch, digest) -> None:
    with gzip.open(source, "rb") as packed:
        for block in iter(lambda: packed.read(1 << 20), b""):
            digest.update(block)
            scratch.write(block)
