"""Atom feeds: new votes, new vetoes, and each member state's votes."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from resolutions.licence import LICENCE
from resolutions.models import Draft
from votes.choices import VOTED_WORDS
from votes.dates import day_text
from votes.models import MemberState, MemberVote, Veto

ITEMS = 50


def _drafts():
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    return Draft.objects.published().prefetch_related(vetoes).newest_first()


class VotesFeed(Feed):
    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Django dates a feed by its newest item; revalidation dates it by the
        # record (resolutions.provenance), which is what clients send back.
        del response["Last-Modified"]
        return response

    title = "Security Council votes"
    subtitle = "The newest votes of the UN Security Council, with their tallies and outcomes."
    feed_copyright = LICENCE
    author_name = "SC Votes"

    def link(self):
        return reverse("resolutions:list")

    def items(self):
        return _drafts()[:ITEMS]

    def item_title(self, draft: Draft) -> str:
        tally = f" ({draft.tally})" if draft.tally else ""
        return f"{draft.symbol}: {draft.outcome_label}{tally}"

    def item_description(self, draft: Draft) -> str:
        parts = [day_text(draft.date), f"{draft.outcome_sentence}."]
        if draft.title:
            parts.append(draft.title)
        return " ".join(parts)

    def item_link(self, draft: Draft) -> str:
        return draft.get_absolute_url()

    def item_pubdate(self, draft: Draft) -> datetime:
        return datetime.combine(draft.date, time(), tzinfo=UTC)

    def item_updateddate(self, draft: Draft) -> datetime:
        return max(draft.updated_at, self.item_pubdate(draft))


class VetoesFeed(VotesFeed):
    title = "Security Council vetoes"
    subtitle = "The newest drafts vetoed by a permanent member of the UN Security Council."

    def link(self):
        return reverse("resolutions:vetoes")

    def items(self):
        return _drafts().vetoed()[:ITEMS]


class CountryFeed(VotesFeed):
    def get_object(self, request, slug: str):
        return get_object_or_404(MemberState, slug=slug)

    def title(self, state: MemberState) -> str:
        return f"How {state.name} votes on the Security Council"

    def subtitle(self, state: MemberState) -> str:
        return f"The newest Security Council votes in which {state.name} took part."

    def link(self, state: MemberState) -> str:
        return reverse("resolutions:country", args=[state.slug])

    def items(self, state: MemberState):
        self._positions = {}
        drafts = list(_drafts().for_country(state)[:ITEMS])
        for draft_id, position, name in MemberVote.objects.filter(
            state=state, draft__in=drafts
        ).values_list("draft_id", "position", "name_at_vote"):
            self._positions[draft_id] = (position, name)
        return drafts

    def item_description(self, draft: Draft) -> str:
        position, name = self._positions.get(draft.pk, (None, ""))
        said = f"{name} {VOTED_WORDS[position]}. " if position else ""
        return said + super().item_description(draft)
