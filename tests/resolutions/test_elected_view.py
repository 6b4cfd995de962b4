"""The elected members against each permanent seat: figures recounted from the member votes."""

import csv
import io
import json
import re
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from resolutions.models import Draft
from votes.analytics import MIN_VOTES
from votes.choices import Modality, Position

pytestmark = pytest.mark.django_db
CAST = {Position.YES, Position.NO, Position.ABSTAIN}


@pytest.fixture
def named(sample):
    return sample


def recount(first: int, last: int) -> dict[tuple[str, str], tuple[int, int, float | None]]:
    """{(state slug, seat): (same, n, kappa)} by this test's own arithmetic."""
    drafts = Draft.objects.filter(
        is_published=True,
        modality=Modality.RECORDED_VOTE,
        date__year__gte=first,
        date__year__lte=last,
    ).prefetch_related("member_votes__state", "member_votes__seat")
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for draft in drafts:
        votes = list(draft.member_votes.all())
        seats = {v.seat.code: v.position for v in votes if v.seat and v.position in CAST}
        for vote in votes:
            if vote.seat is None and vote.position in CAST:
                for code, position in seats.items():
                    pairs[(vote.state.slug, code)].append((vote.position, position))
    found = {}
    for key, cast in pairs.items():
        n = len(cast)
        same = sum(a == b for a, b in cast)
        of_a, of_b = Counter(a for a, _ in cast), Counter(b for _, b in cast)
        expected = sum(of_a[p] * of_b[p] for p in CAST) / n**2
        kappa = None if expected == 1 else (same / n - expected) / (1 - expected)
        found[key] = (same, n, kappa)
    return found


def test_downloads_recount_every_member_and_seat(client, named):
    url = reverse("resolutions:p5_elected_data", args=["json"]) + "?from=1986&to=2022"
    data = json.loads(client.get(url).content)
    assert data["source"].startswith("Source: UN Dag Hammarskjöld Library") and data["rule"]
    expected = recount(1986, 2022)
    got = {(r["state"], r["seat"]): r for r in data["rows"] if r["both"]}
    assert set(got) == set(expected)
    assert any(v[2] is not None for v in expected.values())
    for key, (same, n, kappa) in expected.items():
        row = got[key]
        assert (row["same"], row["both"]) == (same, n), key
        assert row["kappa"] == (None if kappa is None else round(kappa, 4)), key
    lines = client.get(reverse("resolutions:p5_elected_data", args=["csv"]) + "?from=1986&to=2022")
    rows = list(
        csv.DictReader(
            io.StringIO("\n".join(x for x in lines.content.decode().splitlines() if x[:1] != "#"))
        )
    )
    assert len(rows) == len(data["rows"])


def test_page_has_one_row_per_elected_member_of_the_year(client, named):
    html = client.get(reverse("resolutions:p5_elected") + "?from=2022&to=2022").content.decode()
    members = {slug for slug, _ in recount(2022, 2022)}
    assert members and "ghana" in members
    rows = re.findall(r'<td data-label="Elected member"[^>]*><a href="/countries/([\w-]+)/">', html)
    assert sorted(rows) == sorted(members)
    assert "κ" in html and "left out" in html


def test_default_is_the_latest_year(client, named):
    default = client.get(reverse("resolutions:p5_elected")).content.decode()
    latest = Draft.objects.published().latest("date").date.year
    assert f"against each permanent seat, {latest}</h1>" in default


def test_sortable_by_a_seats_kappa(client, named):
    url = reverse("resolutions:p5_elected") + "?from=1986&to=2022&sort=-RUS_kappa"
    html = client.get(url).content.decode()
    order = re.findall(r'<a href="/countries/([\w-]+)/">', html.split("<tbody>")[1])
    expected = recount(1986, 2022)
    kappas = [expected.get((slug, "RUS"), (0, 0, None))[2] for slug in order]
    defined = [k for k in kappas if k is not None]
    assert defined == sorted(defined, reverse=True)
    assert kappas[: len(defined)] == defined  # undefined ones last


