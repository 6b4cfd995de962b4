"""Share cards (the PNG a link preview shows) and the pages meant for an iframe.

A card is drawn by ``resolutions.sharecards`` from the vote or the chart, and
its bytes are kept in the shared cache under the record's version
(``caching.cached``), so it is drawn once per version; the URLs wrap these
views in ``provenance.revalidated``, which gives the ETag (the record's version
and the address) and answers ``If-None-Match`` with a 304.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from resolutions import sharecards
from resolutions.caching import cached
from resolutions.models import Draft
from resolutions.views.p5 import CHARTS, PERIOD_OF, PeriodForm, chart_rows
from votes.analytics import RULES, share
from votes.choices import Position
from votes.dates import day_text
from votes.models import MemberVote, Veto
from votes.seats import PAIR_CHOICES, SEAT_LABELS, SEAT_ORDER
from votes.seats import SHORT_SEAT_LABELS as SHORT
from votes.templatetags.charts import as_percent

CHART_TITLES = {
    "vetoes": "Vetoes per year, by permanent member",
    "agreement": "How often each pair of permanent members voted alike",
    "pair": "China and the US: voted alike, year by year",
    "divisions": "How often the five permanent members split",
}


def _published(pk: int) -> Draft:
    """A published draft with what its outcome's words need (its vetoes' seats): 2 queries."""
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    return get_object_or_404(
        Draft.objects.published_votes()
        .select_related("meeting", "amends")
        .prefetch_related(vetoes),
        pk=pk,
    )


def p5_positions(draft: Draft) -> list[sharecards.Chip]:
    """Each permanent seat's vote on the draft, in seat order (one query)."""
    found = dict(
        MemberVote.objects.filter(draft=draft, seat__isnull=False).values_list(
            "seat__code", "position"
        )
    )
    labels = dict(Position.choices)
    return [
        sharecards.Chip(
            SHORT[code], labels.get(found.get(code, ""), "Not recorded"), found.get(code, "")
        )
        for code in SEAT_ORDER
    ]


def vote_lines(draft: Draft) -> tuple[str, ...]:
    """What a card and a preview say of a vote: date, outcome, tally."""
    lines = [day_text(draft.date), draft.outcome_sentence]
    tally = draft.tally
    if tally is not None:
        lines.append(f"{tally.yes} in favour, {tally.no} against, {tally.abstain} abstaining")
    return tuple(lines)


def vote_share(draft: Draft) -> dict:
    """What a vote's preview card says (no query: all from the draft itself)."""
    lines = vote_lines(draft)
    return {
        "title": f"{draft.symbol}: {draft.outcome_sentence}",
        "description": ". ".join(lines) + ".",
        "image": reverse("resolutions:vote_card", args=[draft.pk]),
        "alt": f"{draft.symbol}, {'; '.join(lines)}, with each permanent member's vote",
        "embed": reverse("resolutions:vote_embed", args=[draft.pk]),
    }


def p5_share() -> dict:
    """The P5 page's preview: its first chart's card (no query here; the card has its own)."""
    return {
        "title": "How the five permanent members divide",
        "description": "Vetoes per year, agreement between China, France, Russia, the UK and "
        "the US, and how often the five split on Security Council votes since 1946.",
        "image": reverse("resolutions:chart_card", args=["vetoes"]),
        "alt": f"{CHART_TITLES['vetoes']}, with the totals per seat",
    }


def vote_card_bytes(draft: Draft) -> bytes:
    card = sharecards.Card(
        kicker="UN Security Council vote",
        title=draft.symbol,
        lines=vote_lines(draft),
        chips=tuple(p5_positions(draft)),
    )
    return sharecards.render(card)


def vote_card(request, pk: int):
    """A vote's share card. Queries: the draft (1), its vetoes (2), the P5's votes (3),
    unless cached."""
    draft = _published(pk)
    body = cached("card-vote", pk, lambda: vote_card_bytes(draft))
    return HttpResponse(body, content_type="image/png")


def chart_summary(chart: str) -> tuple[str, ...]:
    """A chart in a sentence or two, over the whole record (the card and the preview)."""
    rows = chart_rows(chart, PeriodForm())
    if not rows:
        return ("No recorded vote yet.",)
    return SUMMARIES[chart](rows)


def _years(rows: list[dict]) -> str:
    return f"{rows[0]['year']}–{rows[-1]['year']}"


