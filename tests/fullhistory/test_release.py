"""The committed data release is what the official sources build, and loads as the same record.

The package's database holds ``sync_un_data --from-dir ../shared/data``
(conftest.py). Each test here runs in a transaction that is rolled back, so
the tests that empty the record and load a release leave it as it was.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from resolutions.models import Draft, SourceImport
from resolutions.release import default_dir
from resolutions.release.compare import differences
from resolutions.release.load import read
from tests.resolutions.test_admin_setup import change_post, change_url, make_editor
from votes.choices import Source
from votes.models import MemberVote, Veto

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

STALE = (
    "release/ is not what the official sources in ../shared/data build today:\n  - {}\n"
    "Refresh it with `make release` and commit the result."
)


def build(folder) -> None:
    call_command("build_release", out=str(folder), stdout=StringIO())


def load(folder) -> None:
    call_command("load_release", str(folder), replace=True, stdout=StringIO())


def sync(shared_data) -> str:
    out = StringIO()
    call_command("sync_un_data", from_dir=str(shared_data), no_progress=True, stdout=out)
    return out.getvalue()


def numbers() -> dict:
    """What the public pages count, through the ORM."""
    published = Draft.objects.published()
    return {
        "by outcome": dict(published.values_list("outcome").annotate(n=Count("pk"))),
        "vetoes by seat": dict(
            Veto.objects.filter(draft__is_published=True)
            .values_list("seat__code")
            .annotate(n=Count("pk"))
        ),
        "member votes": MemberVote.objects.filter(draft__is_published=True).count(),
        "latest": list(published.newest_first().values_list("date", "draft_symbol")[:3]),
    }


# Ids of the package's database may start above 1 (PostgreSQL does not roll back
# sequences after earlier tests), so pages are compared with their vote ids masked.
VOTE_ID = re.compile(r"/votes/\d+/")


def page(client, path: str) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return VOTE_ID.sub("/votes/ID/", response.content.decode())


PAGES = ["/", "/S/2022/431", "/S/RES/1(1946)", "/vetoes/?vetoed_by=USA", "/countries/ghana/"]


def test_the_committed_release_is_what_the_sources_build(history, tmp_path):
    build(tmp_path)
    found = differences(read(default_dir()), read(tmp_path))
    assert not found, STALE.format("\n  - ".join(found))


def test_a_loaded_release_shows_the_same_numbers_and_pages(history, client):
    synced = numbers()
    pages = {path: page(client, path) for path in PAGES}
    assert synced["latest"][0][0].year == 2026

    load(default_dir())

    assert numbers() == synced
    for path, html in pages.items():
        assert page(client, path) == html, path


def test_a_sync_on_a_loaded_release_gives_the_record_sync_alone_gives(
    history, shared_data, tmp_path
):
    build(tmp_path / "synced")
    load(tmp_path / "synced")

    output = sync(shared_data)

    assert "nothing changed" in output
    build(tmp_path / "loaded-then-synced")
    alone, on_top = read(tmp_path / "synced"), read(tmp_path / "loaded-then-synced")
    # The imports are a log: the sync on top adds its own runs of the same files.
    names = [f.attname for f in alone.columns["sources"]]
    key = [names.index(n) for n in ("source", "version", "location", "sha256")]

    def files(release):
        return {tuple(row[i] for i in key) for row in release.rows["sources"]}

    assert on_top.count("sources") == 2 * alone.count("sources")
    assert files(on_top) == files(alone)
    on_top.rows["sources"] = on_top.rows["sources"][: alone.count("sources")]
    assert differences(alone, on_top) == []


def test_an_editors_change_survives_the_release_and_a_sync(history, client, shared_data, tmp_path):
    client.force_login(make_editor())
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    title = "Draft on the DPRK's missile launches, as an editor titled it"
    response = client.post(change_url(draft), change_post(draft, title=title))
    assert response.status_code == 302
    build(tmp_path)

    load(tmp_path)
    loaded = Draft.objects.get(draft_symbol="S/2022/431")
    assert loaded.pk == draft.pk
    assert loaded.title == title
    assert loaded.field_sources["title"] == Source.EDITOR

    sync(shared_data)
    synced = Draft.objects.get(pk=draft.pk)
    assert synced.title == title
    assert synced.field_sources["title"] == Source.EDITOR
    assert SourceImport.objects.filter(source=Source.DHL_VETO).count() == 2
