"""Cohen's kappa on the whole record, recounted from the member votes without votes.analytics."""

from collections import Counter

import pytest
from django.urls import reverse

from tests.votes.test_analytics import seat_positions
from votes.choices import Position
from votes.models import MemberVote

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]
CAST = {Position.YES, Position.NO, Position.ABSTAIN}


def kappa(a, b, first=None, last=None) -> tuple[float, int]:
    seats = seat_positions(first, last).values()
    pairs = [(s[a], s[b]) for s in seats if {s.get(a), s.get(b)} <= CAST]
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    of_a, of_b = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(of_a[p] * of_b[p] for p in CAST) / n**2
    return (observed - expected) / (1 - expected), n


@pytest.mark.parametrize("period", [(None, None), (2011, 2022)])
@pytest.mark.parametrize("pair", [("CHN", "USA"), ("RUS", "GBR"), ("FRA", "GBR")])
def test_kappa_download_matches_the_member_votes(client, history, pair, period):
    query = f"?matrix_from={period[0]}&matrix_to={period[1]}" if period[0] else ""
    rows = client.get(reverse("resolutions:p5_data", args=["agreement", "json"]) + query).json()
    row = next(r for r in rows["rows"] if (r["first"], r["second"]) == pair)
    expected, n = kappa(*pair, *period)
    assert row["both"] == n
    assert row["kappa"] == pytest.approx(expected, abs=5e-5)
    assert -1 <= row["kappa"] < row["share"] <= 1


def test_elected_download_matches_the_member_votes(client, history):
    # Ghana against each seat, 2022-23, from its own member votes and the seats'.
    url = reverse("resolutions:p5_elected_data", args=["json"]) + "?from=2022&to=2023"
    rows = {(r["state"], r["seat"]): r for r in client.get(url).json()["rows"]}
    by_draft = seat_positions(2022, 2023)
    ghana = dict(
        MemberVote.objects.filter(
            state__code="GHA", draft_id__in=by_draft, position__in=CAST
        ).values_list("draft_id", "position")
    )
    for code in ("CHN", "FRA", "RUS", "GBR", "USA"):
        pairs = [(p, by_draft[d][code]) for d, p in ghana.items() if by_draft[d].get(code) in CAST]
        n = len(pairs)
        same = sum(a == b for a, b in pairs)
        of_a, of_b = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
        expected = sum(of_a[p] * of_b[p] for p in CAST) / n**2
        row = rows[("ghana", code)]
        assert (row["same"], row["both"]) == (same, n), code
        assert row["kappa"] == pytest.approx((same / n - expected) / (1 - expected), abs=5e-5)
