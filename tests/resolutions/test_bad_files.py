"""Every importer refuses every kind of bad file with one clear line, and writes nothing.

Each bad file is made in ``tmp_path`` from a real one (../shared/data, or the
site's own export of the database): emptied, cut in half, zipped, saved in
another encoding, with a column renamed, a row repeated, a date in 2099, or
larger than ``UN_MAX_INPUT_BYTES``. The database already holds data (the
starter vote and DPPA's membership), and every table of the record must be
exactly as it was afterwards: same row counts, same contents.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from resolutions.models import Disagreement
from resolutions.starter import load_starter_data
from tests.conftest import kept_for_the_scope

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

REPO = Path(__file__).resolve().parents[2]
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"
TABLES = "dhl_meetings_tables"
XML = "unxml_sc_resolutions/not_adopted_english/S_2023_212-2305680E.xml"


@dataclass(frozen=True)
class Importer:
    """One command, the real file its bad copies are made from, and how to spoil it."""

    command: str
    source: str  # path under ../shared/data, or "export:csv" / "export:json"
    name: str  # the file name the command is given
    wrong_columns: tuple[str, str]  # (text, replacement): a column, key or element renamed
    future: tuple[str, str]  # a date moved to 2099
    duplicate: str  # a row that is written twice
    accent: tuple[str, str] = ("", "")  # adds a letter outside ASCII where the file has none
    folder: bool = False  # the command reads a folder of such files
    # A row the real source itself repeats word for word: read once, never refused.
    counted_once: str = ""

    def __str__(self):
        return self.command + ("" if not self.source.startswith("export") else self.source[6:])


IMPORTERS = [
    Importer(
        "import_dppa",
        MEMBERSHIP,
        "DPPA-SCMembership.csv",
        wrong_columns=("security_council_member", "member"),
        future=("1150,2027,Liberia,2026-07-02", "1150,2027,Liberia,2099-07-02"),
        duplicate="2,1946,Brazil,2026-07-02\n",
    ),
    Importer(
        "import_undl",
        "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv",
        "2026_02_06_sc_voting.csv",
        wrong_columns=("ms_vote", "vote"),
        future=("1982-04-30", "2099-04-30"),
        duplicate="278791,FRA,FRANCE,True,Y,1982-04-30,",
        accent=("establishment", "établissement"),
    ),
    Importer(
        "import_unxml_adopted",
        "unxml_sc_resolutions/data_extract/2022.json",
        "2022.json",
        wrong_columns=('"symbol":', '"res_symbol":'),
        future=('"adoption_date": "27 January 2022"', '"adoption_date": "27 January 2099"'),
        duplicate='{"symbol": "S/RES/2618 (2022)"',
        accent=("The situation in Cyprus", "La situation à Chypre"),
        counted_once='{"symbol": "S/RES/2618 (2022)"',  # as 2026.json repeats S/RES/2820
    ),
    Importer(
        "import_unxml",
        XML,
        "S_2023_212-2305680E.xml",
        wrong_columns=('refersTo="inFavour"', 'refersTo="favour"'),
        future=('date="2023-03-27" outcome="notAdopted"', 'date="2099-03-27" outcome="notAdopted"'),
        duplicate="",  # the same file twice in one folder
    ),
    Importer(
        "import_dhl_veto",
        f"{TABLES}/scact_veto_table_en.html",
        "scact_veto_table_en.html",
        wrong_columns=(">Agenda Item<", ">Subject<"),
        future=("<tr><td>26 May 2022</td>", "<tr><td>26 May 2099</td>"),
        duplicate="<tr><td>26 May 2022</td>",  # S/2022/431
        accent=("Security Council - Veto List", "Security Council \u2013 Veto List"),
    ),
    Importer(
        "import_dhl_meetings",
        f"{TABLES}/scact2022_table_en.html",
        "scact2022_table_en.html",
        wrong_columns=(">Topic<", ">Subject<"),
        future=("scact2022_table_en.html", "scact2099_table_en.html"),  # the year is the name's
        duplicate='<td><a target="top" href="https://undocs.org/en/S/PV.9048">',  # S/2022/431
        folder=True,
        # as the 2011 page lists S/RES/1996 on two identical rows
        counted_once='<a target="top" href="https://undocs.org/en/S/RES/2626(2022)">',
    ),
    Importer(
        "import_votes",
        "export:csv",
        "votes.csv",
        wrong_columns=("ms_vote", "vote"),
        future=("2022-05-26", "2099-05-26"),
        duplicate=",CHN,",
    ),
    Importer(
        "import_votes",
        "export:json",
        "votes.json",
        wrong_columns=('"drafts"', '"items"'),
        future=("2022-05-26", "2099-05-26"),
        duplicate='{"ms_code": "CHN"',
    ),
]

KINDS = [
    "empty",
    "truncated",
    "binary",
    "utf16",
    "cp1252",
    "wrong_columns",
    "duplicated",
    "future",
    "oversized",
]
# What the one line must say, by kind (besides naming the file).
REASONS = {
    "empty": r"empty",
    "truncated": r"cut short",
    "binary": r"binary",
    "utf16": r"UTF-16",
    "cp1252": r"not UTF-8",
    "wrong_columns": r"column|header|field|position list|not an SC Votes JSON export",
    "duplicated": r"twice|repeats|also described",
    "future": r"in the future",
    "oversized": r"UN_MAX_INPUT_BYTES",
}


@pytest.fixture(scope="module")
def populated(shared_data, django_db_setup, django_db_blocker):
    """A database that already holds a record: the starter vote and the membership.

    Built once for the module; what a test writes rolls back with the test.
    """
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            load_starter_data()
            call_command("import_dppa", str(shared_data / MEMBERSHIP), stdout=StringIO())
        yield


def record_tables() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the contents of every table of the record."""
    state = {}
    for app in ("votes", "resolutions"):
        for model in apps.get_app_config(app).get_models():
            names = [f.attname for f in model._meta.concrete_fields]
            rows = list(model._base_manager.order_by("pk").values_list(*names))
            state[model._meta.db_table] = (
                len(rows),
                hashlib.sha256(repr(rows).encode()).hexdigest(),
            )
    return state


