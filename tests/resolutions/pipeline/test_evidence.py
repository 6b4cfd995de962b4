"""A disputed date is chosen by evidence, and the reason is kept and shown in words."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from resolutions.models import Disagreement
from resolutions.pipeline.evidence import MeetingOrder, choose
from resolutions.pipeline.merge import merge
from tests.samples import sample_size

RECONSTRUCTED = "2022-01-29 (reconstructed)"


def entry(day: str, *, version: str = "2026-02-06", meeting: str | None = None) -> dict:
    values = {"date": day}
    if meeting:
        values["meeting"] = meeting
    return {"version": version, "location": "row 1", "url": "", "values": values, "flags": []}


def said(sources: dict) -> dict:
    return {key: info["values"]["date"] for key, info in sources.items()}


def test_the_reconstruction_keeps_the_librarys_date_against_one_other_source():
    # S/RES/338 (1973): the Library dates it 22 October, the meetings table gives
    # 21 October, the day the night meeting began. Rank alone settles nothing.
    order = MeetingOrder.from_entries(
        [
            {"dhl_meetings": entry("1973-10-20", meeting="S/PV.1746")},
            {"dhl_meetings": entry("1973-10-21", meeting="S/PV.1747")},
            {"dhl_meetings": entry("1973-10-23", meeting="S/PV.1748")},
        ]
    )
    sources = {
        "undl": entry("1973-10-22", version=RECONSTRUCTED, meeting="S/PV.1747"),
        "dhl_meetings": entry("1973-10-21", meeting="S/PV.1747"),
    }
    for meetings in (None, order):
        choice = choose("date", said(sources), sources, meetings)
        assert (choice.value, choice.source) == ("1973-10-22", "undl")
        assert "weigh the same" in choice.reason


def test_the_reconstruction_gives_way_where_the_official_sources_agree():
    sources = {
        "undl": entry("2004-09-17", version=RECONSTRUCTED),
        "unxml_adopted": entry("2004-09-18"),
        "dhl_meetings": entry("2004-09-18"),
    }
    choice = choose("date", said(sources), sources)
    assert (choice.value, choice.source) == ("2004-09-18", "unxml_adopted")
    assert "2 independent sources agree on it" in choice.reason


def test_the_meeting_order_overrules_the_reconstruction():
    # S/RES/726 (1992): dated 1 January 1992, at a meeting numbered between two of
    # 6 January.
    order = MeetingOrder({3026: date(1992, 1, 6), 3028: date(1992, 1, 8)})
    sources = {
        "undl": entry("1992-01-01", version=RECONSTRUCTED, meeting="S/PV.3027"),
        "dhl_meetings": entry("1992-01-06", meeting="S/PV.3027"),
    }
    choice = choose("date", said(sources), sources, order)
    assert choice.value == "1992-01-06"
    assert "S/PV.3026, an earlier meeting, was held on 6 January 1992" in choice.reason


def test_a_day_without_meetings_away_from_the_votes_own_meeting_is_ruled_out():
    # S/RES/726 (1992) as the record has it: at S/PV.3026, which the meetings table
    # dates 6 January; the reconstruction dates it 1 January, when no meeting is
    # recorded (S/PV.3025 was held in December 1991, so the order alone allows it).
    order = MeetingOrder({3025: date(1991, 12, 20), 3026: date(1992, 1, 6), 3027: date(1992, 1, 8)})
    sources = {
        "undl": entry("1992-01-01", version=RECONSTRUCTED, meeting="S/PV.3026"),
        "dhl_meetings": entry("1992-01-06", meeting="S/PV.3026"),
    }
    choice = choose("date", said(sources), sources, order)
    assert (choice.value, choice.source) == ("1992-01-06", "dhl_meetings")
    assert "no Council meeting is recorded on 1 January 1992" in choice.reason
    assert "S/PV.3026, the meeting of the vote, was held on 6 January 1992" in choice.reason


def test_the_day_after_its_meeting_began_is_not_ruled_out():
    # A night meeting: S/RES/338 (1973) is dated 22 October, the day after S/PV.1747
    # began; no meeting is recorded on 22 October, yet the date stands.
    order = MeetingOrder({1747: date(1973, 10, 21), 1748: date(1973, 10, 23)})
    assert order.ruled_out(date(1973, 10, 22), 1747) == ""
    assert order.ruled_out(date(1973, 10, 20), 1747) != ""  # before its own meeting


def test_a_meeting_the_record_holds_on_another_day_gives_way():
    # S/RES/2423 (2018), 28 June: DGACM's JSON names S/PV.8277, which the record dates
    # 6 June (S/RES/2419 was adopted there); the meetings table names S/PV.8298.
    order = MeetingOrder({8277: date(2018, 6, 6), 8298: date(2018, 6, 28)})
    said_meeting = {"unxml_adopted": "S/PV.8277", "dhl_meetings": "S/PV.8298"}
    choice = choose("meeting", said_meeting, {}, order, date(2018, 6, 28))
    assert (choice.value, choice.source) == ("S/PV.8298", "dhl_meetings")
    assert "S/PV.8277" in choice.reason and "6 June 2018" in choice.reason
    # Held the day before the vote (a night meeting), or with no order: it stands.
    assert choose("meeting", said_meeting, {}, order, date(2018, 6, 7)) is None
    assert choose("meeting", said_meeting, {}, None, date(2018, 6, 28)) is None


def test_two_compilations_never_outweigh_one_official_source():
    sources = {
        "voting_agent": entry("1999-04-05"),  # day and month swapped, as its rows can be
        "failed_drafts_sample": entry("1999-04-05"),
        "dhl_meetings": entry("1999-05-04"),
    }
    choice = choose("date", said(sources), sources)
    assert choice.value == "1999-05-04"
    assert "an official UN source" in choice.reason
    assert "rests only on a third-party compilation" in choice.reason


def test_agreement_of_several_official_sources_decides_between_them():
    sources = {
        "undl": entry("2010-12-21"),
        "unxml_adopted": entry("2010-12-22"),
        "dhl_meetings": entry("2010-12-22"),
    }
    choice = choose("date", said(sources), sources)
    assert choice.value == "2010-12-22"
    assert choice.source == "unxml_adopted"  # the most trusted of those agreeing
    assert "2 independent sources agree on it" in choice.reason


def test_the_meeting_order_rules_a_date_out():
    # S/PV.101 lies between S/PV.100 (10 January) and S/PV.102 (12 January).
    order = MeetingOrder({100: date(1950, 1, 10), 102: date(1950, 1, 12), 103: date(1950, 1, 13)})
    sources = {
        "undl": entry("1950-01-15", meeting="S/PV.101"),
        "dhl_meetings": entry("1950-01-11", meeting="S/PV.101"),
    }
    assert choose("date", said(sources), sources).value == "1950-01-15"  # the fixed order
    choice = choose("date", said(sources), sources, order)
    assert choice.value == "1950-01-11"
    assert "S/PV.102, a later meeting, was held on 12 January 1950" in choice.reason


def test_no_vote_on_a_day_the_council_did_not_meet():
    order = MeetingOrder({4000: date(2000, 1, 3), 4001: date(2000, 1, 4)})
    sources = {"undl": entry("2000-01-01"), "unxml_adopted": entry("2000-01-04")}
    choice = choose("date", said(sources), sources, order)
    assert choice.value == "2000-01-04"
    assert "no Council meeting is recorded on 1 January 2000" in choice.reason


def test_the_meetings_own_date_settles_an_even_dispute():
    order = MeetingOrder({5000: date(2005, 3, 1), 5001: date(2005, 3, 2), 5002: date(2005, 3, 3)})
    sources = {
        "undl": entry("2005-03-01", meeting="S/PV.5001"),
        "dhl_meetings": entry("2005-03-02", meeting="S/PV.5001"),
    }
    # 1 March is a meeting day too (S/PV.5000's), but S/PV.5001 was held on 2 March.
    choice = choose("date", said(sources), sources, order)
    assert choice.value == "2005-03-02"
    assert "the date of the meeting record" in choice.reason


def test_equal_evidence_follows_the_fixed_order_and_says_so():
    sources = {"undl": entry("2015-06-01"), "dhl_meetings": entry("2015-06-02")}
    choice = choose("date", said(sources), sources)
    assert choice.value == "2015-06-01"
    assert "weigh the same" in choice.reason


def test_agreeing_sources_or_other_fields_choose_nothing():
    sources = {"undl": entry("2015-06-01"), "dhl_meetings": entry("2015-06-01")}
    assert choose("date", said(sources), sources) is None
    assert choose("title", {"undl": "a", "unxml": "b"}, sources) is None


def test_the_order_is_built_from_official_dates_only():
    order = MeetingOrder.from_entries(
        [
            {"dhl_meetings": entry("1990-08-14", meeting="S/PV.2938")},
            {"undl": entry("1990-08-15", version=RECONSTRUCTED, meeting="S/PV.2939")},
            {"voting_agent": entry("1990-08-16", meeting="S/PV.2940")},
            # Two official dates for one meeting: neither is trusted.
            {"dhl_meetings": entry("1990-09-01", meeting="S/PV.2941")},
            {"unxml_adopted": entry("1990-09-02", meeting="S/PV.2941")},
        ]
    )
    assert order.dates == {2938: date(1990, 8, 14)}
    assert order.dated_by == {2938: {"dhl_meetings"}}


def test_a_source_does_not_confirm_its_own_date():
    order = MeetingOrder.from_entries([{"dhl_meetings": entry("2005-03-02", meeting="S/PV.5001")}])
    assert not order.confirms(5001, date(2005, 3, 2), ["dhl_meetings"])
    assert order.confirms(5001, date(2005, 3, 2), ["undl"])


def test_the_merge_takes_the_evidenced_date_and_keeps_the_reason():
    sources = {
        "undl": entry("2011-01-01", version=RECONSTRUCTED),  # New Year's Day
        "unxml_adopted": entry("2010-12-31"),
        "dhl_meetings": entry("2010-12-31"),
    }
    merged = merge(sources)
    assert merged.values["date"] == "2010-12-31"
    assert merged.origin["date"] == "unxml_adopted"
    [found] = [d for d in merged.disagreements if d["field"] == "date"]
    assert found["values"] == said(sources)  # every side is still named
    assert "31 December 2010 is shown" in found["detail"]


@pytest.mark.django_db
@sample_size("small")
def test_the_reason_is_shown_on_the_vote_page_in_words(client, sample):
    draft = sample["seed"]
    sources = {
        "undl": entry("2022-05-27", version=RECONSTRUCTED),
        "unxml": entry("2022-05-26"),
        "dhl_veto": entry("2022-05-26"),
    }
    [found] = [d for d in merge(sources).disagreements if d["field"] == "date"]
    Disagreement.objects.create(draft=draft, **found)
    html = client.get(reverse("resolutions:detail", args=[draft.pk])).content.decode()
    assert "26 May 2022 is shown: 2 independent sources agree on it" in html
    assert "against 1 for 27 May 2022" in html
