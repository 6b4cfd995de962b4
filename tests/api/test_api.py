"""The read-only JSON API: same answers as the site, licence on every response, revalidation."""

import pytest
from django.db.models import Count

from resolutions.licence import LICENCE
from resolutions.models import Draft
from votes.choices import Outcome, Position
from votes.models import MemberState, MemberVote, Veto

pytestmark = pytest.mark.django_db


def all_pages(client, url):
    rows, page = [], client.get(url).json()
    rows += page["results"]
    while page["next"]:
        page = client.get(page["next"]).json()
        rows += page["results"]
    return rows


def test_votes_list_filters_like_the_public_list(client, sample):
    ghana = MemberState.objects.get(code="GHA")
    position = MemberVote.objects.filter(state=ghana).values_list("position", flat=True).first()
    expected = set(
        Draft.objects.published()
        .filter(member_votes__state=ghana, member_votes__position=position)
        .filter(modality="vote")  # how a member voted exists only for recorded votes
        .values_list("pk", flat=True)
    )
    rows = all_pages(client, f"/api/v1/votes/?country=ghana&position={position}&page_size=7")
    assert {r["id"] for r in rows} == expected
    assert expected


def test_votes_come_newest_first_in_a_stable_order(client, sample):
    rows = all_pages(client, "/api/v1/votes/?page_size=5")
    keys = [(r["date"], r["id"]) for r in rows]
    assert [r["id"] for r in rows] == list(
        Draft.objects.published().newest_first().values_list("pk", flat=True)
    )
    assert len(keys) == len(set(keys))


def test_a_vote_carries_its_member_votes_outcome_and_vetoes(client, sample):
    seed = Draft.objects.get(draft_symbol="S/2022/431")
    body = client.get(f"/api/v1/votes/{seed.pk}/").json()
    assert body["outcome"] == Outcome.VETOED
    assert body["outcome_statement"] == "Vetoed by China and the Russian Federation"
    assert [v["seat"] for v in body["vetoed_by"]] == ["CHN", "RUS"]
    assert body["tally"] == {"yes": 13, "no": 2, "abstain": 0, "non_voting": 0}
    assert len(body["member_votes"]) == seed.member_votes.count() == 15
    against = {v["code"] for v in body["member_votes"] if v["position"] == Position.NO}
    assert against == {"CHN", "RUS"}
    assert body["documents"]["draft"] == "https://undocs.org/en/S/2022/431"


def test_unpublished_drafts_are_not_in_the_api(client, sample):
    hidden = Draft.objects.published().first()
    hidden.is_published = False
    hidden.save()
    assert client.get(f"/api/v1/votes/{hidden.pk}/").status_code == 404
    ids = {r["id"] for r in all_pages(client, "/api/v1/votes/?page_size=200")}
    assert hidden.pk not in ids


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/votes/",
        "/api/v1/votes/{seed}/",
        "/api/v1/member-states/",
        "/api/v1/member-states/ghana/",
        "/api/v1/vetoes/",
        "/api/v1/p5/agreement/",
    ],
)
def test_every_response_carries_the_licence_and_source_versions(client, sample, url):
    seed = Draft.objects.get(draft_symbol="S/2022/431")
    response = client.get(url.format(seed=seed.pk))
    body = response.json()
    assert body["licence"] == LICENCE
    assert "sources" in body or "data_sources" in body
    assert response["X-Licence"].startswith("UN data")


def test_conditional_get_answers_not_modified(client, sample):
    first = client.get("/api/v1/votes/")
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/api/v1/votes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get("/api/v1/votes/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    # A change to the record gives a new validator.
    draft = Draft.objects.published().first()
    draft.title = "changed"
    draft.save()
    changed = client.get("/api/v1/votes/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_cors_is_open_for_reading_only(client, sample):
    response = client.get("/api/v1/votes/", HTTP_ORIGIN="https://news.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/votes/",
        HTTP_ORIGIN="https://news.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert client.post("/api/v1/votes/", {}).status_code == 405
    # Only the API is shared with other sites.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://x.example")


def test_vetoes_endpoint_counts_the_engines_vetoes(client, sample):
    rows = all_pages(client, "/api/v1/vetoes/?page_size=200")
    expected = dict(
        Veto.objects.filter(draft__is_published=True)
        .values_list("seat__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = {}
    for row in rows:
        counted[row["seat"]] = counted.get(row["seat"], 0) + 1
    assert counted == expected
    russia = all_pages(client, "/api/v1/vetoes/?seat=RUS&page_size=200")
    assert {r["seat"] for r in russia} == {"RUS"}


def test_member_states_list_the_council_members_with_their_terms(client, sample):
    body = client.get("/api/v1/member-states/ussr/").json()
    assert body["code"] == "SUN"
    assert body["terms"][0]["permanent_seat"] == "RUS"
    assert body["terms"][0]["end"] == "1991-12-23"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/votes/?outcome=maybe", "outcome"),
        ("/api/v1/votes/?year_from=last-year", "year_from"),
        ("/api/v1/vetoes/?seat=XYZ", "seat"),
        ("/api/v1/p5/pair/?pair=USA-CHN", "pair"),
        ("/api/v1/p5/divisions/?year_from=nineteen", "year_from"),
    ],
)
def test_invalid_parameters_are_a_400_naming_the_parameter(client, sample, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert field in response.json()


def test_p5_figures_are_the_charts_figures(client, sample):
    api = client.get("/api/v1/p5/agreement/?year_from=1980&year_to=2030").json()["rows"]
    page = client.get("/p5/agreement.json?matrix_from=1980&matrix_to=2030").json()["rows"]
    assert api == page
    assert any(row["both"] for row in api)


@pytest.mark.parametrize("size", ["small", "large"])
def test_votes_list_query_budget(client, sample, django_assert_max_num_queries, size):
    if size == "small":
        Draft.objects.exclude(draft_symbol="S/2022/431").delete()
    # 1 when the record last changed (ETag and Last-Modified), 2 count, 3 page of
    # drafts with meeting and agenda item, 4 their vetoes with seat and state,
    # 5 their sponsors with their states, 6 the source versions cited.
    with django_assert_max_num_queries(6):
        assert client.get("/api/v1/votes/").status_code == 200


def test_schema_and_documentation_are_served_without_third_party_assets(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3." in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html.split("</head>")[0]