def real_bytes(importer: Importer, shared_data: Path) -> bytes:
    if importer.source.startswith("export:"):
        out = StringIO()
        call_command("export_votes", format=importer.source[7:], stdout=out)
        return out.getvalue().encode()
    return (shared_data / importer.source).read_bytes()


def _cut_in_half(data: bytes) -> bytes:
    """The first half, ending mid-line and on a whole character."""
    cut = len(data) // 2
    while data[cut - 1 : cut] in (b"\n", b"\r") or (data[cut] & 0xC0) == 0x80:
        cut -= 1
    return data[:cut]


def _zipped(data: bytes, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _replaced(data: bytes, old: str, new: str) -> bytes:
    assert old.encode() in data, f"the real file no longer holds {old!r}"
    return data.replace(old.encode(), new.encode())


def _repeated(data: bytes, start: str) -> bytes:
    """The row holding ``start`` (a line, a table row, a vote object) written twice."""
    at = data.index(start.encode())
    if start.startswith("<"):
        begin, end = (
            data.rfind(b"<tr", 0, at + len(b"<tr")),
            data.index(b"</tr>", at) + len(b"</tr>"),
        )
        return data[:end] + b"\n" + data[begin:end] + data[end:]
    if start.startswith('{"ms_code"'):
        end = data.index(b"}", at) + 1
        return data[:end] + b", " + data[at:end] + data[end:]
    begin, end = data.rfind(b"\n", 0, at) + 1, data.index(b"\n", at) + 1
    return data[:end] + data[begin:end] + data[end:]


def _in_cp1252(importer: Importer, data: bytes) -> bytes:
    if importer.accent[0]:
        data = _replaced(data, *importer.accent)
    data = data.decode("utf-8").encode("cp1252", errors="replace")
    assert any(byte > 127 for byte in data), "the copy must hold a byte outside ASCII"
    return data


SPOILED = {
    "empty": lambda importer, data: b"",
    "truncated": lambda importer, data: _cut_in_half(data),
    "binary": lambda importer, data: _zipped(data, importer.name),
    "utf16": lambda importer, data: data.decode("utf-8").encode("utf-16"),
    "cp1252": _in_cp1252,
    "wrong_columns": lambda importer, data: _replaced(data, *importer.wrong_columns),
    "duplicated": lambda importer, data: _repeated(data, importer.duplicate),
    "future": lambda importer, data: _replaced(data, *importer.future),
    "oversized": lambda importer, data: data,  # UN_MAX_INPUT_BYTES is lowered instead
}


def bad_file(
    importer: Importer, kind: str, data: bytes, folder: Path, settings
) -> tuple[Path, str]:
    """Write the bad copy; return what to give the command and the name its error must show."""
    name = importer.name
    as_folder = importer.folder
    if kind == "oversized":
        settings.UN_MAX_INPUT_BYTES = len(data) // 2
    if kind == "future" and importer.folder:  # a meetings table's year is its file name's
        name = importer.future[1]
    elif kind == "duplicated" and not importer.duplicate:  # the same XML file twice
        (folder / "copy.xml").write_bytes(data)
        as_folder = True
    else:
        data = SPOILED[kind](importer, data)
    (folder / name).write_bytes(data)
    if as_folder:
        return folder, folder.name if kind == "oversized" else name
    return folder / name, name


def refused(command: str, path: Path) -> str:
    """The command's error; it must be a CommandError, never another exception."""
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), stdout=StringIO(), no_progress=True)
    return str(error.value)


