"""The home page, and the search box: a symbol goes straight to its vote."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Sum
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from resolutions.filters import public_drafts, symbol_query
from resolutions.models import Draft
from votes.models import DraftYear, VetoYear

LATEST = 8


def home(request):
    """Headline figures, the latest vote and veto, the latest votes.

    Queries: figures (1-2), latest votes (3) and their vetoes (4), latest veto (5)
    and its vetoes (6).
    """
    # From the per-year counts (refresh_outcomes keeps them): O(years), where counting
    # the published drafts joined to their vetoes was O(drafts) on every home page.
    years = DraftYear.objects.aggregate(
        votes=Sum("drafts"), recorded=Sum("recorded"), vetoed=Sum("drafts_vetoed")
    )
    vetoes = VetoYear.objects.aggregate(vetoes=Sum("vetoes"))
    figures = {name: n or 0 for name, n in {**years, **vetoes}.items()}
    latest = list(public_drafts()[:LATEST])
    latest_veto = public_drafts().vetoed().first()
    return render(
        request,
        "resolutions/home.html",
        {
            "figures": figures,
            "latest": latest[0] if latest else None,
            "latest_votes": latest,
            "latest_veto": latest_veto,
        },
    )


def search(request):
    """A symbol goes straight to its record; anything else to the filtered list.

    Queries: at most two ids of matching drafts (1).
    """
    text = request.GET.get("q", "").strip()[:200]
    if not text:
        return HttpResponseRedirect(reverse("resolutions:list"))
    return _to_symbol(text)


def symbol_redirect(request, rest: str):
    """Friendly permalinks: ``/S/2022/431``, ``/S/RES/2627(2022)``, ``/S/PV.9048``.

    Queries: at most two ids of matching drafts (1).
    """
    symbol = "S/" + rest
    if symbol_query(symbol) is None:
        raise Http404(f"{symbol} is not a Security Council document symbol")
    return _to_symbol(symbol, not_found=Http404)


def _to_symbol(text: str, not_found=None):
    lookup = symbol_query(text)
    list_url = reverse("resolutions:list") + "?" + urlencode({"q": text})
    if lookup is None:
        return HttpResponseRedirect(list_url)
    ids = list(Draft.objects.published().filter(lookup).values_list("pk", flat=True)[:2])
    if len(ids) == 1:
        return HttpResponseRedirect(reverse("resolutions:detail", args=[ids[0]]))
    if not ids and not_found is not None:
        raise not_found(f"No published vote has the symbol {text}")
    return HttpResponseRedirect(list_url)
