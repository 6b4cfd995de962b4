"""P5 agreement, divisions and veto counts, each recounted in Python from the member votes."""

from collections import Counter, defaultdict
from datetime import date

import pytest

from resolutions.models import Draft
from tests.factories import recorded_draft
from votes import analytics
from votes.choices import Modality, Position
from votes.models import MemberState, MemberVote, Veto
from votes.seats import PAIRS, SEAT_ORDER

pytestmark = pytest.mark.django_db
CAST = {Position.YES, Position.NO, Position.ABSTAIN}


def seat_positions(first=None, last=None) -> dict[int, dict[str, str]]:
    """{draft id: {seat: position}} over published recorded votes, read row by row."""
    drafts = Draft.objects.published().filter(modality=Modality.RECORDED_VOTE)
    if first:
        drafts = drafts.filter(date__year__gte=first)
    if last:
        drafts = drafts.filter(date__year__lte=last)
    by_draft: dict[int, dict[str, str]] = defaultdict(dict)
    for draft_id, seat, position in MemberVote.objects.filter(
        draft__in=drafts, seat__isnull=False
    ).values_list("draft_id", "seat__code", "position"):
        by_draft[draft_id][seat] = position
    return by_draft


def recount_pair(a, b, first=None, last=None) -> tuple[int, int]:
    same = both = 0
    for seats in seat_positions(first, last).values():
        if seats.get(a) in CAST and seats.get(b) in CAST:
            both += 1
            same += seats[a] == seats[b]
    return same, both


@pytest.fixture
def named(sample):
    return sample


def test_agreement_matrix_recounts_every_pair(named):
    matrix = analytics.agreement_matrix()
    assert set(matrix) == set(PAIRS)
    for (a, b), result in matrix.items():
        assert (result.same, result.both) == recount_pair(a, b), (a, b)
    assert matrix[("CHN", "RUS")].same < matrix[("CHN", "RUS")].both


def test_agreement_matrix_for_a_period(named):
    matrix = analytics.agreement_matrix(1987, 1989)
    for (a, b), result in matrix.items():
        assert (result.same, result.both) == recount_pair(a, b, 1987, 1989)


def test_an_absent_member_is_left_out_of_its_pairs(named):
    # 1989: China absent on S/RES/640; that draft counts for no pair with China.
    with_absent = analytics.agreement_matrix(1989, 1989)[("CHN", "FRA")].both
    without = analytics.agreement_matrix(1989, 1989)[("FRA", "GBR")].both
    assert with_absent == without - 1


def test_unpublished_and_without_vote_drafts_are_not_counted(named):
    before = analytics.agreement_matrix()[("FRA", "USA")]
    recorded_draft(date(1990, 3, 1), {"FRA": Position.NO}, is_published=False)
    recorded_draft(date(1990, 3, 2), modality=Modality.WITHOUT_VOTE)
    assert analytics.agreement_matrix()[("FRA", "USA")] == before


def test_pair_per_year_recounts_each_year(named):
    rows = analytics.pair_per_year("CHN", "USA")
    assert rows
    for row in rows:
        assert (row["same"], row["both"]) == recount_pair("CHN", "USA", row["year"], row["year"])


def test_russia_includes_the_ussr(named):
    rows = {r["year"]: r for r in analytics.pair_per_year("RUS", "USA")}
    assert 1986 in rows and 2022 in rows


def test_divisions_per_year_recount(named):
    rows = analytics.divisions_per_year()
    assert rows
    for row in rows:
        positions = [
            seats
            for seats in seat_positions(row["year"], row["year"]).values()
            if len(seats) == len(SEAT_ORDER)
        ]
        divided = sum(len(set(seats.values())) > 1 for seats in positions)
        assert (row["divided"], row["total"]) == (divided, len(positions)), row["year"]


