"""The full downloads from the release's files while the record is that release.

The bytes served from the file are compared with those the streaming view gives
for the same record once the record is no longer marked as the release.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from resolutions.models import SourceImport
from resolutions.release import default_dir, downloads
from resolutions.signals import bump_record_version

FULL = ["/votes.csv", "/votes.csv?rows=votes", "/votes.json"]
HEADERS = ("Content-Type", "Content-Disposition", "X-Licence")


@pytest.fixture
def released(small_release, monkeypatch, tmp_path):
    monkeypatch.setattr(downloads, "default_dir", lambda: small_release)
    monkeypatch.setattr(downloads, "CACHE_DIR", tmp_path / "cache")
    call_command("load_release", str(small_release), replace=True, stdout=StringIO())
    return small_release


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_full_downloads_are_the_release_files_with_the_streamed_bytes(client, released):
    served = {url: client.get(url) for url in FULL}
    bump_record_version()  # as an editor's save does: the record is no longer the release
    for url, response in served.items():
        assert isinstance(response, FileResponse), url
        streamed = client.get(url)
        assert type(streamed) is StreamingHttpResponse, url
        assert content(response) == content(streamed), url
        assert {h: response[h] for h in HEADERS} == {h: streamed[h] for h in HEADERS}


def test_a_byte_range_and_a_resumed_download(client, released):
    whole = content(client.get("/votes.csv?rows=votes"))
    part = client.get("/votes.csv?rows=votes", HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert content(part) == whole[10:20]
    tail = client.get("/votes.csv?rows=votes", HTTP_RANGE="bytes=-7")
    assert content(tail) == whole[-7:]
    rest = client.get("/votes.csv?rows=votes", HTTP_RANGE=f"bytes={len(whole) - 3}-")
    assert content(rest) == whole[-3:]
    beyond = client.get("/votes.csv?rows=votes", HTTP_RANGE=f"bytes={len(whole)}-")
    assert (beyond.status_code, beyond["Content-Range"]) == (416, f"bytes */{len(whole)}")


def test_the_etag_is_the_files_digest(client, released):
    first = client.get("/votes.json")
    entries = {e["kind"]: e for e in downloads._package(released)[downloads.KEY]}
    assert first["ETag"] == f'"{entries["json"]["sha256"]}"'
    assert client.get("/votes.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A range of another version of the file is the whole of this one instead.
    other = client.get("/votes.json", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert other.status_code == 200
    assert content(other) == gzip.decompress((released / entries["json"]["path"]).read_bytes())


def test_a_filtered_download_streams(client, released):
    response = client.get("/votes.csv", {"year_from": 2022})
    assert type(response) is StreamingHttpResponse


def test_an_import_after_the_load_streams_again(client, released):
    SourceImport.objects.create(
        source="undl", version="2026-09-01", location="x", sha256="cd" * 32, created=0
    )
    SourceImport.objects.filter(version="2026-09-01").update(
        finished_at=timezone.now() + timedelta(seconds=1)
    )
    assert type(client.get("/votes.csv")) is StreamingHttpResponse


def test_a_damaged_file_streams_instead_of_failing(client, released):
    (released / "sc-votes.csv.gz").write_bytes(gzip.compress(b"not the release\n"))
    response = client.get("/votes.csv")
    assert type(response) is StreamingHttpResponse
    assert response.status_code == 200


@pytest.mark.slow
def test_the_committed_releases_downloads_are_what_its_record_streams(client, db):
    # Loaded from release/ and no longer marked as the release, the record streams;
    # each stream must be the committed file byte for byte (its SHA-256), or the
    # site would serve stale bytes until the next `make release`.
    folder = default_dir()
    call_command("load_release", str(folder), replace=True, stdout=StringIO())
    bump_record_version()
    entries = {e["kind"]: e for e in downloads._package(folder).get(downloads.KEY, [])}
    if not entries:  # built before the downloads were: every download streams
        pytest.skip("release/ has no downloads yet: `make release` adds them")
    assert set(entries) == set(downloads.DOWNLOADS)
    for kind, url in zip(("csv", "votes", "json"), FULL, strict=True):
        digest = hashlib.sha256()
        for chunk in client.get(url).streaming_content:
            digest.update(chunk)
        assert digest.hexdigest() == entries[kind]["sha256"], f"{url}: run make release"
