"""The designed 404 and 500 pages show with DEBUG on too; Django's only on request."""

import logging

import pytest
from django.test import Client, RequestFactory
from django.urls import path
from django.views import defaults

import config.urls

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug in a view")


# The project's URLs, plus one that fails (see the settings.ROOT_URLCONF below).
urlpatterns = [*config.urls.urlpatterns, path("broken/", broken_view)]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = False
    settings.DEBUG_TECHNICAL_500 = False
    return settings


def test_an_unknown_address_shows_the_designed_404_with_debug_on(debug, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Not found</h1>" in page
    assert 'id="notfound-q"' in page  # the search box
    assert "URLconf" not in page  # not Django's list of every pattern


def test_a_symbol_with_no_vote_shows_the_designed_404_with_debug_on(debug, client):
    response = client.get("/S/2099/1")
    assert response.status_code == 404
    assert 'id="notfound-q"' in response.content.decode()
    assert "Raised by" not in response.content.decode()


def test_a_missing_slash_still_redirects(debug, client):
    response = client.get("/votes")
    assert response.status_code == 301
    assert response["Location"] == "/votes/"


def test_the_technical_404_is_one_setting_away(debug, client):
    debug.DEBUG_TECHNICAL_404 = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Using the URLconf defined in" in response.content.decode()


def test_with_debug_off_django_shows_the_designed_404(settings, client):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert 'id="notfound-q"' in response.content.decode()


def test_an_error_shows_the_designed_500_and_is_logged(debug, caplog):
    debug.ROOT_URLCONF = __name__
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page
    assert "a bug in a view" not in page  # no traceback for the reader
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[1].args == ("a bug in a view",)  # the traceback for the developer


def test_the_technical_500_is_one_setting_away(debug):
    debug.ROOT_URLCONF = __name__
    debug.DEBUG_TECHNICAL_500 = True
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "a bug in a view" in response.content.decode()


def test_the_500_page_needs_no_database(django_assert_num_queries):
    # A 500 may come from a database that is down: the page must not query it.
    with django_assert_num_queries(0):
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert 'action="/search/"' in response.content.decode()
