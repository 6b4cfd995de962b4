"""Public pages about drafts and resolutions. Each view's queries are here."""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render

from resolutions.models import Draft
from votes.models import Veto


def _public_drafts():
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    return Draft.objects.published().select_related("meeting").prefetch_related(vetoes)


def home(request):
    latest = _public_drafts().newest_first().first()
    return render(request, "resolutions/home.html", {"latest": latest})


def detail(request, pk: int):
    draft = get_object_or_404(_public_drafts(), pk=pk)
    # Permanent members first, in seat order, then the elected members by name.
    member_votes = draft.member_votes.order_by(
        F("seat__position").asc(nulls_last=True), "name_at_vote"
    )
    return render(
        request,
        "resolutions/detail.html",
        {"draft": draft, "member_votes": member_votes},
    )
