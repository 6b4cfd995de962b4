"""A file as an HTTP response with an ETag and one byte range (RFC 9110 §14).

Django's FileResponse sends a whole file (with the server's sendfile where it
has one) but knows nothing of ``Range``; this adds the one range a download
manager or a resumed download asks for. Several ranges in one request, or a
malformed header, get the whole file, as the RFC allows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag

RANGE = re.compile(r"bytes=(\d*)-(\d*)")
BLOCK = 1 << 16


class Unsatisfiable(Exception):
    """A range that starts past the end of the file."""


def requested_range(request, size: int, etag: str) -> tuple[int, int] | None:
    """(first, last) byte asked for, both inclusive; None for the whole file."""
    header = request.headers.get("Range", "").strip()
    if_range = request.headers.get("If-Range")
    match = RANGE.fullmatch(header)
    if not match or match.groups() == ("", "") or (if_range and if_range != etag):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        if int(last) == 0:
            raise Unsatisfiable
        return max(0, size - int(last)), size - 1
    if last and int(last) < int(first):
        return None  # invalid: ignored
    if int(first) >= size:
        raise Unsatisfiable
    return int(first), min(int(last), size - 1) if last else size - 1


def file_response(request, path: Path, *, size: int, digest: str, content_type: str, filename: str):
    """The file, or its asked-for range (206), or 304 for the same ETag, or 416."""
    etag = quote_etag(digest)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return not_modified
    try:
        wanted = requested_range(request, size, etag)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None:
        response = FileResponse(path.open("rb"), content_type=content_type)
    else:
        response = _partial(path, *wanted, size=size, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    return response


def _partial(path: Path, first: int, last: int, *, size: int, content_type: str):
    response = StreamingHttpResponse(
        _window(path, first, last - first + 1), status=206, content_type=content_type
    )
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(last - first + 1)
    return response


def _window(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as file:
        file.seek(start)
        while length > 0:
            block = file.read(min(BLOCK, length))
            if not block:
                return
            length -= len(block)
            yield block
