"""Anonymous list pages, downloads and API calls are rate-limited; editors are not (issue 12)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches

LIMIT = 3


@pytest.fixture
def limited(settings):
    """Small limits, on, with a clean count in the configured cache."""
    settings.RATELIMIT_ENABLE = True
    settings.RATELIMIT_LIST = f"{LIMIT}/h"
    settings.RATELIMIT_DOWNLOAD = f"{LIMIT}/h"
    caches[settings.RATELIMIT_USE_CACHE].clear()
    yield
    caches[settings.RATELIMIT_USE_CACHE].clear()


def answers(client, path: str, times: int) -> list[int]:
    return [client.get(path).status_code for _ in range(times)]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/votes/", "/vetoes/", "/votes/?topic=x&divided=yes"])
def test_the_list_page_past_its_limit_is_a_429_page_pointing_to_the_dumps(client, limited, path):
    assert answers(client, path, LIMIT) == [200] * LIMIT
    response = client.get(path)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 0 < int(response["Retry-After"]) <= 3600
    assert 'href="/data/"' in response.content.decode()
    assert "release/" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/votes.csv", "/votes.json"])
def test_a_download_past_its_limit_is_a_short_text_429(client, limited, path):
    assert answers(client, path, LIMIT) == [200] * LIMIT
    response = client.get(path)
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/plain")
    assert int(response["Retry-After"]) > 0
    assert "/data/" in response.content.decode()
    assert len(response.content) < 500


@pytest.mark.django_db
def test_the_api_past_its_limit_is_a_json_429(client, limited):
    assert answers(client, "/api/v1/votes/", LIMIT) == [200] * LIMIT
    response = client.get("/api/v1/votes/")
    assert response.status_code == 429
    assert response.json()["data"] == "/data/"
    assert int(response["Retry-After"]) > 0


def test_the_apis_429_is_in_its_schema(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    assert "429" in schema["paths"]["/api/v1/votes/"]["get"]["responses"]


@pytest.mark.django_db
def test_lists_and_downloads_count_separately(client, limited):
    assert answers(client, "/votes.csv", LIMIT + 1)[-1] == 429
    assert client.get("/votes/").status_code == 200


@pytest.mark.django_db
def test_an_editor_is_never_limited(client, limited):
    editor = get_user_model().objects.create_user("ed", password="x", is_staff=True)
    client.force_login(editor)
    assert answers(client, "/votes/", LIMIT + 2) == [200] * (LIMIT + 2)
    assert answers(client, "/votes.csv", LIMIT + 2) == [200] * (LIMIT + 2)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/data/", "/p5/", "/api/v1/", "/api/v1/schema/"])
def test_other_pages_are_not_limited(client, limited, path):
    assert set(answers(client, path, LIMIT + 2)) == {200}


@pytest.mark.django_db
def test_another_address_has_its_own_count(client, limited):
    assert answers(client, "/votes/", LIMIT + 1)[-1] == 429
    assert client.get("/votes/", REMOTE_ADDR="192.0.2.7").status_code == 200
