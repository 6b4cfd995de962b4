"""Download the official sources into a folder laid out like ../shared/data.

Addresses come from ``settings.UN_SOURCES``; every request has a timeout, and
an unreachable host is reported as such ("this machine seems to be offline")
rather than as a traceback. After downloading, ``sync.inputs_from_dir`` finds
the files exactly as it does for local copies.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx
from django.conf import settings

from resolutions.sources import undl
from resolutions.sources.records import SourceError

FIRST_MEETINGS_YEAR = 1946
# The yearly tables at the historical address stop with 2022; newer years moved
# to research.un.org in another layout that has no parser yet.
LAST_MEETINGS_YEAR = 2022


class FetchError(Exception):
    """A download that could not be done, explained in plain words."""


class Fetcher:
    def __init__(self, timeout: float | None = None, log=None):
        self.timeout = timeout if timeout is not None else settings.UN_DOWNLOAD_TIMEOUT
        self.log = log or (lambda message: None)
        self.client = httpx.Client(
            timeout=self.timeout,
            follow_redirects=True,
            headers={"User-Agent": "sc-votes (Security Council vote tracker)"},
        )
        self.warnings: list[str] = []

    def get(self, url: str) -> bytes:
        host = urlparse(url).netloc or url
        try:
            response = self.client.get(url)
            response.raise_for_status()
        except httpx.ConnectError as exc:
            raise FetchError(
                f"Could not reach {host} ({exc}). This machine seems to be offline; "
                "load local copies instead with --from-dir PATH."
            ) from exc
        except httpx.TimeoutException as exc:
            raise FetchError(f"{host} did not answer within {self.timeout:g} s ({url}).") from exc
        except httpx.HTTPStatusError as exc:
            raise FetchError(f"{url} answered HTTP {exc.response.status_code}.") from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"Could not download {url}: {exc}") from exc
        return response.content

    def save(self, url: str, path: Path) -> Path:
        self.log(f"Downloading {url}")
        data = self.get(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    # One method per source ----------------------------------------------------
    def voting_data(self, root: Path) -> Path:
        listing_url = settings.UN_SOURCES["undl_file_list"]
        listing = self.get(listing_url)
        try:
            entry = undl.newest_voting_file(listing)
        except SourceError as exc:
            raise FetchError(
                f"The Digital Library's file list at {listing_url}: {exc.reason}"
            ) from exc
        url = urljoin(listing_url, entry["url"])
        name = entry["name"] if entry["name"].endswith(".csv") else entry["name"] + ".csv"
        return self.save(url, root / "undl_sc_voting" / Path(name).name)

    def membership(self, root: Path) -> Path | None:
        url = settings.UN_SOURCES["dppa_membership"]
        if not url:
            self.warnings.append(
                "DPPA membership: no official address is configured "
                "(UN_DPPA_MEMBERSHIP_URL); the Council's terms were not downloaded."
            )
            return None
        return self.save(url, root / "dppa_sc_membership" / "DPPA-SCMembership.csv")

    def dppa_vetoes(self, root: Path) -> Path | None:
        """DPPA's veto dataset, optional: an empty UN_DPPA_VETOES_URL leaves it out."""
        url = settings.UN_SOURCES.get("dppa_vetoes")
        if not url:
            return None
        return self.save(url, root / "dppa_sc_vetoes" / "DPPA-SCVETOES.csv")

    def veto_list(self, root: Path) -> Path:
        return self.save(
            settings.UN_SOURCES["dhl_veto"],
            root / "dhl_meetings_tables" / "scact_veto_table_en.html",
        )

    def meetings(self, root: Path, years=None) -> list[Path]:
        pattern = settings.UN_SOURCES["dhl_meetings"]
        saved = []
        for year in years or range(FIRST_MEETINGS_YEAR, LAST_MEETINGS_YEAR + 1):
            target = root / "dhl_meetings_tables" / f"scact{year}_table_en.html"
            url = pattern.format(year=year)
            try:
                saved.append(self.save(url, target))
            except FetchError as first:
                # Some years are published as .html rather than .htm.
                if not url.endswith(".htm"):
                    raise
                try:
                    saved.append(self.save(url + "l", target))
                except FetchError:
                    self.warnings.append(f"Meetings table {year}: {first}")
        return saved

    def not_adopted(self, root: Path) -> list[Path]:
        folder = root / "unxml_sc_resolutions" / "not_adopted_english"
        return self._github_folder("unxml_not_adopted", ".xml", folder)

    def adopted(self, root: Path) -> list[Path]:
        folder = root / "unxml_sc_resolutions" / "data_extract"
        return self._github_folder("unxml_adopted", ".json", folder)

    def _github_folder(self, key: str, suffix: str, folder: Path) -> list[Path]:
        """Every ``suffix`` file of a folder of DGACM's repository, listed by
        GitHub's contents API (``<key>_index``), fetched from ``<key>``."""
        index_url = settings.UN_SOURCES[f"{key}_index"]
        try:
            listing = json.loads(self.get(index_url))
            files = [item for item in listing if str(item.get("name", "")).endswith(suffix)]
        except (ValueError, AttributeError, TypeError) as exc:
            raise FetchError(f"The list of files at {index_url} is not readable: {exc}") from exc
        if not files:
            raise FetchError(f"The list of files at {index_url} names no {suffix} file.")
        base = settings.UN_SOURCES[key]
        return [
            self.save(
                item.get("download_url") or urljoin(base, item["name"]), folder / item["name"]
            )
            for item in files
        ]

    def all(self, root: Path) -> list[str]:
        """Download every source into root; returns warnings for what was skipped."""
        self.membership(root)
        self.voting_data(root)
        self.adopted(root)
        self.not_adopted(root)
        self.veto_list(root)
        self.meetings(root)
        self.dppa_vetoes(root)
        (root / "DOWNLOADED").write_text(f"Downloaded on {date.today().isoformat()}\n")
        return self.warnings
