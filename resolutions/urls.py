"""Public URLs about drafts. The whole scheme is documented in the README ("URLs")."""

from django.urls import path

from resolutions import feeds, views
from resolutions.provenance import revalidated

app_name = "resolutions"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("votes/", views.DraftListView.as_view(), name="list"),
    path("votes.csv", revalidated(views.draft_csv), name="csv"),
    path("votes.json", revalidated(views.draft_json), name="json"),
    path("data/", views.data_dictionary, name="data"),
    path("feeds/votes.atom", revalidated(feeds.VotesFeed()), name="feed_votes"),
    path("feeds/vetoes.atom", revalidated(feeds.VetoesFeed()), name="feed_vetoes"),
    path(
        "feeds/countries/<slug:slug>.atom",
        revalidated(feeds.CountryFeed()),
        name="feed_country",
    ),
    # The permanent address of a vote; never reused.
    path("votes/<int:pk>/", views.detail, name="detail"),
    path("vetoes/", views.VetoListView.as_view(), name="vetoes"),
    # Document symbols as addresses: /S/2022/431, /S/RES/2627(2022), /S/PV.9048.
    path("S/<path:rest>", views.symbol_redirect, name="symbol"),
]
