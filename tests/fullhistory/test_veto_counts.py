"""After loading everything, veto counts agree with the Library's Veto List.

The test recounts the Veto List itself with a deliberately simple reading of
the HTML (a regex over table rows), independent of the importer's parser, and
compares counts by seat and by decade with the vetoes the outcome engine
computed from all the merged sources.
"""

import html
import re
from collections import Counter
from datetime import date, datetime

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractYear

from resolutions.models import Draft
from votes.models import Veto

pytestmark = pytest.mark.realdata

LIST_END = date(2022, 5, 26)
OFFICIAL = Draft.objects.published().officially_recorded()
# Seat of each name written in the list's last column; the USSR's seat is Russia's.
SEAT = {
    "USSR": "RUS",
    "RUSSIAN FEDERATION": "RUS",
    "CHINA": "CHN",
    "FRANCE": "FRA",
    "UK": "GBR",
    "UNITED KINGDOM": "GBR",
    "USA": "USA",
    "UNITED STATES": "USA",
}


def veto_list_rows(shared_data):
    """(date, seats) for every row of the Veto List, read with regexes only."""
    text = (shared_data / "dhl_meetings_tables" / "scact_veto_table_en.html").read_text(
        encoding="utf-8", errors="replace"
    )
    rows = []
    for block in re.findall(r"<tr>(.*?)</tr>", text, flags=re.S | re.I):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", block, flags=re.S | re.I)
        if len(cells) != 5:
            continue
        first = " ".join(re.sub(r"<[^>]+>", " ", cells[0]).split())
        match = re.match(r"(\d{1,2})(?:\s*-\s*\d{1,2})? (\w+) (\d{2,4})$", first)
        if not match:
            continue
        day, month, year = match.groups()
        year = int(year) + (1900 if len(year) == 2 else 0)
        when = datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date()
        members = re.split(r"<\s*/?\s*br\s*/?\s*>|,|\band\b", cells[4], flags=re.I)
        names = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", "", m)).split()).upper() for m in members
        ]
        rows.append((when, sorted(SEAT[n] for n in names if n)))
    return rows


def test_vetoed_drafts_match_the_veto_lists_rows(history, shared_data):
    rows = veto_list_rows(shared_data)
    assert len(rows) > 200  # the regex reading found the table
    # A veto only a compilation records (S/1996/952, cast in a private meeting the
    # Veto List leaves out) is on /vetoes/ labelled as compiled: test_compiled_only.
    vetoed = Draft.objects.published().officially_recorded().vetoed().filter(date__lte=LIST_END)
    assert vetoed.count() == len(rows)


def test_veto_counts_by_seat_match_the_veto_list(history, shared_data):
    expected = Counter(seat for _when, seats in veto_list_rows(shared_data) for seat in seats)
    counted = dict(
        Veto.objects.filter(draft__in=OFFICIAL, draft__date__lte=LIST_END)
        .values_list("seat__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert counted == dict(expected)


def test_veto_counts_by_decade_and_seat_match_the_veto_list(history, shared_data):
    expected = Counter(
        (when.year // 10 * 10, seat)
        for when, seats in veto_list_rows(shared_data)
        for seat in seats
    )
    counted = Counter()
    for year, seat, n in (
        Veto.objects.filter(draft__in=OFFICIAL, draft__date__lte=LIST_END)
        .annotate(year=ExtractYear("draft__date"))
        .values_list("year", "seat__code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counted[(year // 10 * 10, seat)] += n
    assert counted == expected


def test_ussr_vetoes_are_cast_by_the_ussr_and_counted_for_the_russian_seat(history):
    ussr = Veto.objects.filter(state__code="SUN")
    assert ussr.exists()
    assert set(ussr.values_list("seat__code", flat=True)) == {"RUS"}
    assert not ussr.filter(draft__date__gte=date(1991, 12, 24)).exists()
    assert not Veto.objects.filter(state__code="RUS", draft__date__lt=date(1991, 12, 24)).exists()
