"""Tags for the links a page gives of itself: canonical, Open Graph, embeds, citation."""

from __future__ import annotations

from django import template
from django.urls import reverse

from resolutions.caching import cached
from resolutions.citation import absolute_url as make_absolute
from resolutions.citation import release_version
from resolutions.views.share import CHART_TITLES, vote_lines

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return make_absolute(context["request"], path)


@register.simple_tag
def vote_share(draft) -> dict:
    """What a vote's preview card says (no query: all from the draft itself)."""
    lines = vote_lines(draft)
    return {
        "title": f"{draft.symbol}: {draft.outcome_sentence}",
        "description": ". ".join(lines) + ".",
        "image": reverse("resolutions:vote_card", args=[draft.pk]),
        "alt": f"{draft.symbol}, {'; '.join(lines)}, with each permanent member's vote",
    }


@register.simple_tag
def p5_share() -> dict:
    """The P5 page's preview: its first chart's card (no query here; the card has its own)."""
    return {
        "title": "How the five permanent members divide",
        "description": "Vetoes per year, agreement between China, France, Russia, the UK and "
        "the US, and how often the five split on Security Council votes since 1946.",
        "image": reverse("resolutions:chart_card", args=["vetoes"]),
        "alt": f"{CHART_TITLES['vetoes']}, with the totals per seat",
    }


@register.simple_tag
def data_release() -> str:
    """The data release the record is, or "" (one query, cached under the record's version)."""
    return cached("data-release", "", release_version)
