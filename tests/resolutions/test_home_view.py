"""The home page's figures and latest votes, the search box and symbol permalinks."""

import pytest
from django.urls import reverse

from resolutions.models import Draft
from tests.samples import sample_size
from votes.choices import Modality
from votes.models import Veto

pytestmark = pytest.mark.django_db


@sample_size(20)
def test_headline_figures_recount(client, sample):
    named = sample
    html = client.get(reverse("resolutions:home")).content.decode()
    published = Draft.objects.published()
    votes = published.count()
    recorded = published.filter(modality=Modality.RECORDED_VOTE).count()
    vetoed = published.vetoed().count()
    vetoes = Veto.objects.filter(draft__is_published=True).count()
    assert f"<strong>{votes}</strong> votes recorded" in html
    assert f"{recorded} by a recorded vote" in html
    assert f"<strong>{vetoed}</strong> drafts vetoed" in html
    assert f"{vetoes} vetoes by seat" in html
    assert vetoes > vetoed  # the seed and the 1987 veto each had two vetoing seats
    assert named["unpublished"].draft_symbol not in html


@sample_size("small")
def test_latest_vote_and_latest_veto(client, sample):
    html = client.get(reverse("resolutions:home")).content.decode()
    assert "Latest vote" in html
    assert "Vetoed by China, Russian Federation" in html
    assert "26 May 2022" in html


@pytest.mark.parametrize(
    "query", ["S/2022/431", "s/2022/431", "S/PV.9048", "SC/14911", " S/2022/431 "]
)
@sample_size("small")
def test_search_goes_straight_to_the_record(client, query, sample):
    draft = sample["seed"]
    response = client.get(reverse("resolutions:search"), {"q": query})
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


@sample_size(0)
def test_search_by_resolution_number_in_every_form(client, sample):
    named = sample
    for query in ("640", "S/RES/640 (1989)", "S/RES/640(1989)", "resolution 640"):
        response = client.get(reverse("resolutions:search"), {"q": query})
        assert response["Location"] == named["absent"].get_absolute_url(), query


@sample_size("small")
def test_search_for_words_or_an_unknown_symbol_goes_to_the_list(client, sample):
    response = client.get(reverse("resolutions:search"), {"q": "Korea"})
    assert response["Location"] == "/votes/?q=Korea"
    response = client.get(reverse("resolutions:search"), {"q": "S/2099/1"})
    assert response["Location"] == "/votes/?q=S%2F2099%2F1"


@pytest.mark.parametrize("path", ["/S/2022/431", "/S/PV.9048"])
@sample_size("small")
def test_symbol_permalinks_redirect_to_the_vote(client, path, sample):
    draft = sample["seed"]
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()


@sample_size(0)
def test_resolution_permalink_with_or_without_a_space(client, sample):
    named = sample
    for path in ("/S/RES/640(1989)", "/S/RES/640%20(1989)"):
        response = client.get(path)
        assert response["Location"] == named["absent"].get_absolute_url(), path


@sample_size("small")
def test_unknown_symbol_permalink_is_a_404_with_a_search_box(client, sample):
    response = client.get("/S/2099/1")
    assert response.status_code == 404
    assert client.get("/S/not-a-symbol").status_code == 404


@sample_size(0)
def test_unpublished_symbols_do_not_resolve(client, sample):
    named = sample
    assert client.get("/" + named["unpublished"].draft_symbol).status_code == 404
