"""The public site in a real browser with the whole official record.

The record is loaded once for the package and served by the package's own
server thread (``site``, tests/fullhistory/conftest.py).
"""

import re

import pytest

from votes.choices import Position
from votes.models import MemberVote, Veto

pytestmark = [pytest.mark.browser, pytest.mark.realdata, pytest.mark.django_db]

PAGES = [
    "/",
    "/votes/",
    "/votes/?country=ghana&position=N",
    "/votes/?year_from=2011&vetoed_by=RUS",
    "/S/2022/431",
    "/vetoes/",
    "/countries/",
    "/countries/ghana/",
    "/countries/russian-federation/",
    "/countries/china/",
    "/p5/",
]
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_every_page_loads_without_errors_or_sideways_scroll(page, site):
    problems = []
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 800})
        for path in PAGES:
            page.console_errors.clear()
            response = page.goto(site + path)
            if response.status != 200:
                problems.append(f"{path}: HTTP {response.status}")
            if page.console_errors:
                problems.append(f"{path} at {width}px: {page.console_errors}")
            if page.evaluate(OVERFLOW) > 0:
                problems.append(f"{path} at {width}px scrolls sideways")
    assert problems == []


def test_ghana_voted_no_returns_exactly_the_right_rows(page, site):
    expected = set(
        MemberVote.objects.filter(
            state__code="GHA", position=Position.NO, draft__is_published=True, draft__kind="draft"
        ).values_list("draft_id", flat=True)
    )
    page.goto(site + "/votes/")
    page.select_option("#id_country", "ghana")
    page.select_option("#id_position", "N")
    page.click("text=Apply filters")
    page.wait_for_url("**position=N**")
    shown = set()
    while True:
        for href in page.locator('td[data-label="Symbols"] a').evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        ):
            shown.add(int(re.search(r"/votes/(\d+)/", href).group(1)))
        following = page.locator('a[rel="next"]')
        if following.count() == 0:
            break
        following.first.click()
        page.wait_for_load_state()
    assert shown == expected


def test_seed_vote_shows_13_2_0_and_both_vetoes(page, site):
    page.goto(site + "/votes/")
    page.fill("#header-q", "S/2022/431")
    page.keyboard.press("Enter")
    page.wait_for_url("**/votes/*/")
    text = page.inner_text("main")
    assert "13–2–0" in text
    assert "Vetoed by China and the Russian Federation" in text
    assert page.locator('a[href="https://undocs.org/en/S/PV.9048"]').count() == 1


def test_p5_page_draws_non_empty_charts(page, site):
    page.goto(site + "/p5/")
    assert page.locator("svg.chart").count() == 4
    # One bar segment per year in which the Russian seat (USSR included) vetoed.
    years = {
        on.year
        for on in Veto.objects.filter(
            seat__code="RUS", draft__is_published=True, draft__kind="draft"
        ).values_list("draft__date", flat=True)
    }
    assert page.locator("svg.chart rect.mark.seat--rus").count() == len(years) > 30
    assert page.locator("svg.chart rect.cell").count() == 25
    assert page.locator("svg.chart circle.point").count() > 40
    assert page.locator("svg.chart rect.mark--divided").count() > 40
    assert page.console_errors == []
