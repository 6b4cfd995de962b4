"""Writing the reference CSVs to the database, idempotently and in bulk.

Rows are matched on their natural keys (a state's code; a name's state and
start; a seat's code; a term's state and start). Rows in the database that the
CSVs do not mention are left alone: editors may have added them. Bulk writes
send no signals, so the votes of the states whose names or permanent terms
changed are touched here (``votes.seating.reseat``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.db import models, transaction

from votes.choices import Source, TermKind
from votes.models import MembershipTerm, MemberState, MemberStateName, PermanentSeat
from votes.reference.rows import member_states, permanent_terms, state_names
from votes.seating import reseat
from votes.seats import SEAT_NAMES, SEAT_ORDER

Key = TypeVar("Key", bound=Hashable)
Row = TypeVar("Row", bound=models.Model)


def _sync(
    model: type[Row],
    existing: dict[Key, Row],
    wanted: dict[Key, dict[str, Any]],
    make: Callable[[Key, dict[str, Any]], Row],
    counts: Counter,
) -> list[Row]:
    """Create what is missing and update what differs, in one query each; the rows written."""
    to_create: list[Row] = []
    to_update: list[Row] = []
    changed_fields: set[str] = set()
    for key, fields in wanted.items():
        obj = existing.get(key)
        if obj is None:
            to_create.append(make(key, fields))
            continue
        differing = _updated(obj, fields)
        if differing:
            to_update.append(obj)
            changed_fields |= differing
        else:
            counts["unchanged"] += 1
    if to_create:
        model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields))
    counts["created"] += len(to_create)
    counts["updated"] += len(to_update)
    return to_create + to_update


def _updated(obj: Row, fields: dict[str, Any]) -> set[str]:
    """Set the fields that differ on the row; their names (none when it is as wanted)."""
    differing = {name for name, value in fields.items() if getattr(obj, name) != value}
    for name in differing:
        setattr(obj, name, fields[name])
    return differing


def _states(counts: Counter, touched: set[int]) -> dict[str, MemberState]:
    wanted = {row.code: {"name": row.name, "slug": row.slug} for row in member_states()}
    existing = MemberState.objects.filter(code__in=wanted).in_bulk(field_name="code")
    written = _sync(MemberState, existing, wanted, lambda c, f: MemberState(code=c, **f), counts)
    touched |= {state.pk for state in written if state.pk is not None}
    return MemberState.objects.filter(code__in=wanted).in_bulk(field_name="code")


def _names(states: dict[str, MemberState], counts: Counter, touched: set[int]) -> None:
    wanted = {
        (states[row.code].pk, row.start): {"name": row.name, "end": row.end}
        for row in state_names()
    }
    existing = {
        (obj.state_id, obj.start): obj
        for obj in MemberStateName.objects.filter(state__in=states.values())
    }
    written = _sync(
        MemberStateName,
        existing,
        wanted,
        lambda key, f: MemberStateName(state_id=key[0], start=key[1], **f),
        counts,
    )
    touched |= {name.state_id for name in written}


def _seats(counts: Counter) -> dict[str, PermanentSeat]:
    wanted = {
        code: {"name": SEAT_NAMES[code], "position": SEAT_ORDER.index(code)} for code in SEAT_NAMES
    }
    existing = PermanentSeat.objects.filter(code__in=wanted).in_bulk(field_name="code")
    _sync(PermanentSeat, existing, wanted, lambda code, f: PermanentSeat(code=code, **f), counts)
    return PermanentSeat.objects.filter(code__in=wanted).in_bulk(field_name="code")


def _terms(
    states: dict[str, MemberState],
    seats: dict[str, PermanentSeat],
    counts: Counter,
    touched: set[int],
) -> None:
    wanted = {
        (states[row.code].pk, row.start): {
            "end": row.end,
            "kind": TermKind.PERMANENT,
            "seat_id": seats[row.seat].pk,
            "source": Source.CHARTER,
        }
        for row in permanent_terms()
    }
    existing = {
        (obj.state_id, obj.start): obj
        for obj in MembershipTerm.objects.filter(
            state_id__in={key[0] for key in wanted}, start__in={key[1] for key in wanted}
        )
    }
    written = _sync(
        MembershipTerm,
        existing,
        wanted,
        lambda key, f: MembershipTerm(state_id=key[0], start=key[1], **f),
        counts,
    )
    touched |= {term.state_id for term in written}


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Upsert every reference row; counts of rows created, updated and unchanged."""
    counts: Counter = Counter(created=0, updated=0, unchanged=0)
    # States whose name, dated names or permanent terms were written: their votes'
    # seats and names are recomputed once everything is in.
    touched: set[int] = set()
    states = _states(counts, touched)
    _names(states, counts, touched)
    seats = _seats(counts)
    _terms(states, seats, counts, touched)
    if touched:
        reseat(touched)
    return {key: counts[key] for key in ("created", "updated", "unchanged")}
