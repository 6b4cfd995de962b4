"""The public URLs. The whole scheme is documented in the README ("URLs")."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path, re_path

from resolutions import feeds, sitemaps
from resolutions.provenance import revalidated
from resolutions.views import countries, data, detail, elected, home, lists, p5, share, vetoes
from votes.seats import SEAT_ORDER

app_name = "resolutions"

urlpatterns = [
    path("countries/", countries.country_list, name="countries"),
    path("countries/<slug:slug>/", countries.CountryView.as_view(), name="country"),
    path("p5/", p5.p5, name="p5"),
    path("p5/method/", p5.p5_method, name="p5_method"),
    path("p5/elected/", elected.ElectedView.as_view(), name="p5_elected"),
    re_path(r"^p5/elected\.(?P<fmt>csv|json)$", elected.elected_data, name="p5_elected_data"),
    re_path(
        r"^p5/(?P<chart>vetoes|agreement|pair|divisions)\.(?P<fmt>csv|json)$",
        p5.p5_data,
        name="p5_data",
    ),
    # Share cards: the image of a link preview (Open Graph, Twitter).
    re_path(
        r"^p5/(?P<chart>vetoes|agreement|pair|divisions)/card\.png$",
        revalidated(share.chart_card),
        name="chart_card",
    ),
    # Minimal pages for another site's iframe: the only ones that may be framed
    # (settings.FRAMEABLE_PATHS).
    re_path(
        r"^p5/(?P<chart>vetoes|agreement|pair|divisions)/embed/$",
        share.chart_embed,
        name="chart_embed",
    ),
    path("", home.home, name="home"),
    path("search/", home.search, name="search"),
    path("votes/", lists.DraftListView.as_view(), name="list"),
    path("votes.csv", revalidated(lists.draft_csv), name="csv"),
    path("votes.json", revalidated(lists.draft_json), name="json"),
    path("data/", data.data_dictionary, name="data"),
    path("sitemap.xml", revalidated(sitemaps.index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        revalidated(sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("feeds/votes.atom", revalidated(feeds.VotesFeed()), name="feed_votes"),
    path("feeds/vetoes.atom", revalidated(feeds.VetoesFeed()), name="feed_vetoes"),
    path(
        "feeds/countries/<slug:slug>.atom",
        revalidated(feeds.CountryFeed()),
        name="feed_country",
    ),
    re_path(
        rf"^feeds/seats/(?P<code>{'|'.join(SEAT_ORDER)})\.atom$",
        revalidated(feeds.SeatFeed()),
        name="feed_seat",
    ),
    # The permanent address of a vote; never reused.
    path("votes/<int:pk>/", detail.detail, name="detail"),
    path("votes/<int:pk>/embed/", share.vote_embed, name="vote_embed"),
    path("votes/<int:pk>/card.png", revalidated(share.vote_card), name="vote_card"),
    path("vetoes/", vetoes.VetoListView.as_view(), name="vetoes"),
    # Document symbols as addresses: /S/2022/431, /S/RES/2627(2022), /S/PV.9048.
    path("S/<path:rest>", home.symbol_redirect, name="symbol"),
]
