"""Dates before the Council first met are refused like dates in the future (issue 12).

``test_bad_files`` moves a date of every importer's real file to 2099; here the
same date goes back to 1900 (and to 1945 for the sources that give only years),
with the same promise: one line naming the file, a clear reason, nothing written.
"""

from __future__ import annotations

import re

import pytest

from tests.resolutions.test_bad_files import (
    IMPORTERS,
    _replaced,
    real_bytes,
    record_tables,
    refused,
)

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

pytest_plugins = ["tests.resolutions.test_bad_files"]

# Per importer: the text of the future case with the year moved back instead.
PAST = {
    "import_dppa": ("1150,2027,Liberia,2026-07-02", "1150,1945,Liberia,2026-07-02"),
    "import_undl": ("1982-04-30", "1900-04-30"),
    "import_unxml_adopted": (
        '"adoption_date": "27 January 2022"',
        '"adoption_date": "27 January 1900"',
    ),
    "import_unxml": (
        'date="2023-03-27" outcome="notAdopted"',
        'date="1900-03-27" outcome="notAdopted"',
    ),
    "import_dhl_veto": ("<tr><td>26 May 2022</td>", "<tr><td>26 May 1900</td>"),
    "import_dhl_meetings": ("scact2022_table_en.html", "scact1900_table_en.html"),
    "import_votes": ("2022-05-26", "1900-05-26"),
}


@pytest.mark.parametrize("importer", IMPORTERS, ids=str)
def test_a_date_before_the_council_is_refused_and_nothing_is_written(
    populated, shared_data, tmp_path, importer
):
    old, new = PAST[importer.command]
    data = real_bytes(importer, shared_data)
    folder = tmp_path / "input"
    folder.mkdir()
    if importer.folder:  # the meetings table's year is its file name's
        name = new
        (folder / name).write_bytes(data)
        path = folder
    else:
        name = importer.name
        path = folder / name
        path.write_bytes(_replaced(data, old, new))
    before = record_tables()

    line = refused(importer.command, path).splitlines()[0]

    assert name in line, f"the error does not name the file: {line}"
    assert re.search(r"before|1946|first met|not a year", line, re.IGNORECASE), line
    assert record_tables() == before
