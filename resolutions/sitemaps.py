"""sitemap.xml (Django's sitemaps framework): every published vote, every country, the pages.

Unpublished drafts are left out: they have no public page. With ``SITE_URL``
set, the addresses use it, as the canonical links do (``resolutions.citation``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from resolutions.models import Draft
from votes.models import MemberState


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

    def items(self):
        # Every vote has its permalink, votes on amendments too.
        return Draft.objects.published_votes().order_by("pk").only("pk", "updated_at")

    def lastmod(self, draft: Draft):
        return draft.updated_at


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
