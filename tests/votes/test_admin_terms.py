"""The Council terms in the admin: no overlapping terms, seat limits, history, locking."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.resolutions.test_admin_setup import (
    make_editor,
)
from votes.choices import TermKind
from votes.history import BASELINE_REASON
from votes.models import MembershipTerm, MemberState, PermanentSeat

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
ADD = reverse("admin:votes_membershipterm_add")


def term(code: str, start: str, end: str, kind=TermKind.ELECTED, seat: str = "") -> dict:
    data = {"state": MemberState.objects.get(code=code).pk, "kind": kind, "start": start}
    data["end"] = end
    if seat:
        data["seat"] = PermanentSeat.objects.get(code=seat).pk
    return data


def errors(response) -> list[str]:
    assert response.status_code == 200, "saved, but should have been refused"
    form = response.context["adminform"].form
    return [str(e) for field_errors in form.errors.values() for e in field_errors]


def test_an_editor_adds_a_term_and_it_is_the_editors(editor_client, council_2022):
    response = editor_client.post(ADD, term("JPN", "2023-01-01", "2024-12-31"))
    assert response.status_code == 302
    added = MembershipTerm.objects.get(state__code="JPN")
    assert (added.start, added.end, added.source) == (
        date(2023, 1, 1),
        date(2024, 12, 31),
        "editor",
    )
    [record] = MembershipTerm.history.filter(id=added.pk)
    assert record.history_user.username == "editor"


def test_overlapping_terms_for_a_state_are_refused(editor_client, council_2022):
    # Ghana sat 2022-2023 (the starter's terms).
    found = errors(editor_client.post(ADD, term("GHA", "2023-06-01", "2024-12-31")))
    assert "Ghana already has a term from 2022-01-01 to 2023-12-31." in found
    assert MembershipTerm.objects.filter(state__code="GHA").count() == 1


def test_a_sixteenth_member_is_refused(editor_client, council_2022):
    found = errors(editor_client.post(ADD, term("JPN", "2022-01-01", "2022-12-31")))
    assert "On 1 January 2022, 16 members would sit; the Council then had 15 seats." in found
    assert not MembershipTerm.objects.filter(state__code="JPN").exists()


def test_a_twelfth_member_before_1966_is_refused(editor_client, council_2022):
    for code in ("ARG", "ITA", "TUN", "LKA", "ECU", "POL"):
        assert editor_client.post(ADD, term(code, "1960-01-01", "1960-12-31")).status_code == 302
    found = errors(editor_client.post(ADD, term("JPN", "1960-01-01", "1960-12-31")))
    assert "On 1 January 1960, 12 members would sit; the Council then had 11 seats." in found


def test_a_sixth_permanent_member_is_refused(editor_client, council_2022):
    data = term("JPN", "2022-01-01", "", TermKind.PERMANENT, seat="USA")
    found = errors(editor_client.post(ADD, data))
    assert "On 1 January 2022, 6 permanent members would sit; there are exactly 5." in found


def test_changing_an_imported_term_keeps_its_imported_state_first(editor_client, council_2022):
    ghana = MembershipTerm.objects.get(state__code="GHA")
    MembershipTerm.history.all().delete()  # as the importer leaves it
    url = reverse("admin:votes_membershipterm_change", args=[ghana.pk])
    loaded = editor_client.get(url).context["adminform"].form["loaded_history"].value()
    data = {**term("GHA", "2022-01-01", "2023-12-30"), "loaded_history": loaded or ""}
    assert editor_client.post(url, data).status_code == 302
    baseline, change = MembershipTerm.history.filter(id=ghana.pk).order_by("history_id")
    assert (baseline.end, baseline.source, baseline.history_change_reason) == (
        date(2023, 12, 31),
        "seed",
        BASELINE_REASON,
    )
    assert (change.end, change.source) == (date(2023, 12, 30), "editor")


def test_a_term_saved_over_a_newer_change_is_refused(editor_client, council_2022):
    ghana = MembershipTerm.objects.get(state__code="GHA")
    url = reverse("admin:votes_membershipterm_change", args=[ghana.pk])
    loaded = editor_client.get(url).context["adminform"].form["loaded_history"].value()
    other = Client()
    other.force_login(make_editor("dana"))
    other_loaded = other.get(url).context["adminform"].form["loaded_history"].value()
    data = term("GHA", "2022-01-01", "2023-12-30")
    assert other.post(url, {**data, "loaded_history": other_loaded or ""}).status_code == 302

    mine = {**term("GHA", "2022-02-01", "2023-12-31"), "loaded_history": loaded or ""}
    found = errors(editor_client.post(url, mine))
    assert found[0].startswith("Another editor saved this record while you were editing it")
    assert any(re.fullmatch(r"dana on .* changed: End .* → 2023-12-30\.", e) for e in found), found
    ghana.refresh_from_db()
    assert (ghana.start, ghana.end) == (date(2022, 1, 1), date(2023, 12, 30))


def test_member_states_are_picked_with_autocomplete(editor_client, council_2022):
    html = editor_client.get(ADD).content.decode()
    assert 'class="admin-autocomplete"' in html
    # "Gha" would find Afghanistan too: every UN member is a state here (sponsors).
    for typed, expected in (("Ghana", ["Ghana"]), ("Ceylon", ["Sri Lanka"])):
        found = editor_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "votes",
                "model_name": "membershipterm",
                "field_name": "state",
                "term": typed,
            },
        ).json()
        assert [r["text"] for r in found["results"]] == expected
