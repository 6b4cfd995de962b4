"""The Council's dates in words: month names as the UN writes them, days as pages do."""

from datetime import date

from votes.dates import FIRST_MEETING, FIRST_YEAR, MONTH_NAMES, MONTHS, day_text


def test_every_month_is_read_in_full_in_three_letters_and_as_sept():
    for number in range(1, 13):
        name = date(2000, number, 1).strftime("%B").lower()  # the C locale's English names
        assert MONTH_NAMES[number - 1] == name
        assert MONTHS[name] == MONTHS[name[:3]] == number
    assert MONTHS["sept"] == 9
    assert len(MONTHS) == 12 + 11 + 1  # "may" is its own abbreviation


def test_a_day_is_written_without_a_leading_zero():
    assert day_text(date(2022, 5, 6)) == "6 May 2022"
    assert day_text(FIRST_MEETING) == "17 January 1946"
    assert FIRST_YEAR == 1946
