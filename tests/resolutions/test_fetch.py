"""The download path, against a local HTTP server serving ../shared/data.

The server plays the UN's sites: the Digital Library's file-list JSON, the
voting CSV it points to, the Veto List, the yearly meetings tables, a
GitHub-style listing of DGACM's XML and JSON Lines files, and DPPA's CSV. No test leaves this
machine.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from resolutions.models import Draft, SourceImport
from resolutions.sources import dppa_vetoes
from votes.choices import Outcome, Source

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

MEETING_YEARS = (2021, 2022)  # two yearly tables are enough to exercise the path
DPPA_VETOES = (
    ",".join(dppa_vetoes.COLUMNS)
    + "\n1,2022-05-26,S/2022/431,9048,Non-proliferation,DPRK,2,https://undocs.org/S/2022/431,"
    + "1,1,,,,2023-01-10\n"
).encode()


class UNSites(BaseHTTPRequestHandler):
    data = None  # the shared data folder
    delay = 0.0

    def log_message(self, *args):  # keep test output clean
        pass

    def do_GET(self):
        time.sleep(self.delay)
        host = f"http://{self.headers['Host']}"
        routes = {
            "/api/v1/file?recid=4055387": lambda: json.dumps(
                [
                    {"name": "2025_7_21_sc_voting", "format": ".csv", "url": "/files/old.csv"},
                    {"name": "2026_02_06_sc_voting_md", "format": ".md", "url": "/files/md"},
                    {
                        "name": "2026_02_06_sc_voting",
                        "format": ".csv",
                        "url": "/files/2026_02_06_sc_voting.csv",
                    },
                ]
            ).encode(),
            "/files/2026_02_06_sc_voting.csv": lambda: (
                self.data / "undl_sc_voting" / "2026_02_06_sc_voting_EXCERPT.csv"
            ).read_bytes(),
            "/veto.htm": lambda: (
                self.data / "dhl_meetings_tables" / "scact_veto_table_en.html"
            ).read_bytes(),
            "/dppa.csv": lambda: (
                self.data / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"
            ).read_bytes(),
            # No copy of DPPA's veto dataset is stored: a file the test writes, in the
            # layout public code reads (resolutions.sources.dppa_vetoes).
            "/dppa-vetoes.csv": lambda: DPPA_VETOES,
            "/xml-index": lambda: json.dumps(
                [
                    {"name": p.name, "download_url": f"{host}/xml/{p.name}"}
                    for p in sorted(self._xml().glob("*.xml"))
                ]
            ).encode(),
            # Only names: the command builds each address from its base URL.
            "/extract-index": lambda: json.dumps(
                [{"name": p.name} for p in sorted(self._extract().glob("*.json"))]
            ).encode(),
        }
        for year in MEETING_YEARS:
            # One year only answers at .html, as some official pages do.
            suffix = ".html" if year == 2021 else ".htm"
            path = self.data / "dhl_meetings_tables" / f"scact{year}_table_en.html"
            routes[f"/meetings/scact{year}_table_en{suffix}"] = path.read_bytes
        if self.path.startswith("/xml/"):
            routes[self.path] = (self._xml() / self.path.removeprefix("/xml/")).read_bytes
        if self.path.startswith("/extract/"):
            routes[self.path] = (self._extract() / self.path.removeprefix("/extract/")).read_bytes
        if self.path not in routes:
            self.send_error(404)
            return
        body = routes[self.path]()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _xml(self):
        return self.data / "unxml_sc_resolutions" / "not_adopted_english"

    def _extract(self):
        return self.data / "unxml_sc_resolutions" / "data_extract"


@pytest.fixture
def un_sites(shared_data, settings, monkeypatch):
    handler = type("Handler", (UNSites,), {"data": shared_data})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.UN_SOURCES = {
        "undl_file_list": f"{base}/api/v1/file?recid=4055387",
        "undl_record": f"{base}/record/4055387",
        "dhl_veto": f"{base}/veto.htm",
        "dhl_meetings": base + "/meetings/scact{year}_table_en.htm",
        "unxml_not_adopted": f"{base}/xml/",
        "unxml_not_adopted_index": f"{base}/xml-index",
        "unxml_adopted": f"{base}/extract/",
        "unxml_adopted_index": f"{base}/extract-index",
        "dppa_membership": f"{base}/dppa.csv",
        "dppa_vetoes": f"{base}/dppa-vetoes.csv",
    }
    monkeypatch.setattr("resolutions.pipeline.fetch.FIRST_MEETINGS_YEAR", MEETING_YEARS[0])
    monkeypatch.setattr("resolutions.pipeline.fetch.LAST_MEETINGS_YEAR", MEETING_YEARS[-1])
    yield handler
    server.shutdown()
    server.server_close()


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, no_progress=True, **options)
    return out.getvalue()


@pytest.mark.slow  # downloads and loads every source: the whole record
def test_sync_downloads_every_source_and_loads_it(un_sites):
    output = run("sync_un_data")
    assert "Done: created" in output
    loaded = set(SourceImport.objects.values_list("source", flat=True))
    assert loaded == {
        Source.DPPA,
        Source.UNDL,
        Source.UNXML_ADOPTED,
        Source.UNXML,
        Source.DHL_VETO,
        Source.DHL_MEETINGS,
        Source.DPPA_VETOES,
        Source.DEDUCED,
    }
    # The newest file in the list was taken (its version is the date in its name).
    assert SourceImport.objects.get(source=Source.UNDL).version == "2026-02-06"
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    assert draft.outcome == Outcome.VETOED
    assert draft.press_release == "SC/14911"  # from the 2022 meetings table
    assert draft.sources["dppa_vetoes"]["values"]["vetoed_by"] == ["CHN", "RUS"]


def test_import_undl_without_a_path_downloads_the_newest_file(un_sites, shared_data):
    run("import_dppa", str(shared_data / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"))
    output = run("import_undl")
    assert "2026-02-06: created 8" in output


def test_an_unreachable_site_says_the_machine_seems_offline_and_writes_nothing():
    # tests/conftest.py points every official address at a closed local port.
    with pytest.raises(CommandError) as error:
        run("sync_un_data", timeout=2)
    assert "seems to be offline" in str(error.value)
    assert "--from-dir" in str(error.value)
    assert "Nothing was written" in str(error.value)
    assert not Draft.objects.exists()


def test_a_slow_site_times_out_with_a_clear_message(un_sites):
    un_sites.delay = 1.0
    with pytest.raises(CommandError, match=r"did not answer within 0.2 s"):
        run("import_dhl_veto", timeout=0.2)
    assert not Draft.objects.exists()


@pytest.mark.slow  # every year's file, downloaded and imported
def test_import_unxml_adopted_without_a_path_downloads_every_year(un_sites, shared_data):
    run("import_dppa", str(shared_data / "dppa_sc_membership" / "DPPA-SCMembership_2026-07-02.csv"))
    output = run("import_unxml_adopted")
    # Recounted from the files: one object per line, duplicates of a symbol once.
    symbols = {
        json.loads(line)["symbol"]
        for path in (shared_data / "unxml_sc_resolutions" / "data_extract").glob("*.json")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    # S/RES/2423 (2018) is dated 29 June 2016 in the file: with no other source
    # loaded to date it, it is left out, and the import says so.
    assert "S/RES/2423 (2018) left out: its date (2016-06-29)" in output
    assert f"created {len(symbols) - 1}," in output
    assert Draft.objects.filter(resolution_number__isnull=False).count() == len(symbols) - 1
    assert not Draft.objects.filter(resolution_number=2423, resolution_year=2018).exists()
