"""Small promises of the API and the downloads (issue 12): a root that lists the
endpoints, ``per_page`` honoured like ``page_size``, and ``rows=`` checked."""

from __future__ import annotations

import csv
import io

import pytest

from resolutions.starter import load_starter_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter():
    return load_starter_data()


def test_the_api_root_lists_every_endpoint_and_each_answers(client, starter):
    root = client.get("/api/v1/")
    assert root.status_code == 200
    body = root.json()
    assert set(body["endpoints"]) == {"votes", "member-states", "vetoes"}
    assert set(body["p5_charts"]) == {"vetoes", "agreement", "pair", "divisions"}
    urls = [*body["endpoints"].values(), *body["p5_charts"].values(), body["schema"]]
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("name", ["page_size", "per_page"])
def test_per_page_is_honoured_like_page_size(client, starter, name):
    whole = client.get("/api/v1/member-states/?page_size=200").json()
    everyone = [row["code"] for row in whole["results"]]
    assert whole["next"] is None and len(everyone) > 3
    first = client.get(f"/api/v1/member-states/?{name}=3").json()
    assert len(first["results"]) == 3
    assert f"{name}=3" in first["next"]
    seen = []
    url = f"/api/v1/member-states/?{name}=3"
    while url:
        page = client.get(url).json()
        seen += [row["code"] for row in page["results"]]
        url = page["next"]
    assert seen == everyone


@pytest.mark.parametrize("value", ["0", "201", "ten"])
def test_per_page_out_of_range_is_a_400_saying_so(client, starter, value):
    response = client.get(f"/api/v1/member-states/?per_page={value}")
    assert response.status_code == 400
    assert "per_page" in response.json()


def test_the_schema_documents_per_page(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    parameters = schema["paths"]["/api/v1/member-states/"]["get"]["parameters"]
    assert "per_page" in {p["name"] for p in parameters}


@pytest.mark.parametrize("rows", ["vote", "drafts", "", "VOTES"])
def test_rows_other_than_votes_is_a_400_with_the_reason(client, starter, rows):
    response = client.get(f"/votes.csv?rows={rows}")
    assert response.status_code == 400
    assert "rows=votes" in response.content.decode()


def test_rows_votes_gives_one_row_per_member_vote_and_none_one_per_draft(client, starter):
    def lines(url):
        response = client.get(url)
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        return list(csv.DictReader(io.StringIO(text)))

    per_vote = lines("/votes.csv?rows=votes")
    assert len(per_vote) == starter.member_votes.count() == 15
    assert len(lines("/votes.csv")) == 1
