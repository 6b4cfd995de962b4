"""The home page in a real browser: the seed case, no console errors, no sideways scroll."""

import pytest

from resolutions.starter import load_starter_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_seed_veto_without_console_errors(page, live_server):
    load_starter_data()
    page.goto(live_server.url + "/")
    assert "S/2022/431" in page.inner_text("main")
    assert "Vetoed by China, Russian Federation" in page.inner_text("main")
    assert page.console_errors == []


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_home_page_does_not_scroll_sideways_on_a_phone(page, live_server):
    load_starter_data()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