def test_invalid_period_says_why(client, named):
    bad = client.get(reverse("resolutions:p5_elected_data", args=["csv"]) + "?from=abc")
    assert bad.status_code == 400
    page = client.get(reverse("resolutions:p5_elected") + "?from=abc").content.decode()
    assert "could not be used and were ignored" in page


def test_linked_from_the_p5_page_and_country_pages(client, named):
    link = reverse("resolutions:p5_elected")
    assert link in client.get(reverse("resolutions:p5")).content.decode()
    assert link in client.get(reverse("resolutions:country", args=["ghana"])).content.decode()


def test_country_page_shows_its_own_term_row(client, named):
    html = client.get(reverse("resolutions:country", args=["ghana"])).content.decode()
    expected = recount(2022, 2023)
    same, n, kappa = expected[("ghana", "FRA")]
    shown_kappa = "—" if kappa is None else f"{kappa:.2f}".replace("-", "−")
    line = re.search(r"<li>Ghana, <a [^>]*>2022–23</a>: voted with (.*?)</li>", html).group(1)
    assert f"France {same / n * 100:.0f}% (κ {shown_kappa}, n {n})" in line


def test_country_rows_name_the_seats_holder_of_the_day(client, named):
    html = client.get(reverse("resolutions:country", args=["ghana"])).content.decode()
    earlier = re.search(r"<li>Ghana, <a [^>]*>1986–90</a>: voted with (.*?)</li>", html).group(1)
    assert "USSR " in earlier and "Russian Federation" not in earlier


def test_cells_on_few_votes_are_greyed_with_their_n(client, named):
    html = client.get(reverse("resolutions:p5_elected") + "?from=2022&to=2022").content.decode()
    _, n, _ = recount(2022, 2022)[("ghana", "USA")]
    assert n < 20  # the sample's one year holds a handful of votes
    ghana = html[html.index('href="/countries/ghana/"') :]
    cell = re.search(
        r'<td data-label="With US" class="([^"]*)">[^<]*<span class="meta">n (\d+)', ghana
    )
    assert "few" in cell.group(1).split() and int(cell.group(2)) == n


def test_chart_has_a_cell_per_member_and_seat_matching_the_table(client, named):
    html = client.get(reverse("resolutions:p5_elected") + "?from=1986&to=2022").content.decode()
    recounted = recount(1986, 2022)
    members = sorted({slug for slug, _ in recounted})
    svg = re.search(r'<svg class="chart chart--heatmap".*?</svg>', html, re.S)
    assert svg and 'role="group"' in svg.group(0)
    cells = re.findall(
        r'<g class="heat-cell" role="img" aria-label="([^"]*)">.*?'
        r'<text class="cell-text[^"]*"[^>]*>([^<]*)</text></g>',
        svg.group(0),
    )
    assert len(cells) == len(members) * 5
    for label, text in cells:
        assert label.startswith(text + " "), (label, text)  # what is read is what is seen
    table = re.findall(r'<td data-label="With [^"]+" class="[^"]*">([^<]*?) <span', html)
    assert [text for _, text in cells] == [t.strip() for t in table]
    # And both agree with this test's own count, cell by cell, in table order (by name).
    names = re.findall(
        r'<td data-label="Elected member"[^>]*><a href="/countries/([\w-]+)/">', html
    )
    expected = []
    for slug in names:
        for code in ("CHN", "FRA", "RUS", "GBR", "USA"):
            same, n, _ = recounted.get((slug, code), (0, 0, None))
            expected.append("—" if not n else f"{same / n * 100:.0f}%")
    assert [text for _, text in cells] == expected
    few = re.findall(r'<rect class="cell [^"]*cell--few', svg.group(0))
    seats = ("CHN", "FRA", "RUS", "GBR", "USA")
    greyed = [s for s in names for c in seats if recounted.get((s, c), (0, 0))[1] < MIN_VOTES]
    assert len(few) == len(greyed)
