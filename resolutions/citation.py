"""Addresses to cite and share: absolute URLs, and the data release a page comes from.

``absolute_url`` is the one place an address is made absolute (canonical links,
Open Graph tags, the sitemap): from ``SITE_URL`` when it is set, so the links a
page gives do not depend on the host a proxy forwarded; else from the request.
"""

from __future__ import annotations

import json
from functools import lru_cache

from django.conf import settings

from resolutions.models import SourceImport
from resolutions.release import default_dir


def absolute_url(request, path: str) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


@lru_cache(maxsize=1)
def _shipped_release() -> tuple[str, frozenset[str]]:
    """The project's release (release/datapackage.json): its version and source files' digests."""
    try:
        package = json.loads((default_dir() / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "", frozenset()
    digests = {sha for entry in package.get("sources", []) for sha in entry["sc_votes:sha256"]}
    return str(package.get("version", "")), frozenset(digests)


def release_version() -> str:
    """The data release the record is, or "" when it holds other versions of the sources.

    The record is that release when every source file it was built from was
    imported here (a load of the release records them as imports). One query.
    """
    version, digests = _shipped_release()
    if not version:
        return ""
    imported = set(SourceImport.objects.values_list("sha256", flat=True))
    return version if digests <= imported else ""
