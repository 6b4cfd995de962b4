"""Every public page in a real browser, on sample data: no console errors, no sideways
scroll at 375 px, keyboard use. The same checks on the whole record are in
test_public_full_history.py."""

import pytest

from tests.resolutions.test_pages_data import large_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/votes/",
    "/votes/?country=ghana&position=N",
    "/votes/?year_from=abc",
    "/S/2022/431",
    "/vetoes/",
    "/countries/",
    "/countries/ghana/",
    "/countries/russian-federation/",
    "/p5/",
    "/S/2099/1",
]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.slow  # every page at two widths in Chromium
def test_every_page_loads_cleanly_at_desktop_and_phone_width(page, live_server):
    large_history(extra=12)
    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in PAGES:
            page.console_errors.clear()
            page.goto(live_server.url + path)
            errors = [e for e in page.console_errors if "404" not in e or path != "/S/2099/1"]
            if errors:
                problems.append(f"{path} at {width}px: console errors {errors}")
            if page.evaluate(OVERFLOW) > 0:
                problems.append(f"{path} at {width}px scrolls sideways")
            if not page.title() or not page.locator('meta[name="description"]').get_attribute(
                "content"
            ):
                problems.append(f"{path}: no title or description")
    assert problems == []


def test_filtering_with_the_keyboard(page, live_server):
    large_history(extra=12)
    page.goto(live_server.url + "/votes/")
    page.focus("#id_country")
    page.keyboard.type("Ghana")
    page.select_option("#id_position", "N")
    page.focus("#id_year_from")
    page.keyboard.type("1980")
    page.keyboard.press("Enter")
    page.wait_for_url("**/votes/?*")
    assert "country=ghana" in page.url and "position=N" in page.url
    assert "Ghana voted no" in page.inner_text("h1")


def test_p5_page_draws_four_non_empty_charts(page, live_server):
    large_history(extra=12)
    page.goto(live_server.url + "/p5/")
    assert page.locator("svg.chart").count() == 4
    assert page.locator("svg.chart rect.mark").count() > 5
    assert page.locator("svg.chart circle.point").count() > 1
    box = page.locator("svg.chart").first.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    assert page.console_errors == []
