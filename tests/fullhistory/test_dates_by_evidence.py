"""Displayed dates and meetings against the official meetings tables and the meeting order,
over the whole record (issue 10): recounted from the Library's yearly tables with regular
expressions, not with the project's parser.

S/PV.n are numbered in time, so a vote's date lies between the dates of the meetings
numbered either side of its own; a vote is taken on a day the Council met; and where the
table dates a vote's meeting and no other official source dates that vote otherwise, the
record shows the table's date (no Sunday or New Year's Day from the 1946-2021
reconstruction against it).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from resolutions.models import Draft

pytestmark = pytest.mark.realdata

MONTHS = {
    m: n
    for n, m in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
MONTH_NAMES = "|".join(MONTHS)
# A day as a cell gives it ("01 October", "27-28 March"), in any of the tables' layouts
# (cells of <td>, or of <th> with <p> and <span> inside, as in 1947).
DAY = rf">\s*(\d{{1,2}})(?:\s*-\s*(\d{{1,2}}))?\s+({MONTH_NAMES})\s*<"
# A meeting record and the first day written after it, in the next cell.
MEETING_DAY = re.compile(rf"(S/PV\.\d+)</(?:a|span)>(?:(?!S/PV\.).){{0,240}}?{DAY}", re.S)
# The official sources besides the meetings tables that date a vote.
OFFICIAL = {"undl", "unxml", "unxml_adopted", "dhl_veto", "dppa_vetoes"}
ANY_DAY = re.compile(DAY)
# A meeting held in parts on several days ("S/PV.4820 (Part II)", "(Resumption 1)"):
# a vote at a later part can follow later-numbered meetings.
IN_PARTS = re.compile(r"(S/PV\.\d+)\s*\((?:Part|Resum)", re.I)


class Tables:
    """What the yearly meetings tables say: each meeting's day, the days the Council met."""

    def __init__(self, shared_data):
        self.meeting_days: dict[str, set[date]] = defaultdict(set)
        self.days: dict[int, set[date]] = defaultdict(set)
        self.in_parts: set[str] = set()
        folder = shared_data / "dhl_meetings_tables"
        for page in folder.glob("scact[0-9][0-9][0-9][0-9]*_table_en.htm*"):
            year = int(page.name[5:9])
            html = page.read_text("utf-8", errors="replace")
            for meeting, first, last, month in MEETING_DAY.findall(html):
                if month in MONTHS and not last:  # a range of days names no one day
                    self.meeting_days[meeting].add(date(year, MONTHS[month], int(first)))
            self.in_parts |= set(IN_PARTS.findall(html))
            for first, last, month in ANY_DAY.findall(html):
                for day in {first, last or first}:
                    if month in MONTHS and int(day) <= 31:
                        self.days[year].add(_day(year, MONTHS[month], int(day)))
        self.days = {year: {d for d in days if d} for year, days in self.days.items()}

    def day_of(self, meeting: str | None) -> date | None:
        days = self.meeting_days.get(meeting or "", set())
        return next(iter(days)) if len(days) == 1 else None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


@pytest.fixture(scope="module")
def tables(shared_data) -> Tables:
    found = Tables(shared_data)
    assert len(found.meeting_days) > 5000 and len(found.days) >= 70
    return found


def _drafts():
    return list(
        # What the official sources date (compiled-only records and votes on
        # amendments are checked in test_compiled_only and test_amendments).
        Draft.objects.published()
        .officially_recorded()
        .filter(date__isnull=False)
        .select_related("meeting")
        .only("pk", "date", "draft_symbol", "resolution_number", "meeting__symbol", "sources")
    )


def _named(draft) -> str:
    return draft.draft_symbol or f"S/RES/{draft.resolution_number}"


def _other_official_dates(draft) -> set[str]:
    """The dates the official sources other than the meetings table give this vote (the
    1946-2021 reconstruction of the Library's voting data counts as the Library's: it
    gives the catalogue's date of adoption, S/RES/338 on 22 October 1973, where the
    table gives the day the night meeting began)."""
    return {
        entry["values"]["date"]
        for source, entry in (draft.sources or {}).items()
        if source in OFFICIAL and (entry.get("values") or {}).get("date")
    }


