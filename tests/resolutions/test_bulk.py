"""The pipeline's bulk writes (resolutions.bulk) store exactly what Django's would.

On PostgreSQL they go through COPY (new rows; updates of many rows via a temporary
table), elsewhere through Django's bulk_create and bulk_update: each test reads the
rows back and compares them with the objects written, on either database.
"""

from datetime import date

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from resolutions import bulk
from resolutions.models import Draft, Meeting
from votes.choices import NonVoting, Position, Source
from votes.models import MemberState, MemberVote
from votes.reference.load import load_reference_data

pytestmark = pytest.mark.django_db

# Enough rows that an update of two fields passes bulk.STAGED_FROM values.
MANY = bulk.STAGED_FROM // 2


def meetings(n: int) -> list[Meeting]:
    return [Meeting(symbol=f"S/PV.{k}", number=k, date=date(2000, 1, 1)) for k in range(1, n + 1)]


def stored_meetings() -> dict[int, tuple]:
    return {pk: rest for pk, *rest in Meeting.objects.values_list("pk", "symbol", "number", "date")}


def test_bulk_create_gives_each_row_the_id_it_is_stored_under():
    rows = meetings(300)
    bulk.bulk_create(rows)
    assert stored_meetings() == {m.pk: [m.symbol, m.number, m.date] for m in rows}
    assert len({m.pk for m in rows}) == 300
    # The sequence moved past them: a row saved afterwards takes a fresh id.
    later = Meeting.objects.create(symbol="S/PV.9999")
    assert later.pk > max(m.pk for m in rows)


def test_bulk_create_keeps_json_values_and_stamps_the_times():
    drafts = [
        Draft(date=date(2001, 5, k), draft_symbol=f"S/2001/{k}", sources={"undl": {"n": k}})
        for k in range(1, 4)
    ]
    bulk.bulk_create(drafts)
    stored = {d.pk: d for d in Draft.objects.all()}
    assert [stored[d.pk].sources for d in drafts] == [{"undl": {"n": k}} for k in range(1, 4)]
    assert [stored[d.pk].draft_symbol for d in drafts] == ["S/2001/1", "S/2001/2", "S/2001/3"]
    assert all(stored[d.pk].created_at and stored[d.pk].updated_at for d in drafts)


@pytest.mark.parametrize("n", [3, MANY], ids=["few", "many"])
def test_bulk_update_writes_each_rows_values(n):
    rows = meetings(n)
    bulk.bulk_create(rows)
    for k, row in enumerate(rows):
        row.number = None if k % 3 == 0 else 100_000 + k
        row.date = date(1999, 12, 31) if k % 2 else None
    bulk.bulk_update(rows, ["number", "date"])
    assert stored_meetings() == {m.pk: [m.symbol, m.number, m.date] for m in rows}


def test_bulk_update_of_many_json_values():
    drafts = [Draft(date=date(2002, 1, 1), draft_symbol=f"S/2002/{k}") for k in range(MANY)]
    bulk.bulk_create(drafts)
    for k, draft in enumerate(drafts):
        draft.sources = {"dppa": [k, "é", None]} if k % 2 else {}
    bulk.bulk_update(drafts, ["sources", "draft_symbol"])
    stored = dict(Draft.objects.values_list("pk", "sources"))
    assert stored == {d.pk: d.sources for d in drafts}


def test_insert_rows_stores_each_row_as_the_model_would():
    load_reference_data()

    draft = Draft.objects.create(date=date(2003, 3, 3), draft_symbol="S/2003/1")
    states = list(MemberState.objects.order_by("pk")[:3])
    rows = [
        {
            "draft_id": draft.pk,
            "state_id": state.pk,
            "position": [Position.YES, Position.NO, Position.NON_VOTING][k],
            "non_voting": NonVoting.NOT_PRESENT if k == 2 else NonVoting.UNSPECIFIED,
            "name_at_vote": f"{state.name} then",
            "seat_id": None,
            "note": "é" * k,
            "source": Source.UNDL,
        }
        for k, state in enumerate(states)
    ]
    bulk.insert_rows(MemberVote, rows)
    fields = list(rows[0])
    stored = list(MemberVote.objects.order_by("pk").values(*fields))
    assert stored == [{name: row[name] for name in fields} for row in rows]
    with pytest.raises(ValueError, match="names"):
        bulk.insert_rows(MemberVote, [{"draft_id": draft.pk}])


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite does not enforce a column's length"
)


@postgresql_only
@pytest.mark.parametrize("n", [3, MANY], ids=["few", "many"])
def test_a_value_too_long_for_its_column_is_refused_not_cut(n):
    """Either path refuses it as Django's DataError (the loader words it for the
    source): a cast to varchar(n) in the VALUES list had cut it to the column's length."""
    rows = meetings(n)
    bulk.bulk_create(rows)
    length = Meeting._meta.get_field("symbol").max_length
    rows[-1].symbol = "S/PV." + "9" * length
    with pytest.raises(DataError), transaction.atomic():
        bulk.bulk_update(rows, ["symbol"])
    assert Meeting.objects.get(pk=rows[-1].pk).symbol == f"S/PV.{n}"


@postgresql_only
def test_copys_errors_are_djangos():
    load_reference_data()
    draft = Draft.objects.create(date=date(2003, 3, 3), draft_symbol="S/2003/1")
    state = MemberState.objects.order_by("pk").first()
    row = {
        "draft_id": draft.pk,
        "state_id": state.pk,
        "position": Position.YES,
        "non_voting": NonVoting.UNSPECIFIED,
        "name_at_vote": state.name,
        "seat_id": None,
        "note": "",
        "source": Source.UNDL,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(MemberVote, [row, dict(row)])  # one vote per member per draft
    with pytest.raises(DataError), transaction.atomic():
        bulk.insert_rows(MemberVote, [{**row, "name_at_vote": "x" * 1000}])
    assert not MemberVote.objects.exists()
