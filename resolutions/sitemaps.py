"""sitemap.xml (Django's sitemaps framework): every published vote, every country, the pages.

``/sitemap.xml`` is an index of the sections' sitemaps (``/sitemap-votes.xml``,
``?p=2`` and on, ``/sitemap-countries.xml``, ``/sitemap-pages.xml``): one sitemap
of every vote took 0.5 s on the full record and 4 s at ten times its size, where
a page of ``VoteSitemap.limit`` votes costs the same at any size.

Unpublished drafts are left out: they have no public page. With ``SITE_URL``
set, the addresses use it, as the canonical links do (``resolutions.citation``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Max, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from resolutions.models import Draft
from resolutions.tables import KnownCountPaginator
from votes.models import MemberState, VoteYear


class PublicSitemap(Sitemap):
    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)


class VoteSitemap(PublicSitemap):
    changefreq = "monthly"
    # Votes per sitemap page: rendering one costs 0.15-0.4 ms (a loaded machine), so
    # a page stays inside a page's 300 ms at any size of the record.
    limit = 500

    def items(self):
        # Every vote has its permalink, votes on amendments too.
        return Draft.objects.published_votes().order_by("pk").only("pk", "updated_at")

    def lastmod(self, draft: Draft):
        return draft.updated_at

    def get_latest_lastmod(self):
        # One aggregate: the framework's default calls lastmod() on every item.
        return Draft.objects.published_votes().aggregate(Max("updated_at"))["updated_at__max"]

    @property
    def paginator(self):
        """The framework's paginator, counting the votes from their per-year counts
        (``VoteYear``, kept by refresh_outcomes): ``COUNT(*)`` of the published drafts,
        on the index and on every page of the sitemap, read every one of them."""
        return KnownCountPaginator(self._items(), self.limit, count=published_votes())


def published_votes() -> int:
    """How many published votes there are, of every kind: the sum of the per-year
    counts (``votes.yearly.vote_rows``), O(years)."""
    return VoteYear.objects.aggregate(n=Sum("votes"))["n"] or 0


class CountrySitemap(PublicSitemap):
    changefreq = "monthly"

    def items(self):
        # The states that have sat on the Council (the country list's), each once.
        sat = MemberState.objects.filter(terms__start__lte=timezone.localdate())
        return sat.distinct().order_by("slug").only("slug")

    def location(self, state: MemberState) -> str:
        return reverse("resolutions:country", args=[state.slug])


class PageSitemap(PublicSitemap):
    """The lists and the P5 charts (one page, four charts)."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return ["home", "list", "vetoes", "countries", "p5", "data"]

    def location(self, name: str) -> str:
        return reverse(f"resolutions:{name}")


SITEMAPS = {"pages": PageSitemap, "votes": VoteSitemap, "countries": CountrySitemap}


@x_robots_tag
def index(request):
    """The sitemap index: each section's sitemap, and each further page of one.

    Django's own index view names them under the request's host; this one asks each
    sitemap for its protocol and domain, so that ``SITE_URL`` holds here too.
    Queries: each section's count (for its pages) and its newest change.
    """
    site = get_current_site(request)
    items = []
    for section, cls in SITEMAPS.items():
        sitemap = cls()
        protocol = sitemap.get_protocol(request.scheme)
        domain = sitemap.get_domain(site)
        path = reverse("resolutions:sitemap_section", kwargs={"section": section})
        url = f"{protocol}://{domain}{path}"
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
