"""Tags for the links a page gives of itself: canonical, Open Graph, embeds, citation."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from resolutions.caching import cached
from resolutions.citation import absolute_url as make_absolute
from resolutions.citation import release_version
from resolutions.views import share

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    request = context.get("request")
    if request is None and not settings.SITE_URL:
        return path  # rendered without a request (an e-mail, a test): the path alone
    return make_absolute(request, path)


register.simple_tag(share.vote_share, name="vote_share")
register.simple_tag(share.p5_share, name="p5_share")


@register.simple_tag
def chart_embeds() -> list[dict]:
    """Each P5 chart's title and embed address, for the P5 page's embed codes."""
    return [
        {
            "chart": c,
            "title": share.CHART_TITLES[c],
            "embed": reverse("resolutions:chart_embed", args=[c]),
        }
        for c in share.CHARTS
    ]


@register.simple_tag
def data_release() -> str:
    """The data release the record is, or "" (one query, cached under the record's version)."""
    return cached("data-release", "", release_version)
