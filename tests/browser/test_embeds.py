"""The embeds inside another site's iframe, in a real browser: they render; the rest is refused.

The "other site" is a page served from a second local server, on another port
(another origin) than the live server.
"""

import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

from resolutions.starter import load_starter_data
from resolutions.views.p5 import CHARTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_origin(tmp_path):
    """A static server on its own port: ``serve(html)`` gives the address of a page there."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html: str) -> str:
        (tmp_path / "article.html").write_text(html, encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/article.html"

    yield serve
    server.shutdown()
    server.server_close()


def test_an_embed_renders_in_another_sites_iframe_and_a_vote_page_is_refused(
    page, live_server, other_origin
):
    draft = load_starter_data()
    embed = f"{live_server.url}/votes/{draft.pk}/embed/"
    refused = f"{live_server.url}/votes/{draft.pk}/"
    article = other_origin(
        "<!doctype html><title>A newspaper</title><h1>An article</h1>"
        f'<iframe id="embed" name="embed" src="{embed}" width="600" height="320"></iframe>'
        f'<iframe id="refused" name="refused" src="{refused}" width="600" height="320"></iframe>'
        '<iframe id="chart" name="chart" '
        f'src="{live_server.url}/p5/vetoes/embed/" width="600" height="460"></iframe>'
    )
    assert article.split("/")[2] != live_server.url.split("/")[2]  # another origin
    page.goto(article, wait_until="load")

    framed = page.frame_locator("#embed")
    assert framed.locator("h1").inner_text() == "S/2022/431"
    assert "Vetoed by China, Russian Federation" in framed.locator("main").inner_text()
    assert page.frame_locator("#chart").locator("svg.chart, .chart-section").count() >= 1

    # The vote page itself is refused: Chromium shows its error page in the frame.
    blocked = page.frame(name="refused")
    assert blocked is not None
    assert blocked.url != refused  # chrome-error://chromewebdata/
    assert page.frame_locator("#refused").get_by_text("S/2022/431").count() == 0
    refusals = [e for e in page.console_errors if "frame-ancestors 'none'" in e]
    assert len(refusals) == 1, page.console_errors  # the vote page's, and only it
    # Nothing else went wrong, in the embeds either (the static server has no favicon).
    others = [e for e in page.console_errors if e not in refusals and "404" not in e]
    assert others == []


def test_the_copy_embed_code_button_works_from_the_keyboard(page, live_server):
    draft = load_starter_data()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/votes/{draft.pk}/")
    button = page.locator('button[data-copy="embed-code-vote"]')
    button.focus()
    page.keyboard.press("Enter")
    status = page.locator("#embed-status-vote")
    status.wait_for(state="attached")
    # A locator assertion, not wait_for_function: polling a string of JavaScript is an
    # eval, which the page's Content Security Policy refuses whenever the first check
    # comes before the button's script has written the status.
    expect(status).not_to_have_text("")
    code = page.locator("#embed-code-vote").input_value()
    assert code.startswith(f'<iframe src="{live_server.url}/votes/{draft.pk}/embed/"')
    if status.inner_text() == "Copied.":
        assert page.evaluate("navigator.clipboard.readText()") == code
    else:  # no clipboard here: the code is selected for Ctrl+C
        assert page.evaluate("document.activeElement.id") == "embed-code-vote"
    assert page.console_errors == []


def test_the_embeds_fit_a_narrow_frame_without_console_errors(page, live_server):
    draft = load_starter_data()
    page.set_viewport_size({"width": 375, "height": 600})
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    for path in (f"/votes/{draft.pk}/embed/", *(f"/p5/{c}/embed/" for c in CHARTS)):
        page.goto(live_server.url + path)
        assert page.evaluate(overflow) <= 0, path
    assert page.console_errors == []
