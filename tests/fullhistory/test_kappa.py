"""Cohen's kappa on the whole record, recounted from the member votes without votes.analytics."""

from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from resolutions.models import Draft
from votes.choices import Modality, Position
from votes.models import MemberVote

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]
CAST = {Position.YES, Position.NO, Position.ABSTAIN}


def seat_votes(first=None, last=None) -> dict[int, dict[str, str]]:
    drafts = Draft.objects.filter(is_published=True, modality=Modality.RECORDED_VOTE)
    if first:
        drafts = drafts.filter(date__year__gte=first, date__year__lte=last)
    by_draft: dict[int, dict[str, str]] = defaultdict(dict)
    for draft_id, seat, position in MemberVote.objects.filter(
        draft__in=drafts, seat__isnull=False
    ).values_list("draft_id", "seat__code", "position"):
        by_draft[draft_id][seat] = position
    return by_draft


def kappa(a, b, first=None, last=None) -> tuple[float, int]:
    pairs = [(s[a], s[b]) for s in seat_votes(first, last).values() if {s.get(a), s.get(b)} <= CAST]
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