def test_veto_counts_by_year_decade_and_holder_recount_the_rows(named):
    vetoes = Veto.objects.filter(draft__is_published=True).values_list(
        "draft__date", "seat__code", "state__code", "name_at_vote"
    )
    by_year = Counter((d.year, seat) for d, seat, _, _ in vetoes)
    by_decade = Counter((d.year // 10 * 10, seat) for d, seat, _, _ in vetoes)
    by_holder = Counter((seat, name) for _, seat, _, name in vetoes)
    assert {(r["year"], r["seat"]): r["count"] for r in analytics.vetoes_per_year()} == by_year
    assert {
        (r["decade"], r["seat"]): r["count"] for r in analytics.vetoes_per_decade()
    } == by_decade
    assert {(r["seat"], r["name"]): r["count"] for r in analytics.vetoes_by_holder()} == by_holder
    assert by_holder[("RUS", "USSR")] >= 1


def test_country_agreement_recounts(named):
    ghana = MemberState.objects.get(code="GHA")
    own = dict(
        MemberVote.objects.filter(
            state=ghana, draft__is_published=True, draft__modality=Modality.RECORDED_VOTE
        ).values_list("draft_id", "position")
    )
    positions = seat_positions()
    result = analytics.country_agreement(ghana)
    for code in SEAT_ORDER:
        both = [d for d, p in own.items() if p in CAST and positions[d].get(code) in CAST]
        same = [d for d in both if own[d] == positions[d][code]]
        assert (result[code].same, result[code].both) == (len(same), len(both)), code


def test_country_agreement_of_a_permanent_member_leaves_out_itself(named):
    result = analytics.country_agreement(MemberState.objects.get(code="CHN"))
    assert result["CHN"].both == 0
    assert result["RUS"].both > 0


def test_position_counts_split_recorded_votes_from_adoptions_without_a_vote(named):
    ghana = MemberState.objects.get(code="GHA")
    counts = analytics.position_counts(ghana)
    rows = MemberVote.objects.filter(state=ghana, draft__is_published=True)
    for position in Position.values:
        assert (
            counts.recorded[position]
            == rows.filter(position=position, draft__modality=Modality.RECORDED_VOTE).count()
        )
    assert counts.without_vote == rows.exclude(draft__modality=Modality.RECORDED_VOTE).count() == 1
    assert counts.names == ["Ghana"]


def recount_kappa(a, b, first=None, last=None) -> tuple[float | None, int]:
    """Cohen's kappa of two seats by this test's own arithmetic, and n."""
    pairs = [
        (seats[a], seats[b])
        for seats in seat_positions(first, last).values()
        if seats.get(a) in CAST and seats.get(b) in CAST
    ]
    n = len(pairs)
    if not n:
        return None, 0
    observed = sum(x == y for x, y in pairs) / n
    of_a, of_b = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    expected = sum(of_a[p] * of_b[p] for p in CAST) / (n * n)
    if expected == 1:
        return None, n
    return (observed - expected) / (1 - expected), n


@pytest.mark.parametrize("period", [(None, None), (1986, 1990)])
@pytest.mark.parametrize("pair", [("CHN", "USA"), ("RUS", "USA"), ("FRA", "GBR")])
def test_kappa_recounts_three_pairs_over_two_periods(named, pair, period):
    result = analytics.agreement_matrix(*period)[pair]
    kappa, n = recount_kappa(*pair, *period)
    assert result.both == n
    if kappa is None:
        assert result.kappa is None
    else:
        assert result.kappa == pytest.approx(kappa, abs=1e-12)


def test_kappa_is_defined_and_below_raw_agreement_when_members_split(named):
    result = analytics.agreement_matrix()[("RUS", "USA")]
    assert result.kappa is not None and result.share is not None
    assert result.kappa < result.share


def test_kappa_of_the_yearly_series_recounts(named):
    for row in analytics.pair_per_year("RUS", "USA"):
        kappa, n = recount_kappa("RUS", "USA", row["year"], row["year"])
        assert row["both"] == n
        assert row["kappa"] == (None if kappa is None else round(kappa, 4)), row["year"]


def test_kappa_arithmetic_on_a_known_table():
    # 10 votes: both yes on 6, both no on 2, first yes and second abstaining on 2.
    result = analytics.Agreement.from_cells({("Y", "Y"): 6, ("N", "N"): 2, ("Y", "A"): 2})
    assert (result.same, result.both, result.first, result.second) == (8, 10, (8, 2, 0), (6, 2, 2))
    # p_o = 0.8; p_e = 0.8 * 0.6 + 0.2 * 0.2 = 0.52; kappa = 0.28 / 0.48.
    assert result.kappa == pytest.approx(0.28 / 0.48)
    unanimous = analytics.Agreement.from_cells({("Y", "Y"): 30})
    assert unanimous.share == 1 and unanimous.kappa is None
    assert analytics.Agreement(0, 0).kappa is None
    assert analytics.Agreement.from_cells({("Y", "Y"): 3}).few
