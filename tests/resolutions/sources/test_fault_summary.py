"""records.fault_summary: the per-kind count that the secondary sources' parsers warn with."""

from datetime import date

from resolutions.sources.records import DraftRecord, fault_summary


def _record(*faults: tuple[str, str]) -> DraftRecord:
    return DraftRecord(
        source="voting_agent", location="x", date=date(2000, 1, 1), extra={"faults": list(faults)}
    )


def test_counts_records_per_kind_most_common_first_and_a_kind_once_per_record():
    records = [
        _record(("day_month_swapped", "a"), ("symbol_words", "b"), ("symbol_words", "c")),
        _record(("day_month_swapped", "d")),
        _record(),
    ]
    summary = fault_summary(records, {"day_month_swapped": "day and month swapped"})
    assert summary == [
        "2 record(s): day_month_swapped (day and month swapped)",
        "1 record(s): symbol_words (no description)",
    ]


def test_no_faults_no_warnings():
    assert fault_summary([_record(), _record()], {}) == []
