"""A country's page: terms, votes with the list's filters, counts, vetoes, agreement."""

import re

import pytest
from django.urls import reverse

from votes import analytics
from votes.choices import Position
from votes.models import MemberState, MemberVote, Veto

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(sample):
    return sample


def page(client, slug, query="") -> str:
    response = client.get(reverse("resolutions:country", args=[slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_lists_every_term(client, named):
    html = page(client, "ghana")
    assert "1 Jan 1986 – 31 Dec 1990" in html
    assert "1 Jan 2022 – 31 Dec 2023" in html


def test_counts_by_position_recount_its_votes(client, named):
    html = page(client, "ghana")
    rows = MemberVote.objects.filter(
        state__code="GHA", draft__is_published=True, draft__modality="vote"
    )
    for label, position in (("Voted yes", "Y"), ("Voted no", "N"), ("Abstained", "A")):
        count = re.search(rf"<th scope=\"row\">{label}</th><td class=\"num\"><a [^>]*>(\d+)<", html)
        assert int(count.group(1)) == rows.filter(position=position).count(), label
    assert "adopted without a vote, not counted as votes" in html


def test_vote_history_uses_the_same_filters(client, named):
    html = page(client, "ghana", "?position=N&per_page=100")
    shown = re.findall(r'<td data-label="Symbols"><a href="/votes/(\d+)/"', html)
    expected = MemberVote.objects.filter(
        state__code="GHA", position=Position.NO, draft__is_published=True
    ).values_list("draft_id", flat=True)
    assert sorted(map(int, shown)) == sorted(expected)
    assert html.count('data-label="Its vote">voted no</td>') == len(shown)
    assert 'name="country"' not in html  # the member is fixed


def test_russian_seat_vetoes_include_the_ussr_labelled(client, named):
    html = page(client, "russian-federation")
    section = html[html.index('id="vetoes-heading"') : html.index('id="agreement-heading"')]
    ussr = Veto.objects.filter(state__code="SUN", draft__is_published=True).count()
    russia = Veto.objects.filter(state__code="RUS", draft__is_published=True).count()
    assert f'USSR: {ussr}</a> <span class="meta">(the predecessor' in section
    assert f"Russian Federation: {russia}</a>" in section
    assert f"{ussr + russia} vetoes from this permanent seat" in section


def test_ussr_page_shows_the_seat_it_held(client, named):
    html = page(client, "ussr")
    assert "Vetoes cast from Russian Federation (with the USSR to 1991)" in html
    assert "(the successor in the seat, from 24 December 1991)" in html


def test_elected_members_have_no_veto_section(client, named):
    assert 'id="vetoes-heading"' not in page(client, "ghana")


def test_agreement_with_each_permanent_seat(client, named):
    html = page(client, "ghana")
    result = analytics.country_agreement(MemberState.objects.get(code="GHA"))
    for label, code in (
        ("China (with the Republic of China to 1971)", "CHN"),
        ("United States", "USA"),
    ):
        row = re.search(
            rf"<th scope=\"row\">{re.escape(label)}</th>"
            r"<td class=\"num\">(\d+)</td><td class=\"num\">(\d+)</td>",
            html,
        )
        assert (int(row.group(1)), int(row.group(2))) == (result[code].same, result[code].both)


def test_unknown_country_is_404(client, named):
    assert client.get(reverse("resolutions:country", args=["atlantis"])).status_code == 404


def test_countries_index_lists_members_with_their_years(client, named):
    html = client.get(reverse("resolutions:countries")).content.decode()
    assert 'href="/countries/ghana/">Ghana</a> <span class="meta">1986–2023, 2 terms' in html
    assert 'href="/countries/france/">France</a> <span class="meta">1945–present' in html
