"""scripts/public_snapshot.py: two snapshots of the same code on the same data are equal.

With the rate limits on (issue 12), the snapshot's one client was refused a 429
on lists, downloads and API pages once past the window's count, and which ones
depended on the clock: two takes of the same commit differed on 162 of 3,099
responses (snap9).
"""

from __future__ import annotations

import importlib.util
import json

import pytest

from tests.conftest import REPO

spec = importlib.util.spec_from_file_location(
    "public_snapshot", REPO / "scripts" / "public_snapshot.py"
)
public_snapshot = importlib.util.module_from_spec(spec)
spec.loader.exec_module(public_snapshot)

# A list page, a download and an API page: one of each rate-limited group.
LIMITED = ["/votes/", "/votes.csv", "/api/v1/votes/"]


@pytest.mark.django_db
def test_a_snapshot_is_never_rate_limited(settings, monkeypatch, tmp_path):
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_LIST = settings.RATELIMIT_DOWNLOAD = "1/m"
    monkeypatch.setattr(public_snapshot, "urls", lambda: LIMITED * 3)
    public_snapshot.take(tmp_path)
    index = json.loads((tmp_path / "index.json").read_text())
    for url, name in index.items():
        status = (tmp_path / name).read_text(encoding="utf-8").split(" ", 1)[0]
        assert status == "200", url