def _vetoes_summary(rows: list[dict]) -> tuple[str, ...]:
    totals = {code: sum(r["count"] for r in rows if r["seat"] == code) for code in SEAT_ORDER}
    return (
        f"{sum(totals.values())} vetoes, {_years(rows)}",
        ", ".join(f"{SHORT[c]} {n}" for c, n in totals.items()),
    )


def _agreement_summary(rows: list[dict]) -> tuple[str, ...]:
    known = [r for r in rows if r["share"] is not None]
    if not known:
        return ("No pair has yet voted on the same draft.",)
    low, high = min(known, key=lambda r: r["share"]), max(known, key=lambda r: r["share"])
    return (_pair_line("Most alike", high), _pair_line("Least alike", low))


def _pair_summary(rows: list[dict]) -> tuple[str, ...]:
    same, both = sum(r["same"] for r in rows), sum(r["both"] for r in rows)
    alike = f"Voted alike on {same} of {both} votes ({as_percent(share(same, both))})"
    return (alike, _years(rows))


def _divisions_summary(rows: list[dict]) -> tuple[str, ...]:
    divided, total = sum(r["divided"] for r in rows), sum(r["total"] for r in rows)
    return (
        f"Split on {divided} of {total} recorded votes ({as_percent(share(divided, total))})",
        _years(rows),
    )


SUMMARIES = {
    "vetoes": _vetoes_summary,
    "agreement": _agreement_summary,
    "pair": _pair_summary,
    "divisions": _divisions_summary,
}


def _pair_line(words: str, row: dict) -> str:
    return f"{words}: {SHORT[row['first']]} and {SHORT[row['second']]}, {as_percent(row['share'])}"


def _chart(chart: str) -> str:
    if chart not in CHARTS:
        raise Http404("No such chart")
    return chart


def chart_card_bytes(chart: str) -> bytes:
    card = sharecards.Card(
        kicker="P5 divisions · UN Security Council",
        title=CHART_TITLES[chart],
        lines=chart_summary(chart),
    )
    return sharecards.render(card)


def chart_card(request, chart: str):
    """A P5 chart's share card. Queries: the chart's aggregate (1), unless cached."""
    chart = _chart(chart)
    body = cached("card-chart", chart, lambda: chart_card_bytes(chart))
    return HttpResponse(body, content_type="image/png")


def chart_share(request, chart: str) -> dict:
    """The share tags' values for a chart (templates/resolutions/_share_meta.html)."""
    summary = cached("chart-summary", chart, lambda: chart_summary(chart))
    return {
        "title": CHART_TITLES[chart],
        "description": ". ".join(summary) + ". " + RULES[chart],
        "image": reverse("resolutions:chart_card", args=[chart]),
        "alt": f"{CHART_TITLES[chart]}: {'; '.join(summary)}",
        "url": reverse("resolutions:p5"),
    }


# Embeds: minimal pages for another site's iframe --------------------------------

# The only pages another site may frame; config.framing leaves their
# X-Frame-Options off (by address, so a cached page and a 304 are right too).
FRAMEABLE = csp_replace({"frame-ancestors": ["*"]})


@FRAMEABLE
def vote_embed(request, pk: int):
    """A vote for an iframe. Queries: the draft (1), its vetoes (2), the P5's votes (3)."""
    draft = _published(pk)
    return render(
        request,
        "resolutions/share/embed_vote.html",
        {
            "draft": draft,
            "positions": p5_positions(draft),
            # The embed shares the vote's page, not itself.
            "share": {**vote_share(draft), "url": draft.get_absolute_url()},
        },
    )


def _chart_title(chart: str, pair: str) -> str:
    if chart == "pair":
        return f"{dict(PAIR_CHOICES)[pair]}: voted alike, year by year"
    return CHART_TITLES[chart]


@FRAMEABLE
def chart_embed(request, chart: str):
    """A P5 chart for an iframe, over the period its address gives.

    Queries: the chart's aggregate (1), the whole record's summary for the preview (2).
    """
    chart = _chart(chart)
    form = PeriodForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # as on the P5 page: an invalid field is dropped, the rest kept
    period = form.period(PERIOD_OF[chart])
    first, second = form.chosen_pair()
    return render(
        request,
        "resolutions/share/embed_chart.html",
        {
            "chart": chart,
            "rows": chart_rows(chart, form),
            "period": period,
            "pair_code": f"{first}-{second}",
            "seats": [{"code": c, "label": SEAT_LABELS[c]} for c in SEAT_ORDER],
            "title": _chart_title(chart, f"{first}-{second}"),
            "share": chart_share(request, chart),
        },
    )
