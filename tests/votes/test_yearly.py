"""The per-year counts (votes/yearly.py) equal a recount from the member votes, row by
row in Python, after a sample is built, after an editor's changes through the admin,
after a draft is deleted and after an import; and the pages' figures read nothing else."""

from collections import defaultdict

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resolutions.models import Draft, Standing, stored_resolution_gaps
from tests.resolutions.test_admin_setup import change_post, change_url, errors_of
from votes import analytics
from votes.choices import Modality, Outcome, Position, TermKind, evidence_of
from votes.models import (
    AgreementYear,
    CoverageYear,
    DraftYear,
    MembershipTerm,
    MemberState,
    MemberVote,
    ResolutionGap,
    StateYear,
    Veto,
    VetoYear,
    VoteYear,
)
from votes.seats import SEAT_ORDER

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db
CAST = {Position.YES, Position.NO, Position.ABSTAIN}


def _published() -> dict[int, Draft]:
    return {d.pk: d for d in Draft.objects.filter(is_published=True)}


def _votes_by_draft(drafts: dict[int, Draft]) -> dict[int, list[MemberVote]]:
    by_draft: dict[int, list[MemberVote]] = defaultdict(list)
    for vote in MemberVote.objects.filter(draft_id__in=drafts):
        by_draft[vote.draft_id].append(vote)
    return by_draft


def recount_agreement() -> dict[tuple, int]:
    """Every cast vote against every other state's cast vote from a permanent seat."""
    drafts = _published()
    cells: dict[tuple, int] = defaultdict(int)
    for draft_id, votes in _votes_by_draft(drafts).items():
        if drafts[draft_id].modality != Modality.RECORDED_VOTE:
            continue
        year = drafts[draft_id].date.year
        for mine in votes:
            for other in votes:
                cast = mine.position in CAST and other.position in CAST
                if cast and other.seat_id and other.state_id != mine.state_id:
                    key = (year, mine.state_id, mine.seat_id, other.seat_id)
                    cells[(*key, mine.position, other.position)] += 1
    return dict(cells)


def stored_agreement() -> dict[tuple, int]:
    return {
        (r.year, r.state_id, r.member_seat_id, r.seat_id, r.position, r.seat_position): r.votes
        for r in AgreementYear.objects.all()
    }


def recount_states() -> dict[tuple, list]:
    """Per year, state, name, modality and position: votes, first date, and the drafts
    on which the state was decisive, alone, or saw a near-miss."""
    drafts = _published()
    stood = set(Standing.objects.values_list("draft_id", "state_id", "kind"))
    rows: dict[tuple, list] = {}
    for draft_id, votes in _votes_by_draft(drafts).items():
        draft = drafts[draft_id]
        for vote in votes:
            key = (draft.date.year, vote.state_id, vote.name_at_vote, draft.modality, vote.position)
            row = rows.setdefault(key, [0, draft.date, 0, 0, 0])
            row[0] += 1
            row[1] = min(row[1], draft.date)
            row[2] += (draft_id, vote.state_id, Standing.Kind.DECISIVE) in stood
            row[3] += (draft_id, vote.state_id, Standing.Kind.ISOLATED) in stood
            row[4] += draft.near_miss
    return rows


def stored_states() -> dict[tuple, list]:
    return {
        (r.year, r.state_id, r.name_at_vote, r.modality, r.position): [
            r.votes,
            r.first,
            r.decisive,
            r.isolated,
            r.near_miss,
        ]
        for r in StateYear.objects.all()
    }


def recount_vetoes() -> dict[tuple, list]:
    drafts = _published()
    rows: dict[tuple, list] = {}
    for veto in Veto.objects.filter(draft_id__in=drafts):
        on = drafts[veto.draft_id].date
        row = rows.setdefault(
            (on.year, veto.seat_id, veto.state_id, veto.name_at_vote), [0, on, on]
        )
        row[0] += 1
        row[1], row[2] = min(row[1], on), max(row[2], on)
    return rows


def stored_vetoes() -> dict[tuple, list]:
    return {
        (r.year, r.seat_id, r.state_id, r.name_at_vote): [r.vetoes, r.first, r.last]
        for r in VetoYear.objects.all()
    }


