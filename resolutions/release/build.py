"""Write the record in the database as a release: one gzip'd CSV per table.

Deterministic, so that the same record always gives the same bytes and CI can
tell a stale release from a fresh one: rows in id order, JSON in the
database's order (see tables.py), gzip with a fixed mtime and no file name,
and no build time anywhere. The
release's version is the date of its newest source and a digest of its
content (``2026.07.02+3f2a9c1d``), JSON taken with sorted keys: two builds of
the same record share it, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from resolutions.licence import LICENCE, LICENCE_URL
from resolutions.models import Draft
from resolutions.release import ReleaseError, downloads
from resolutions.release.describe import citation_cff, readme, source_entries
from resolutions.release.tables import TABLES, Table, canonical_json, encode

NAME = "sc-votes"
PROFILE = "tabular-data-package"
DIALECT = {"delimiter": ",", "lineTerminator": "\n", "quoteChar": '"', "doubleQuote": True}


@dataclass
class Built:
    """What a build wrote: the version, and each table's rows and bytes."""

    version: str
    rows: dict[str, int] = field(default_factory=dict)
    bytes: dict[str, int] = field(default_factory=dict)

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())


def local_name(location: str) -> str:
    """A file's name without the folder it was read from on the building machine."""
    if "://" in location:
        return location
    return PurePosixPath(location.replace("\\", "/")).name or location


# Cells whose raw value depends on the machine that ran the import.
CLEANERS = {("sources", "location"): local_name}


def table_rows(table: Table):
    """Each row as (its cells, its canonical text for the content digest)."""
    names = [f.attname for f in table.fields]
    cleaners = [CLEANERS.get((table.name, n)) for n in names]
    rows = table.model._base_manager.order_by("pk").values_list(*names).iterator(chunk_size=2000)
    for row in rows:
        values = [clean(v) if clean else v for v, clean in zip(row, cleaners, strict=True)]
        cells = [encode(v) for v in values]
        yield cells, _canonical_text(values, cells)


def _canonical_text(values: list, cells: list[str]) -> str:
    """A row as the content digest reads it: JSON with sorted keys, the rest as written."""
    return "\x1f".join(
        canonical_json(v) if isinstance(v, (dict, list)) else c
        for v, c in zip(values, cells, strict=True)
    )


def csv_bytes(table: Table, digest) -> tuple[bytes, int]:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([f.attname for f in table.fields])
    digest.update(f"\x1e{table.name}\x1e{','.join(f.attname for f in table.fields)}".encode())
    count = 0
    for cells, canonical in table_rows(table):
        writer.writerow(cells)
        digest.update(canonical.encode() + b"\n")
        count += 1
    return text.getvalue().encode("utf-8"), count


def gzipped(data: bytes) -> bytes:
    out = io.BytesIO()
    # mtime=0 and no file name in the header: the same rows give the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    return out.getvalue()


def build(out: Path, *, citation: Path | None = None) -> Built:
    """Write the release into ``out`` (created if need be); returns what was written.

    ``citation`` is where CITATION.cff goes: beside the release by default, at
    the top of the project for the project's own release.
    """
    if not Draft.objects.exists():
        raise ReleaseError("the database holds no drafts: run sync_un_data first")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    contents, resources, built = hashlib.sha256(), [], Built(version="")
    for table in TABLES:
        data, count = csv_bytes(table, contents)
        compressed = gzipped(data)
        (out / table.path).write_bytes(compressed)
        built.rows[table.name], built.bytes[table.name] = count, len(compressed)
        resources.append(
            {
                "name": table.name,
                "title": table.title,
                "path": table.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "compression": "gz",
                "dialect": DIALECT,
                "bytes": len(compressed),
                "hash": "sha256:" + hashlib.sha256(compressed).hexdigest(),
                "sc_votes:rows": count,
                "schema": table.schema(),
            }
        )
    sources = source_entries()
    built.version = release_version(sources, contents.hexdigest())
    package = {
        "profile": PROFILE,
        "name": NAME,
        "title": "SC Votes: how the UN Security Council votes, 1946 to today",
        "description": (
            "Every draft resolution the UN Security Council has put to the vote, how each "
            "member voted, and the vetoes, merged from the UN's official sources by SC Votes "
            "(build_release). Load it with `manage.py load_release`. " + LICENCE
        ),
        "version": built.version,
        "licenses": [{"name": "UN-terms-of-use", "title": LICENCE, "path": LICENCE_URL}],
        "sources": sources,
        "keywords": ["United Nations", "Security Council", "votes", "vetoes", "resolutions"],
        "resources": resources,
        # The full downloads, as the site streams them for this record.
        downloads.KEY: downloads.write(out),
    }
    (out / "datapackage.json").write_text(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (out / "README.md").write_text(readme(package), encoding="utf-8")
    (citation or out / "CITATION.cff").write_text(citation_cff(package), encoding="utf-8")
    return built


def release_version(sources: list[dict], digest: str) -> str:
    """The newest source's date and the content's digest, e.g. 2026.07.02+3f2a9c1d."""
    dates = [
        version[:10]
        for entry in sources
        for version in entry["sc_votes:versions"]
        if len(version) >= 10 and version[4] == "-" and version[7] == "-"
    ]
    if not dates:
        raise ReleaseError("no source in the database carries a dated version")
    return max(dates).replace("-", ".") + "+" + digest[:8]
