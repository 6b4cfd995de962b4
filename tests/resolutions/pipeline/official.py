"""One year's official record from ../shared/data, loaded as sync_un_data loads it.

Shared by the pipeline tests that put a compilation on top of a real year: the
membership and the Veto List first (whole files), then that year's meetings tables
and DGACM's XML of drafts not adopted, then the deduction.
"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from resolutions.pipeline.sync import Input, deduce, load
from votes.choices import Source

MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"
VETO_LIST = "dhl_meetings_tables/scact_veto_table_en.html"


def load_membership_and_vetoes(shared_data: Path) -> None:
    for command, path in (("import_dppa", MEMBERSHIP), ("import_dhl_veto", VETO_LIST)):
        call_command(command, str(shared_data / path), no_progress=True, stdout=StringIO())


def load_official_year(shared_data: Path, folder: Path, year: int) -> None:
    """The year's meetings tables and XML (copied into ``folder``), then the deduction;
    after load_membership_and_vetoes."""
    tables = sorted((shared_data / "dhl_meetings_tables").glob(f"scact{year}*_table_en.htm*"))
    if tables:
        (folder / "tables").mkdir()
        for table in tables:
            shutil.copy(table, folder / "tables")
        call_command(
            "import_dhl_meetings", str(folder / "tables"), no_progress=True, stdout=StringIO()
        )
    xml = sorted((shared_data / "unxml_sc_resolutions" / "not_adopted_english").glob(f"S_{year}*"))
    if xml:
        (folder / "xml").mkdir()
        for file in xml:
            shutil.copy(file, folder / "xml")
        load(Input(Source.UNXML, folder / "xml"))
    deduce()
