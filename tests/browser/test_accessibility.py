"""axe-core on every public page at desktop and phone width, the P5 charts on a
phone, and the chart links from the keyboard. axe is vendored in tests/browser/vendor
(never served): no network in tests."""

from pathlib import Path

import pytest

from tests.resolutions.test_pages_data import large_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PAGES = [
    "/",
    "/votes/",
    "/S/2022/431",
    "/vetoes/",
    "/countries/",
    "/countries/ghana/",
    "/p5/",
    "/p5/method/",
    "/p5/elected/",
    "/data/",
    "/p5/pair/embed/",
]
# Violations only; "incomplete" (needs a human) is not counted.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ` +
      v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def page(browser):
    # The site's CSP (script-src 'self') would refuse the injected axe script, rightly.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


@pytest.mark.slow  # ten pages at two widths, axe on each
def test_axe_finds_no_serious_or_critical_violation(page, live_server):
    large_history(extra=12)
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for path in PAGES:
            page.goto(live_server.url + path)
            problems += [f"{path} at {width}px: {v}" for v in _serious(page)]
    assert problems == []


def test_axe_catches_a_violation(page, live_server):
    # The check can fail: a link with no name and an image with no text are serious.
    page.set_content(
        '<html lang="en"><title>t</title><main><a href="/x"></a><img src="x.png"></main>'
    )
    assert any(v.startswith(("link-name", "image-alt")) for v in _serious(page))


def _intersect(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_p5_charts_on_a_phone_fit_or_scroll_with_a_cue(page, live_server):
    large_history(extra=12)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/p5/")
    charts = page.locator("svg.chart")
    assert charts.count() == 4
    scrolling = 0
    for i in range(charts.count()):
        chart = charts.nth(i)
        scroller = chart.locator("xpath=ancestor::div[contains(@class, 'chart-scroll')]")
        if scroller.count() == 0:  # not in a scroll box: must fit the screen
            box = chart.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"chart {i + 1} is cut"
            continue
        box = scroller.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        if scroller.evaluate("e => e.scrollWidth > e.clientWidth"):
            scrolling += 1
            hint = scroller.locator("xpath=following-sibling::p[@class='scroll-hint']")
            assert hint.is_visible(), f"chart {i + 1} scrolls with no cue"
            # The scroll box itself is reachable from the keyboard to scroll it.
            assert scroller.get_attribute("tabindex") == "0"
    assert scrolling >= 1  # the time charts are wider than a phone: the check is live
    assert page.evaluate(OVERFLOW) == 0


def test_no_scroll_cue_on_a_desktop(page, live_server):
    large_history(extra=12)
    page.goto(live_server.url + "/p5/")
    assert page.locator(".scroll-hint").count() == 3
    assert not page.locator(".scroll-hint").first.is_visible()


def test_chart_links_are_reachable_by_keyboard_with_a_name(page, live_server):
    large_history(extra=12)
    page.goto(live_server.url + "/p5/")
    first = page.locator("svg.chart a").first
    name = first.get_attribute("aria-label")
    assert name and "by" in name  # "1986: 2 by ..." like the bar's tooltip
    page.locator("#vetoes .chart-scroll").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == name
    page.keyboard.press("Enter")
    page.wait_for_url("**/vetoes/?vetoed_by=*")
    assert "year_from=" in page.url


@pytest.mark.parametrize("query", ["", "?measure=kappa"])  # kappa ticks run from -1
def test_axis_titles_do_not_overlap_tick_labels_on_a_phone(page, live_server, query):
    large_history(extra=12)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server.url + "/p5/" + query)
    overlaps = page.evaluate(
        """() => {
      const out = [];
      document.querySelectorAll("svg.chart").forEach((svg, i) => {
        const ticks = [...svg.querySelectorAll("text.tick")]
          .map(t => [t.textContent, t.getBoundingClientRect()]);
        svg.querySelectorAll("text.axis-label").forEach(label => {
          const a = label.getBoundingClientRect();
          ticks.forEach(([text, b]) => {
            if (!(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top))
              out.push(`chart ${i + 1}: "${label.textContent}" over "${text}"`);
          });
        });
      });
      return out;
    }"""
    )
    assert page.locator("svg.chart text.axis-label").count() >= 4
    assert overlaps == []


def test_a_skip_link_jumps_past_a_charts_links_to_its_table(page, live_server):
    large_history(extra=12)
    page.goto(live_server.url + "/p5/")
    skip = page.locator('#vetoes a.skip-link[href="#vetoes-data"]')
    skip.focus()
    assert skip.is_visible()  # shown when focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('details')?.id")
    assert focused == "vetoes-data"
