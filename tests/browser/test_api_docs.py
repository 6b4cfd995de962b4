"""The API documentation works in a real browser, with its assets served by us."""

import pytest

from resolutions.starter import load_starter_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.slow  # Swagger UI loads and runs a request in Chromium
def test_api_docs_list_every_endpoint_and_try_one_without_console_errors(page, live_server):
    load_starter_data()
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for endpoint in (
        "/api/v1/votes/",
        "/api/v1/member-states/",
        "/api/v1/vetoes/",
        "/api/v1/p5/{chart}/",
    ):
        assert any(p.replace("\u200b", "") == endpoint for p in paths), paths
    page.locator(".opblock-summary", has_text="/api/v1/votes/").first.click()
    page.get_by_text("Try it out").first.click()
    page.locator(".execute").first.click()
    page.wait_for_selector(".live-responses-table")
    assert "S/2022/431" in page.inner_text(".live-responses-table")
    assert page.console_errors == []
    assert outside == []  # no CDN, no third-party origin