def recount_drafts() -> dict[int, list[int]]:
    """Per year: published drafts; recorded votes with all five seats; those split;
    the recorded votes, vetoed and failed, each with how many have member votes."""
    drafts = _published()
    votes = _votes_by_draft(drafts)
    years: dict[int, list[int]] = {}
    for draft in drafts.values():
        row = years.setdefault(draft.date.year, [0] * 9)
        row[0] += 1
        if draft.modality != Modality.RECORDED_VOTE:
            continue
        seats = [v.position for v in votes.get(draft.pk, []) if v.seat_id]
        if len(seats) == len(SEAT_ORDER):
            row[1] += 1
            row[2] += len(set(seats)) > 1
        voted = draft.pk in votes
        row[3], row[4] = row[3] + 1, row[4] + voted
        if draft.outcome == Outcome.VETOED:
            row[5], row[6] = row[5] + 1, row[6] + voted
        if draft.outcome in (Outcome.VETOED, Outcome.NOT_ADOPTED):
            row[7], row[8] = row[7] + 1, row[8] + voted
    return years


def stored_drafts() -> dict[int, list[int]]:
    return {
        r.year: [
            r.drafts,
            r.p5_recorded,
            r.p5_divided,
            r.recorded,
            r.recorded_with_votes,
            r.vetoed,
            r.vetoed_with_votes,
            r.failed,
            r.failed_with_votes,
        ]
        for r in DraftYear.objects.all()
    }


WEAKEST = {"compiled": 0, "deduced": 1, "editor": 2, "official": 3}


def recount_coverage() -> dict[tuple, int]:
    """Per year and outcome: published drafts by what backs their member votes, each
    classed in Python by the worklist's rule (incomplete_votes) and the weakest
    evidence among its votes."""
    drafts = {d.pk: d for d in Draft.objects.published()}
    incomplete = set(Draft.objects.incomplete_votes().values_list("pk", flat=True))
    votes = _votes_by_draft(drafts)
    cells: dict[tuple, int] = defaultdict(int)
    for draft in drafts.values():
        evidence = {str(evidence_of(v.source)) for v in votes.get(draft.pk, [])}
        if draft.modality != Modality.RECORDED_VOTE:
            kind = ""
        elif not evidence:
            kind = "none"
        elif draft.pk in incomplete:
            kind = "incomplete"
        else:
            kind = min(evidence, key=WEAKEST.__getitem__)
        cells[(draft.date.year, draft.outcome, kind)] += 1
    return dict(cells)


def stored_coverage() -> dict[tuple, int]:
    return {(r.year, r.outcome, r.votes): r.drafts for r in CoverageYear.objects.all()}


def recount_votes() -> dict[tuple, int]:
    """Per year and kind: published votes of every kind (the sitemap's pages)."""
    cells: dict[tuple, int] = defaultdict(int)
    for draft in _published().values():
        cells[(draft.date.year, draft.kind)] += 1
    return dict(cells)


def stored_votes() -> dict[tuple, int]:
    return {(r.year, r.kind): r.votes for r in VoteYear.objects.all()}


def recount_gaps() -> list[int]:
    """Every number from 1 below the highest held that no draft carries, published or
    not, counted in Python."""
    held = set(
        Draft.objects.exclude(resolution_number=None).values_list("resolution_number", flat=True)
    )
    return [n for n in range(1, max(held, default=0)) if n not in held]


def stored_gaps() -> list[int]:
    return [n for r in ResolutionGap.objects.order_by("first") for n in range(r.first, r.last + 1)]


def assert_counts_match_a_recount() -> None:
    assert stored_agreement() == recount_agreement()
    assert stored_states() == recount_states()
    assert stored_vetoes() == recount_vetoes()
    assert stored_drafts() == recount_drafts()
    assert stored_coverage() == recount_coverage()
    assert stored_votes() == recount_votes()
    missing = recount_gaps()
    assert stored_gaps() == missing
    # What /data/ reads, against the queryset's own count of the numbers held.
    for limit in (1, 20, 100):
        assert stored_resolution_gaps(limit) == (len(missing), missing[:limit])
        assert stored_resolution_gaps(limit) == Draft.objects.resolution_number_gaps(limit)


def test_the_counts_of_a_sample_are_a_recount_of_its_votes(sample):
    assert AgreementYear.objects.exists() and VetoYear.objects.exists()
    assert_counts_match_a_recount()


