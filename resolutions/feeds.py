"""Atom feeds: new votes, new vetoes, each member state's votes, each permanent seat's."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from resolutions.licence import LICENCE
from resolutions.models import Draft
from votes.choices import VOTED_WORDS
from votes.dates import day_text
from votes.models import MemberState, MemberVote, Veto
from votes.seats import SEAT_LABELS, SEAT_NAMES, SEAT_ORDER

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


class SeatFeed(CountryFeed):
    """One permanent seat's votes, its predecessors' included (the USSR's in Russia's seat).

    The address admits only the five seats' codes; the seat is its holder of today's.
    """

    def get_object(self, request, code: str) -> MemberState:
        if code not in SEAT_ORDER:
            raise Http404("No such permanent seat")
        return get_object_or_404(MemberState, code=code)

    def title(self, holder: MemberState) -> str:
        return f"How {SEAT_NAMES[holder.code]} votes on the Security Council, as a permanent member"

    def subtitle(self, holder: MemberState) -> str:
        label = SEAT_LABELS[holder.code]
        return f"The newest Security Council votes from the permanent seat of {label}."

    def link(self, holder: MemberState) -> str:
        return reverse("resolutions:country", args=[holder.slug])

    def items(self, holder: MemberState):
        seat_votes = MemberVote.objects.filter(draft=OuterRef("pk"), seat__code=holder.code)
        drafts = list(_drafts().filter(Exists(seat_votes))[:ITEMS])
        # How the seat's holder of the day voted, under its name that day (USSR, ROC).
        self._positions = {
            draft_id: (position, name)
            for draft_id, position, name in MemberVote.objects.filter(
                seat__code=holder.code, draft__in=drafts
            ).values_list("draft_id", "position", "name_at_vote")
        }
        return drafts