CASES = [
    pytest.param(importer, kind, id=f"{importer}-{kind}")
    for importer in IMPORTERS
    for kind in KINDS
    if not (kind == "duplicated" and importer.command == "import_unxml_adopted")
]


@pytest.mark.parametrize(("importer", "kind"), CASES)
def test_a_bad_file_is_refused_in_one_line_and_nothing_is_written(
    populated, shared_data, tmp_path, settings, importer, kind
):
    data = real_bytes(importer, shared_data)
    folder = tmp_path / "input"
    folder.mkdir()
    path, name = bad_file(importer, kind, data, folder, settings)
    before = record_tables()

    message = refused(importer.command, path)

    line = message.splitlines()[0]
    assert name in line, f"the error does not name the file: {line}"
    assert re.search(REASONS[kind], line, re.IGNORECASE), f"unclear reason: {line}"
    assert record_tables() == before


@pytest.mark.parametrize("importer", [i for i in IMPORTERS if i.counted_once], ids=str)
def test_a_row_the_source_itself_repeats_is_counted_once(
    populated, shared_data, tmp_path, importer
):
    """These sources publish identical rows (see IMPORTERS): a copy adds no record.

    The meetings tables' copy is noted once, as a "listed again" disagreement for
    data_report. (DGACM's adopted resolutions have no other kind of repeated row,
    so they are not among the refused cases above.)
    """
    data = real_bytes(importer, shared_data)
    runs = {}
    for label, content in (("once", data), ("twice", _repeated(data, importer.counted_once))):
        folder = tmp_path / label
        folder.mkdir()
        (folder / importer.name).write_bytes(content)
        target = folder if importer.folder else folder / importer.name
        with transaction.atomic():
            out = StringIO()
            call_command(importer.command, str(target), stdout=out, no_progress=True, verbosity=2)
            counts = {table: n for table, (n, _) in record_tables().items()}
            notes = Disagreement.objects.filter(field__startswith="listed again").count()
            counts["resolutions_disagreement"] -= notes
            runs[label] = (counts, notes, out.getvalue())
            transaction.set_rollback(True)
    (once, noted_once, _), (twice, noted_twice, output) = runs["once"], runs["twice"]
    assert once["resolutions_draft"] > 1
    assert twice == once
    assert noted_twice - noted_once in (0, 1)
    assert re.search(r"appears twice|listed \d+ times|again", output)


def test_the_default_limit_is_well_above_the_largest_real_input(shared_data):
    from django.conf import settings

    def size(path: Path) -> int:
        # A gzip file is limited once unpacked too.
        return (
            len(gzip.decompress(path.read_bytes())) if path.suffix == ".gz" else path.stat().st_size
        )

    largest = max(size(p) for p in shared_data.rglob("*") if p.is_file())
    folders = [shared_data / TABLES, shared_data / "unxml_sc_resolutions/data_extract"]
    largest = max(largest, *(sum(p.stat().st_size for p in f.iterdir()) for f in folders))
    assert 8 * largest <= settings.UN_MAX_INPUT_BYTES


# As a process: a non-zero exit, one line on standard error, no traceback. Every
# importer and every kind is run once (a process costs two seconds).
PROCESS_CASES = [
    pytest.param(importer, KINDS[n % len(KINDS)], id=f"{importer}-{KINDS[n % len(KINDS)]}")
    for n, importer in enumerate(IMPORTERS + IMPORTERS[:1])
]


# Each case starts a process (Python and Django, about 2 s): make test runs them, the
# edit loop (make test-fast) leaves them to the in-process cases above.
@pytest.mark.slow
@pytest.mark.parametrize(("importer", "kind"), PROCESS_CASES)
def test_run_as_a_process_a_bad_file_exits_non_zero_without_a_traceback(
    shared_data, tmp_path, settings, importer, kind
):
    data = real_bytes(importer, shared_data)
    folder = tmp_path / "input"
    folder.mkdir()
    path, name = bad_file(importer, kind, data, folder, settings)
    env = {
        **os.environ,
        # An empty database of its own: the file must be refused before it is needed.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "UN_MAX_INPUT_BYTES": str(settings.UN_MAX_INPUT_BYTES),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", importer.command, str(path), "--no-progress"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    first = done.stderr.splitlines()[0]
    assert first.startswith("CommandError: ") and name in first, done.stderr
    assert re.search(REASONS[kind], first, re.IGNORECASE), first