def test_an_editors_change_of_a_vote_and_of_a_date_is_counted_at_once(sample, admin_client):
    draft = sample["us_uk_veto"]  # 9 April 1987; the sample's Council sits 1986-90
    counted_before = stored_drafts()
    # France abstains instead of voting no, and the vote moves from 1987 to 1989.
    post = change_post(draft, {"FRA": "A", "GBR": "A"}, date="1989-04-09")
    response = admin_client.post(change_url(draft), post)
    assert response.status_code == 302, errors_of(response)
    draft.refresh_from_db()
    assert (draft.date.year, draft.outcome) == (1989, "vetoed")
    assert_counts_match_a_recount()
    # The year it left lost a draft and the year it joined gained one.
    assert stored_drafts()[1987][0] == counted_before[1987][0] - 1
    assert stored_drafts()[1989][0] == counted_before[1989][0] + 1


def test_an_editors_new_resolution_number_moves_the_gaps_at_once(sample, admin_client):
    held = Draft.objects.exclude(resolution_number=None)
    draft = held.adopted().order_by("resolution_number").first()
    old, top = draft.resolution_number, max(held.values_list("resolution_number", flat=True))
    # Its number goes missing, and so do the two numbers past the highest held.
    post = change_post(draft, resolution_number=top + 3)
    response = admin_client.post(change_url(draft), post)
    assert response.status_code == 302, errors_of(response)
    assert {old, top + 1, top + 2} <= set(stored_gaps())
    assert_counts_match_a_recount()


def test_unpublishing_a_draft_takes_it_out_of_every_count(sample, admin_client):
    draft = sample["seed"]
    response = admin_client.post(change_url(draft), change_post(draft, is_published=False))
    assert response.status_code == 302
    assert_counts_match_a_recount()


def test_a_deleted_draft_leaves_the_counts(sample):
    Draft.objects.get(pk=sample["seed"].pk).delete()
    assert_counts_match_a_recount()


# What the P5 page, the elected members' page, the country pages and their
# downloads compute their figures from: the per-year tables and the seats' and
# states' names, never the member votes, vetoes, standings or drafts.
READ_ONLY = (
    "votes_agreementyear",
    "votes_stateyear",
    "votes_vetoyear",
    "votes_draftyear",
    "votes_permanentseat",
    "votes_memberstate",
)
RAW = ("votes_membervote", "votes_veto", "resolutions_standing", "resolutions_draft")


def _tables_read(call) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        call()
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "figure",
    [
        lambda: [analytics.chart_rows(c) for c in ("vetoes", "agreement", "pair", "divisions")],
        lambda: analytics.chart_rows("pair", 1980, 1999, pair=("RUS", "USA")),
        lambda: analytics.elected_rows(1986, 2022),
        lambda: analytics.year_span(),
        lambda: analytics.worked_kappa("CHN", "USA"),
        lambda: analytics.vetoes_by_holder(seat_code="RUS"),
    ],
)
def test_the_p5_figures_read_only_the_yearly_counts(sample, figure):
    for sql in _tables_read(figure):
        assert not [t for t in RAW if f'"{t}"' in sql], sql


def test_a_country_pages_figures_read_only_the_yearly_counts(sample):
    state = MemberState.objects.get(slug="ghana")

    def figures():
        analytics.position_counts(state)
        analytics.over_years(analytics.state_agreement_per_year(state))
        analytics.standing_counts(state)

    reads = _tables_read(figures)
    assert len(reads) == 3
    for sql in reads:
        assert not [t for t in RAW if f'"{t}"' in sql], sql


def test_a_new_term_reclasses_the_drafts_of_its_days(sample):
    """Who sat decides whether a draft has every member's vote: a term added for a
    state with no vote that day makes the day's drafts incomplete in the counts."""
    draft = sample["us_uk_veto"]  # 9 April 1987
    on = draft.date
    sitting = MembershipTerm.objects.on(on).values("state")
    state = MemberState.objects.exclude(pk__in=sitting).order_by("pk").first()
    before = stored_coverage()
    MembershipTerm.objects.create(
        state=state,
        start=on.replace(month=1, day=1),
        end=on.replace(month=12, day=31),
        kind=TermKind.ELECTED,
    )
    assert stored_coverage() != before
    assert stored_coverage() == recount_coverage()
    assert draft.pk in set(Draft.objects.incomplete_votes().values_list("pk", flat=True))