def test_meeting_numbers_run_in_date_order(history, tables):
    # Each vote's date lies within the dates the table gives the meetings numbered
    # either side of its own.
    dated = sorted(
        (int(m[5:]), d) for m, days in tables.meeting_days.items() if len(days) == 1 for d in days
    )
    numbers = [n for n, _ in dated]
    out_of_order = []
    for draft in _drafts():
        symbol = draft.meeting.symbol if draft.meeting else ""
        if not re.fullmatch(r"S/PV\.\d+", symbol) or symbol in tables.in_parts:
            continue
        number = int(symbol[5:])
        before = [d for n, d in dated[: _bisect(numbers, number)] if n < number]
        after = [d for n, d in dated[_bisect(numbers, number) :] if n > number]
        if (before and draft.date < before[-1]) or (after and draft.date > after[0]):
            out_of_order.append((_named(draft), symbol, draft.date))
    assert out_of_order == [], out_of_order


def _bisect(numbers: list[int], number: int) -> int:
    lo, hi = 0, len(numbers)
    while lo < hi:
        mid = (lo + hi) // 2
        if numbers[mid] < number:
            lo = mid + 1
        else:
            hi = mid
    return lo


def test_the_table_date_of_a_votes_meeting_is_shown_unless_an_official_source_differs(
    history, tables
):
    wrong = []
    for draft in _drafts():
        day = tables.day_of(draft.meeting.symbol if draft.meeting else None)
        if day is None or draft.date == day:
            continue
        if _other_official_dates(draft) - {day.isoformat()}:
            continue  # the official sources disagree: no agreement to follow
        wrong.append((_named(draft), draft.meeting.symbol, draft.date, day))
    assert wrong == [], wrong


def _given_first_hand(draft) -> set[str]:
    """The dates official sources give this vote, the 1946-2021 reconstruction left out."""
    return {
        entry["values"]["date"]
        for source, entry in (draft.sources or {}).items()
        if source in OFFICIAL
        and "reconstructed" not in str(entry.get("version", ""))
        and (entry.get("values") or {}).get("date")
    }


def test_no_sunday_or_new_year_against_the_table(history, tables):
    # A Sunday or 1 January that only the reconstruction gives, against the table's
    # date of the vote's meeting; the day after that date is a night meeting's vote
    # (S/RES/521 (1982): S/PV.2396 of Saturday 18 September, the resolution dated 19).
    odd = []
    for draft in _drafts():
        shown = draft.date
        if not (shown.weekday() == 6 or (shown.month, shown.day) == (1, 1)):
            continue
        day = tables.day_of(draft.meeting.symbol if draft.meeting else None)
        if day is None or 0 <= (shown - day).days <= 1:
            continue
        if shown.isoformat() not in _given_first_hand(draft):
            odd.append((_named(draft), shown, day))
    assert odd == [], odd


def test_no_vote_on_a_day_the_tables_show_no_meeting(history, tables):
    # Years the tables cover; a date the tables give no meeting, unless an official
    # source other than the reconstruction gives that very date.
    missing = [
        (_named(d), d.date)
        for d in _drafts()
        if d.date.year in tables.days
        and d.date not in tables.days[d.date.year]
        and d.date.isoformat() not in _other_official_dates(d)
    ]
    assert missing == [], missing


def test_every_vetoed_draft_whose_tally_settles_its_members_has_them(history, shared_data):
    # A veto with as many no votes as vetoing seats and no abstention: every other
    # member sitting (DPPA's membership file, recounted here) voted yes.
    path = sorted((shared_data / "dppa_sc_membership").glob("*.csv"))[-1]
    with path.open(encoding="utf-8") as handle:
        sitting = Counter(r["year"] for r in csv.DictReader(handle))
    settled = [
        d
        for d in Draft.objects.filter(outcome="vetoed", recorded_abstain=0).prefetch_related(
            "member_votes", "vetoes"
        )
        if d.recorded_no == d.vetoes.count()
        and d.recorded_yes + d.recorded_no == sitting[str(d.date.year)]
    ]
    assert settled
    short = [_named(d) for d in settled if len(d.member_votes.all()) != sitting[str(d.date.year)]]
    assert short == [], short


def test_every_veto_the_tally_pins_on_the_vetoers_has_their_no(history):
    # As many no votes as vetoing seats: the no votes are the vetoers'.
    vetoed = Draft.objects.filter(outcome="vetoed", recorded_no__isnull=False).prefetch_related(
        "member_votes__seat", "vetoes__seat"
    )
    pinned = [d for d in vetoed if d.recorded_no == len(d.vetoes.all())]
    assert len(pinned) > 100
    missing = [
        (_named(d), veto.seat.code)
        for d in pinned
        for veto in d.vetoes.all()
        if not any(v.seat_id == veto.seat_id and v.position == "N" for v in d.member_votes.all())
    ]
    assert missing == [], missing
