"""The coverage table, the worklist's rule, the uncovered periods and the caveats.

Every expected number is counted here from the test's own list of what it built,
never taken from the code under test.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from resolutions import coverage
from resolutions.coverage import Period, Scope, Span, uncovered
from resolutions.models import Draft, SourceImport
from resolutions.outcomes import refresh_outcomes
from resolutions.starter import load_starter_data
from tests.resolutions.test_pages_data import seat_elected
from votes.calendar import CouncilCalendar
from votes.choices import Modality, Outcome, Position, Source
from votes.models import MemberVote
from votes.seating import place_votes

pytestmark = pytest.mark.django_db

Y, N, A = Position.YES, Position.NO, Position.ABSTAIN

# What the test builds: (date, outcome, modality, votes) where votes is
# "all:<source>", "all-but-one:<source>", "p5:<deduced>+rest:<source>" or "none".
SPEC = [
    (date(1986, 3, 1), Outcome.ADOPTED, Modality.RECORDED_VOTE, "all:undl"),
    (date(1987, 4, 9), Outcome.VETOED, Modality.RECORDED_VOTE, "all:voting_agent"),
    (date(1987, 6, 9), Outcome.VETOED, Modality.RECORDED_VOTE, "none"),
    (date(1988, 5, 2), Outcome.VETOED, Modality.RECORDED_VOTE, "p5:deduced+rest:voting_agent"),
    (date(1989, 1, 5), Outcome.NOT_ADOPTED, Modality.RECORDED_VOTE, "all-but-one:dhl_meetings"),
    (date(1989, 2, 5), Outcome.ADOPTED, Modality.WITHOUT_VOTE, "none"),
    (date(2022, 2, 1), Outcome.VETOED, Modality.RECORDED_VOTE, "all:deduced"),
    (date(2022, 3, 1), Outcome.VETOED, Modality.RECORDED_VOTE, "p5:deduced+rest:undl"),
    (date(2022, 4, 1), Outcome.ADOPTED, Modality.RECORDED_VOTE, "all:unxml_adopted"),
    (date(2022, 4, 2), Outcome.NOT_ADOPTED, Modality.RECORDED_VOTE, "none"),
]


def expected_class(votes: str) -> str | None:
    """The class the test expects, by its own reading of SPEC."""
    if votes == "none":
        return "none"
    if votes.startswith("all-but-one"):
        return "incomplete"
    used = {part.split(":")[1] for part in votes.split("+")}
    if "voting_agent" in used:
        return "compiled"
    if "deduced" in used:
        return "deduced"
    return "official"


def positions_for(outcome: str, seat: str | None, on: date) -> str:
    # Vetoed: China and the Russian seat vote no; not adopted: most abstain.
    if outcome == Outcome.VETOED:
        return N if seat in ("CHN", "RUS") else Y
    if outcome == Outcome.NOT_ADOPTED:
        return A if seat is None else Y
    return Y


def source_for(votes: str, seat: str | None) -> str:
    parts = dict(p.split(":") for p in votes.split("+"))
    if "p5" in parts:
        return parts["p5"] if seat else parts["rest"]
    return next(iter(parts.values()))


def build(spec, calendar, *, published=True) -> list[Draft]:
    built = []
    for on, outcome, modality, votes in spec:
        sitting = calendar.sitting(on)
        fields = {}
        if votes == "none" and modality == Modality.RECORDED_VOTE:
            # Known only by its totals, as the Veto List and meetings tables give them.
            no = 2 if outcome == Outcome.VETOED else 0
            yes = 13 if outcome == Outcome.VETOED else 4
            fields = {
                "recorded_yes": yes,
                "recorded_no": no,
                "recorded_abstain": len(sitting) - yes - no,
                "recorded_vetoed_by": ["CHN", "RUS"] if no else [],
            }
        draft = Draft.objects.create(
            date=on, modality=modality, is_published=published, source=Source.SEED, **fields
        )
        members = [] if votes == "none" else list(sitting)
        if votes.startswith("all-but-one"):
            members = members[:-1]
        rows = [
            MemberVote(
                draft=draft,
                state_id=s.state_id,
                position=positions_for(outcome, s.seat, on),
                source=source_for(votes, s.seat),
            )
            for s in members
        ]
        place_votes(rows, calendar)
        MemberVote.objects.bulk_create(rows)
        built.append(draft)
    refresh_outcomes([d.pk for d in built])
    return built


@pytest.fixture
def record():
    seed = load_starter_data()  # S/2022/431: 15 votes from the starter data (an editor's)
    seat_elected(1986, 1990)
    calendar = CouncilCalendar()
    drafts = build(SPEC, calendar)
    # Never counted anywhere: an unpublished vetoed draft.
    build(
        [(date(1988, 9, 9), Outcome.VETOED, Modality.RECORDED_VOTE, "none")],
        calendar,
        published=False,
    )
    for draft, (_, outcome, _, _) in zip(drafts, SPEC, strict=True):
        draft.refresh_from_db()
        assert draft.outcome == outcome, draft  # the data is what the test means it to be
    seed.refresh_from_db()
    return {"seed": seed, "drafts": drafts}


def decade_of(on: date) -> str:
    return f"{on.year // 10 * 10}s"


def test_the_table_counts_each_decade_as_built(record):
    expected: dict[str, Counter] = {}
    rows = [*SPEC, (date(2022, 5, 26), Outcome.VETOED, Modality.RECORDED_VOTE, "seed")]
    for on, outcome, modality, votes in rows:
        counts = expected.setdefault(decade_of(on), Counter())
        counts["drafts"] += 1
        counts[str(outcome)] += 1
        if modality != Modality.RECORDED_VOTE:
            counts["without_vote"] += 1
        else:
            counts["editor" if votes == "seed" else expected_class(votes)] += 1

    table = coverage.decade_table()

    assert [row.label for row in table.rows] == sorted(expected)
    for row in table.rows:
        want = expected[row.label]
        assert row.drafts == want["drafts"]
        assert (row.adopted, row.vetoed, row.not_adopted) == (
            want["adopted"],
            want["vetoed"],
            want["not_adopted"],
        )
        assert row.without_vote == want["without_vote"]
        assert row.votes == {k: want[k] for k in coverage.CLASSES}
        # Each record is in exactly one of the member-vote columns or without a vote.
        assert sum(row.cells) + row.without_vote == row.drafts
    assert table.total.drafts == len(rows)


def test_the_worklist_is_the_incomplete_and_the_unvoted(record):
    incomplete = {
        d.pk
        for d, s in zip(record["drafts"], SPEC, strict=True)
        if s[2] == Modality.RECORDED_VOTE and expected_class(s[3]) in ("incomplete", "none")
    }
    assert set(Draft.objects.incomplete_votes().values_list("pk", flat=True)) == incomplete
    assert coverage.decade_table().worklist == len(incomplete)


def test_a_day_with_too_few_members_on_record_is_incomplete(record):
    # 1991: no elected terms on record, so only the five permanent members sat.
    calendar = CouncilCalendar()
    (draft,) = build(
        [(date(1991, 6, 1), Outcome.ADOPTED, Modality.RECORDED_VOTE, "all:undl")], calendar
    )
    assert draft.member_votes.count() == 5
    assert Draft.objects.incomplete_votes().filter(pk=draft.pk).exists()


def test_the_page_shows_the_table_and_the_worklist_count(record, client):
    html = client.get("/data/").content.decode()
    assert 'id="coverage"' in html
    assert "Every member's vote, from" in html
    expected = sum(
        1
        for s in SPEC
        if s[2] == Modality.RECORDED_VOTE and expected_class(s[3]) in ("incomplete", "none")
    )
    assert f"<strong>{expected}</strong> published recorded votes without every member" in html


# Periods no source covers ------------------------------------------------------------


def test_uncovered_finds_the_holes_between_spans():
    spans = [
        Span("a", date(1946, 1, 17), date(2022, 5, 26)),
        Span("b", date(2023, 3, 1), date(2025, 12, 31)),
        Span("c", date(1990, 1, 1), date(2000, 1, 1)),  # inside a: changes nothing
    ]
    assert uncovered(spans, date(1946, 1, 17), date(2025, 12, 31)) == [
        Period(date(2022, 5, 27), date(2023, 2, 28))
    ]
    assert uncovered([], date(2000, 1, 1), date(2000, 1, 9)) == [
        Period(date(2000, 1, 1), date(2000, 1, 9))
    ]
    # Touching spans leave no hole; a span ending early leaves the tail.
    touching = [
        Span("a", date(2000, 1, 1), date(2000, 1, 4)),
        Span("b", date(2000, 1, 5), date(2000, 1, 6)),
    ]
    assert uncovered(touching, date(2000, 1, 1), date(2000, 1, 9)) == [
        Period(date(2000, 1, 7), date(2000, 1, 9))
    ]


def said(source: str, on: date) -> dict:
    return {source: {"version": "v", "location": "line 1", "url": "", "values": {}}}


def test_periods_come_from_the_sources_records(client):
    # The Veto List and meetings tables end in May 2022, DGACM's drafts begin in 2023,
    # the voting data covers adopted resolutions throughout.
    made = [
        (Source.DHL_MEETINGS, date(1946, 2, 16)),
        (Source.DHL_MEETINGS, date(2022, 5, 26)),
        (Source.DHL_VETO, date(1946, 2, 16)),
        (Source.DHL_VETO, date(2022, 5, 26)),
        (Source.UNXML, date(2023, 3, 1)),
        (Source.UNXML, date(2025, 6, 4)),
        (Source.UNDL, date(1946, 1, 25)),
        (Source.UNDL, date(2025, 12, 30)),
        (Source.FAILED_DRAFTS_SAMPLE, date(2022, 9, 1)),  # a sample: covers nothing
    ]
    for source, on in made:
        Draft.objects.create(date=on, sources=said(source, on))
    spans = coverage.source_spans()
    first = {s: min(on for src, on in made if src == s) for s, _ in made}
    last = {s: max(on for src, on in made if src == s) for s, _ in made}
    assert {s: (span.first, span.last) for s, span in spans.items()} == {
        s: (first[s], last[s]) for s in first
    }
    periods = coverage.uncovered_periods(spans)
    lo, hi = min(first.values()), max(last.values())
    assert periods[Scope.ADOPTED] == []
    # Vetoed and not adopted: before the meetings tables' first record, and the hole.
    hole = Period(date(2022, 5, 27), date(2023, 2, 28))
    tail = Period(date(2025, 6, 5), hi)
    head = Period(lo, date(1946, 2, 15))
    assert periods[Scope.VETOED] == [head, hole, tail]
    assert periods[Scope.NOT_ADOPTED] == [head, hole, tail]
    html = client.get("/data/").content.decode()
    assert "27 May 2022 – 28 February 2023" in html


def test_freshness_names_each_sources_newest_version(client):
    loaded = datetime(2026, 2, 7, tzinfo=UTC)
    for version in ("2022-01-29 (reconstructed)", "2026-02-06"):
        SourceImport.objects.create(
            source=Source.UNDL, version=version, location="x", sha256="0" * 64
        )
    SourceImport.objects.create(
        source=Source.VOTING_AGENT, version="2025-11-30", location="y", sha256="1" * 64
    )
    SourceImport.objects.update(finished_at=loaded)
    found = {f.source: f for f in coverage.freshness({})}
    assert found[Source.UNDL].version == "2026-02-06"
    assert found[Source.UNDL].evidence == "Official UN source"
    assert found[Source.VOTING_AGENT].evidence == "Third-party compilation"
    html = client.get("/data/").content.decode()
    assert "2025-11-30" in html and "Third-party compilation" in html


# The caveats -----------------------------------------------------------------------------


def test_the_failed_drafts_caveat_is_counted_from_the_record(record):
    failed = [s for s in SPEC if s[1] in (Outcome.VETOED, Outcome.NOT_ADOPTED)]
    failed.append((date(2022, 5, 26), Outcome.VETOED, Modality.RECORDED_VOTE, "seed"))
    with_votes = [s for s in failed if s[3] != "none"]
    facts = coverage.failed_draft_facts()
    assert (facts.total, facts.with_votes) == (len(failed), len(with_votes))
    first = min(s[0].year for s in with_votes)
    assert facts.first_with_votes == first
    assert facts.since_first == sum(1 for s in failed if s[0].year >= first)
    text = coverage.failed_drafts_caveat(facts)
    assert f"Of the {len(failed)} drafts vetoed or not adopted, {len(with_votes)} have" in text
    # The earliest failed draft has member votes: no year before which none do.
    assert min(s[0].year for s in failed) == first
    assert "Before" not in text


def test_the_caveat_names_the_year_before_which_only_adopted_resolutions_have_votes():
    facts = coverage.FailedDraftFacts(
        total=321, with_votes=18, first_with_votes=2023, since_first=19, first_year=1946
    )
    text = coverage.failed_drafts_caveat(facts)
    assert "Before 2023 the member-by-member record is only adopted resolutions" in text
    assert "from 2023, 18 of the 19 vetoed or failed drafts have member votes." in text
    facts = coverage.FailedDraftFacts(total=4, with_votes=4, first_with_votes=1946, first_year=1946)
    assert coverage.failed_drafts_caveat(facts).startswith("All 4 vetoed or failed drafts")
