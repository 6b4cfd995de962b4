"""manage.py data_report: what the sources disagree about, and what none of them lists."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Disagreement, Draft
from votes.choices import Source

pytestmark = pytest.mark.django_db


def resolution(number: int, year: int = 2020) -> Draft:
    return Draft.objects.create(
        date=date(year, 1, 1), resolution_number=number, resolution_year=year
    )


def report(*args) -> str:
    out = StringIO()
    call_command("data_report", *args, stdout=out)
    return out.getvalue()


def test_the_numbers_no_draft_carries_are_the_gaps():
    assert Draft.objects.resolution_number_gaps() == (0, [])
    for number in (1, 2, 4, 7):
        resolution(number)
    assert Draft.objects.resolution_number_gaps() == (3, [3, 5, 6])
    assert Draft.objects.resolution_number_gaps(limit=2) == (3, [3, 5])
    assert Draft.objects.resolution_number_gaps(limit=1) == (3, [3])
    out = report()
    assert "Resolution numbers no source lists: 3" in out
    assert "S/RES/3, S/RES/5, S/RES/6" in out
    assert "S/RES/6 … " not in report("--limit", "0")
    assert "S/RES/3 … 2 more" in report("--limit", "1")


def test_each_kind_of_disagreement_is_counted_and_shown():
    draft = resolution(83, 1950)
    Disagreement.objects.create(
        draft=draft,
        kind=Disagreement.Kind.TALLY,
        field="totals",
        values={Source.UNDL: "7–1–0", Source.DHL_MEETINGS: "7-1-2"},
        detected_by=Source.DHL_MEETINGS,
    )
    out = report()
    assert "1 disagreements on record." in out
    assert "S/RES/83 (1950) (1950-01-01) [totals]" in out
    assert "7–1–0" in out and "7-1-2" in out
    assert "Tally: 1" in out
    assert "The sources agree" not in out
    assert "0 disagreements on record." in report("--kind", "date")


def test_an_empty_record_says_nothing_is_loaded_and_nothing_disagrees():
    out = report()
    assert "none yet (manage.py sync_un_data)" in out
    assert "The sources agree on everything loaded so far." in out
    assert "Resolution numbers no source lists: 0" in out


def test_a_mistyped_huge_number_is_counted_without_listing_every_gap():
    resolution(1)
    resolution(2_000_000_000)
    count, first = Draft.objects.resolution_number_gaps(limit=5)
    assert (count, first) == (1_999_999_998, [2, 3, 4, 5, 6])


@pytest.mark.parametrize(
    "held",
    [(3, 4, 9), (1, 5, 6, 10, 11, 12, 20), (2,), (1, 2, 3), (4, 6, 8, 10, 12)],
)
def test_the_gaps_are_every_number_below_the_highest_that_no_draft_carries(held):
    for number in held:
        resolution(number)
    missing = [n for n in range(1, max(held)) if n not in held]
    for limit in (1, 2, 3, 100):
        assert Draft.objects.resolution_number_gaps(limit=limit) == (len(missing), missing[:limit])
