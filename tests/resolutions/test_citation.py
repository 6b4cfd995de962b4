"""Citation: a canonical link on every public page, sitemap.xml, and "cite this page"."""

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from resolutions.citation import _shipped_release
from resolutions.models import Draft, SourceImport
from resolutions.release import default_dir
from resolutions.sitemaps import VoteSitemap
from tests.samples import sample_size
from votes.models import MemberState

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


class Canonical(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.links.append(attrs["href"])


def _xml(client, url: str):
    parts = urlsplit(url)
    response = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own page)


def sitemap_urls(client) -> list[str]:
    """The sitemaps the index lists (each section's, and each further page of one)."""
    index = _xml(client, reverse("resolutions:sitemap"))
    return [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]


def sitemap_paths(client) -> list[str]:
    """Every address in every sitemap the index lists."""
    locations = []
    for url in sitemap_urls(client):
        root = _xml(client, url)
        locations += [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert all(urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc for u in locations)
    return [urlsplit(u).path for u in locations]


def test_the_sitemap_lists_every_published_vote_and_no_unpublished_one(client, sample):
    paths = sitemap_paths(client)
    assert len(paths) == len(set(paths))
    published = Draft.objects.filter(is_published=True)
    unpublished = Draft.objects.filter(is_published=False)
    assert unpublished.exists()  # the sample has a draft kept off the public site
    votes = {p for p in paths if p.startswith("/votes/") and p != "/votes/"}
    assert votes == {f"/votes/{pk}/" for pk in published.values_list("pk", flat=True)}
    assert not {f"/votes/{pk}/" for pk in unpublished.values_list("pk", flat=True)} & votes


def test_the_sitemap_lists_every_country_page_and_the_p5_charts(client, sample):
    paths = set(sitemap_paths(client))
    sat = MemberState.objects.filter(terms__start__lte=timezone.localdate()).distinct()
    assert sat.count() > 15
    for state in sat:
        assert f"/countries/{state.slug}/" in paths, state.name
    for page in ("/", "/votes/", "/vetoes/", "/countries/", "/p5/", "/data/"):
        assert page in paths


def test_the_votes_sitemap_is_split_into_pages_that_together_list_every_vote(
    client, sample, monkeypatch
):
    """A sitemap of every vote grew with the record (4 s at 10x): the index lists pages
    of VoteSitemap.limit votes instead, ?p=2 and on."""
    monkeypatch.setattr(VoteSitemap, "limit", 10)
    published = Draft.objects.filter(is_published=True)
    pages = -(-published.count() // 10)
    assert pages > 2
    votes_maps = [u for u in sitemap_urls(client) if "/sitemap-votes.xml" in u]
    assert [urlsplit(u).query for u in votes_maps] == ["", *(f"p={n}" for n in range(2, pages + 1))]
    paths = sitemap_paths(client)
    votes = [p for p in paths if p.startswith("/votes/") and p != "/votes/"]
    assert len(votes) == len(set(votes)) == published.count()
    assert client.get(f"/sitemap-votes.xml?p={pages + 1}").status_code == 404


def test_site_url_sets_the_sitemaps_addresses(client, sample, settings):
    settings.SITE_URL = "https://votes.example.org"
    maps = sitemap_urls(client)
    assert maps and all(u.startswith("https://votes.example.org/sitemap-") for u in maps)
    root = _xml(client, maps[0])
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert locations and all(u.startswith("https://votes.example.org/") for u in locations)


@sample_size("large")
def test_every_public_page_names_its_canonical_address(client, sample):
    pages = [
        "/",
        "/votes/",
        "/votes/?country=ghana&position=N",
        sample["seed"].get_absolute_url(),
        "/vetoes/",
        "/countries/",
        "/countries/ghana/",
        "/p5/",
        "/data/",
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        parser = Canonical()
        parser.feed(response.content.decode())
        assert len(parser.links) == 1, page
        parts = urlsplit(parser.links[0])
        assert parts.scheme == "http" and parts.netloc == "testserver", page
        assert parts.path == urlsplit(page).path and not parts.query, page


def test_a_missing_page_names_no_canonical_address(client, sample):
    response = client.get("/S/2099/1")
    assert response.status_code == 404
    parser = Canonical()
    parser.feed(response.content.decode())
    assert parser.links == []


def cite_block(client, draft) -> str:
    html = client.get(draft.get_absolute_url()).content.decode()
    start = html.index('id="cite-heading"')
    return html[start : html.index("</section>", start)]


def test_cite_this_page_names_the_source_versions_and_no_release_when_it_is_none(client, sample):
    SourceImport.objects.create(
        source="undl", version="2026-02-06", location="voting.csv", sha256="0" * 64
    )
    block = cite_block(client, sample["seed"])
    assert "Dag Hammarskjöld Library" in block and "version 2026-02-06" in block
    assert "not a published data release" in block
    assert f"http://testserver{sample['seed'].get_absolute_url()}" in block


def test_cite_this_page_gives_the_data_release_when_the_record_is_one(client, sample):
    # The record holds every source file the project's release was built from,
    # read from release/datapackage.json itself.
    package = json.loads((default_dir() / "datapackage.json").read_text(encoding="utf-8"))
    for entry in package["sources"]:
        for version, sha in zip(entry["sc_votes:versions"], entry["sc_votes:sha256"], strict=True):
            SourceImport.objects.create(
                source=entry["sc_votes:source"], version=version, location="release", sha256=sha
            )
    _shipped_release.cache_clear()
    block = cite_block(client, sample["seed"])
    assert f"data release {package['version']}" in block
    assert "not a published data release" not in block
