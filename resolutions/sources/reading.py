"""How every parser reads its input: within a size limit, as strict UTF-8 text.

Each kind of bad file is refused here with one :class:`SourceError` naming the
file, the place and the reason, before a parser looks at its content: too
large, unreadable, empty, binary, or text in an encoding other than UTF-8.

Every source publishes UTF-8 (all the saved Library pages are UTF-8 and none
declares a charset). A file that is not UTF-8 is refused, never guessed at:
reading it as Windows-1252, as the HTML parsers once did, turns bytes it cannot
map into U+FFFD and other bytes into other letters, silently, in the names and
topics we would then publish.

The size limit is ``settings.UN_MAX_INPUT_BYTES``, read here, at the one place
where a path becomes bytes, so the parsers themselves stay pure functions.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from resolutions.sources.records import SourceError

DEFAULT_MAX_INPUT_BYTES = 128 * 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"
# Byte order marks of the encodings a spreadsheet may save "Unicode text" in.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_UTF8_BOM = b"\xef\xbb\xbf"


def max_input_bytes() -> int:
    """The configured limit; the default outside a configured Django project."""
    if not settings.configured:
        return DEFAULT_MAX_INPUT_BYTES
    return int(getattr(settings, "UN_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES))


def read_bytes(source: Path | bytes, file: str, *, limit: int | None = None) -> bytes:
    """The file's bytes (or the bytes given), refused when larger than the limit."""
    limit = max_input_bytes() if limit is None else limit
    if isinstance(source, (bytes, bytearray)):
        _check_size(len(source), limit, file)
        return bytes(source)
    path = Path(source)
    try:
        if path.is_dir():
            raise SourceError(file, "", "this is a folder, not a file")
        _check_size(path.stat().st_size, limit, file)
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # bounded even if the file grows meanwhile
    except OSError as error:
        raise SourceError(file, "", f"cannot read the file ({error.strerror or error})") from None
    _check_size(len(data), limit, file)
    return data


def check_total_size(paths: Iterable[Path], location: str, *, limit: int | None = None) -> None:
    """A folder's files are one input: together they stay within the limit."""
    limit = max_input_bytes() if limit is None else limit
    try:
        total = sum(path.stat().st_size for path in paths)
    except OSError as error:
        raise SourceError(location, "", f"cannot read it ({error.strerror or error})") from None
    if total > limit:
        raise SourceError(location, "", f"its files hold {total:,} bytes; {_limit_words(limit)}")


def _check_size(size: int, limit: int, file: str) -> None:
    if size > limit:
        raise SourceError(file, "", f"the file is {size:,} bytes or more; {_limit_words(limit)}")


def _limit_words(limit: int) -> str:
    return f"the limit is {limit:,} bytes (setting UN_MAX_INPUT_BYTES)"


def gunzip(data: bytes, file: str, *, limit: int | None = None) -> bytes:
    """Unpack gzip data (other data is returned as is), within the same limit unpacked."""
    if not data.startswith(GZIP_MAGIC):
        return data
    limit = max_input_bytes() if limit is None else limit
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
            plain = unpacked.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise SourceError(file, "", f"the file is not a valid gzip file ({error})") from None
    if len(plain) > limit:
        raise SourceError(file, "", f"unpacked, the file is larger; {_limit_words(limit)}")
    return plain


def decode_text(data: bytes, file: str) -> str:
    """Strict UTF-8 (a byte order mark allowed); empty, binary and other encodings refused."""
    for bom, encoding in _OTHER_BOMS:
        if data.startswith(bom):
            raise SourceError(file, "line 1", f"the file is {encoding} text; save it as UTF-8")
    nul = data.find(b"\x00")
    if nul != -1:
        raise SourceError(file, _line_at(data, nul), "the file is binary (it holds NUL bytes)")
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        text = data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        at = start + error.start
        raise SourceError(
            file, _line_at(data, at), f"the file is not UTF-8 (byte {data[at]:#04x})"
        ) from None
    if not text.strip():
        raise SourceError(file, "", "the file is empty")
    return text


def read_text(source: Path | bytes, file: str) -> str:
    """:func:`read_bytes` then :func:`decode_text`."""
    return decode_text(read_bytes(source, file), file)


def check_last_line_ends(text: str, file: str) -> None:
    """A CSV's last line ends with a line break; without one, the file may be cut short."""
    if not text.endswith(("\n", "\r")):
        line = text.count("\n") + 1
        raise SourceError(
            file, f"line {line}", "the last line has no line break: the file may be cut short"
        )


def _line_at(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}"


_TABLE_ROW = re.compile(r"<tr[\s>]", re.IGNORECASE)
_TABLE_OR_PAGE_END = re.compile(r"</(?:table|html)\s*>", re.IGNORECASE)
_BROKEN_BR = re.compile(r"</\s*br\s*>", re.IGNORECASE)


def read_html_table_page(source: Path | bytes, file: str) -> str:
    """The text of a Library table page, refused when it stops inside its table.

    The HTML parser would silently close a table cut short and give half the rows.
    """
    text = read_text(source, file)
    rows = list(_TABLE_ROW.finditer(text))
    if rows and not _TABLE_OR_PAGE_END.search(text, rows[-1].start()):
        line = text.count("\n", 0, rows[-1].start()) + 1
        raise SourceError(
            file, f"line {line}", "the page ends inside its table: the file may be cut short"
        )
    # libxml2 drops the stray "</br>" end tags the pages use as line breaks,
    # which would glue "China" and "Russian Federation" together.
    return _BROKEN_BR.sub("<br>", text)
