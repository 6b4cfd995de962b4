"""An editor in a real browser: enters S/2022/431 from scratch, publishes it, changes
one vote, sees the change in the history and undoes it; and cannot reach user
management. Headless Chromium, through the JavaScript and CSP the site really has.
"""

import re

import pytest
from playwright.sync_api import expect

from resolutions.models import Draft
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    PASSWORD,
    VOTE_DATE,
    load_council_2022,
    make_editor,
)
from votes.models import MemberVote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, next_path="/admin/"):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.slow  # the whole editing round in Chromium
def test_editor_enters_publishes_changes_and_reverts_the_seed_vote(page, live_server):
    load_council_2022()
    make_editor("editor", PASSWORD)
    log_in(page, live_server, "/admin/resolutions/draft/add/")
    expect(page.get_by_role("heading", name="Add draft")).to_be_visible()

    # Choosing the date lists the fifteen members sitting that day, permanent first.
    page.get_by_label("Date").fill("2022-05-26")
    page.get_by_label("Date").dispatch_event("change")
    rows = page.locator("#member-votes-rows tr.vote-row")
    expect(rows).to_have_count(15)
    names = rows.locator(".member-name").all_inner_texts()
    assert names[:5] == ["China", "France", "Russian Federation", "United Kingdom", "United States"]
    assert set(names[5:]) == {
        "Albania",
        "Brazil",
        "Gabon",
        "Ghana",
        "India",
        "Ireland",
        "Kenya",
        "Mexico",
        "Norway",
        "United Arab Emirates",
    }
    expect(page.locator("#council-status")).to_have_text(
        "15 members sat on the Council on 26 May 2022."
    )

    # All in favour, then the two exceptions; the outcome shows before saving.
    page.get_by_label("Draft symbol").fill("S/2022/431")
    page.get_by_label("Meeting record").fill("S/PV.9048")
    page.get_by_role("button", name="All in favour").click()
    page.get_by_label("Position of China").select_option("N")
    page.get_by_label("Position of Russian Federation").select_option("N")
    preview = page.locator("#outcome-preview")
    expect(preview).to_contain_text("Vetoed by China, Russian Federation")
    expect(preview).to_contain_text("13–2–0")
    assert not Draft.objects.exists()

    page.get_by_role("checkbox", name="Published on the public site").check()
    expect(preview).to_contain_text("Ready to save.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(
        "S/2022/431 now reads: Vetoed by China, Russian Federation (13–2–0)."
    )
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    assert draft.is_published
    assert draft.meeting.symbol == "S/PV.9048"
    assert draft.member_votes.count() == 15

    # The public page shows it, to anyone.
    page.goto(f"{live_server.url}/votes/{draft.pk}/")
    expect(page.locator("main")).to_contain_text("Vetoed by China, Russian Federation")
    expect(page.locator("main")).to_contain_text("13–2–0")

    # One vote changes: Brazil abstains.
    page.goto(f"{live_server.url}/admin/resolutions/draft/{draft.pk}/change/")
    page.get_by_label("Position of Brazil").select_option("A")
    expect(preview).to_contain_text("12–2–1")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("(12–2–1)")
    brazil = MemberVote.objects.get(draft=draft, name_at_vote="Brazil")
    assert (brazil.position, brazil.source) == ("A", "editor")

    # The history shows the change, and undoes it.
    page.get_by_role("link", name="History").click()
    change = page.locator("#vote-history tbody tr").filter(has_text="Abstention")
    expect(change).to_contain_text("Brazil")
    expect(change).to_contain_text("Position: Yes → Abstention")
    expect(change).to_contain_text("editor on")
    change.get_by_role("link", name="Undo: back to Yes").click()
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("(13–2–0)")
    brazil.refresh_from_db()
    assert brazil.position == "Y"
    page.goto(f"{live_server.url}/votes/{draft.pk}/")
    expect(page.locator("main")).to_contain_text("13–2–0")
    assert page.console_errors == []


def test_editor_cannot_reach_user_management(page, live_server):
    make_editor("editor", PASSWORD)
    log_in(page, live_server)
    expect(page.get_by_role("heading", name="The record")).to_be_visible()
    expect(page.locator("#content-main")).not_to_contain_text("Users")
    expect(page.get_by_role("link", name="Drafts", exact=True)).to_be_visible()

    for address in ("/admin/auth/user/", "/admin/auth/user/add/", "/admin/auth/group/"):
        response = page.goto(live_server.url + address)
        assert response.status == 403, address
        expect(page.locator("h1")).to_have_text("403 Forbidden")


def test_editor_filters_the_list_by_a_member_state_picked_with_autocomplete(page, live_server):
    load_council_2022()
    make_editor("editor", PASSWORD)
    recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    log_in(page, live_server, "/admin/resolutions/draft/")
    page.locator(".state-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("Gha")
    page.get_by_role("option", name="Ghana").click()
    page.locator(".state-filter").get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]state=\d+"))
    expect(page.locator("#result_list")).to_contain_text("S/2022/431")
    expect(page.locator("#result_list")).to_contain_text("Vetoed by China, Russian Federation")
    assert page.console_errors == []


def test_the_draft_form_fits_a_phone(page, live_server):
    load_council_2022()
    make_editor("editor", PASSWORD)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server, "/admin/resolutions/draft/add/?date=2022-05-26")
    expect(page.locator("#member-votes-rows tr.vote-row")).to_have_count(15)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    assert page.console_errors == []
