"""From the names sources write to state codes, and from codes to the name of the day.

Built from the reference CSVs only (no database), so parsers can use it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from votes.reference import rows as reference
from votes.reference.rows import AliasRow, NameRow, ReferenceDataError, StateRow, permanent_terms

# Apostrophe look-alikes in the sources: DGACM writes U+2019 in CÔTE D'IVOIRE.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


def normalise_name(text: str) -> str:
    """A matching key: no case, accents or whitespace, and no leading "the"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = plain.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return "".join(words)


@dataclass(frozen=True)
class _Entry:
    code: str
    start: date | None = None
    end: date | None = None

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def overlaps(self, other: _Entry) -> bool:
        """Whether the two spellings' periods share a day (an open end is forever)."""
        other_starts_in_time = self.end is None or other.start is None or other.start <= self.end
        starts_in_time = other.end is None or self.start is None or self.start <= other.end
        return other_starts_in_time and starts_in_time


class NameResolver:
    """Resolves a state's name, as any source writes it, to its code."""

    def __init__(
        self,
        states: Iterable[StateRow] | None = None,
        names: Iterable[NameRow] | None = None,
        aliases: Iterable[AliasRow] | None = None,
    ):
        states = tuple(reference.member_states() if states is None else states)
        names = tuple(reference.state_names() if names is None else names)
        aliases = tuple(reference.aliases() if aliases is None else aliases)
        self._current = {state.code: state.name for state in states}
        self._names: dict[str, list[NameRow]] = {}
        for row in names:
            self._names.setdefault(row.code, []).append(row)

        self._entries = {**_undated_entries(states, names), **_dated_entries(aliases)}
        self._check()

    def _check(self) -> None:
        """No spelling may name two states at once: that would make matching a guess."""
        for key, entries in self._entries.items():
            for i, one in enumerate(entries):
                for other in entries[i + 1 :]:
                    if one.code != other.code and one.overlaps(other):
                        raise ReferenceDataError(
                            f"the name {key!r} means both {one.code} and {other.code} at once"
                        )

    def resolve(self, name: str, on: date | None = None) -> str | None:
        """The code of the state called ``name`` (on a date, if given), or None."""
        entries = self._entries.get(normalise_name(name), [])
        if on is not None:
            entries = [entry for entry in entries if entry.covers(on)]
        codes = {entry.code for entry in entries}
        return codes.pop() if len(codes) == 1 else None

    def name_on(self, code: str, on: date) -> str:
        """The state's name on a date (names.csv), else its name today."""
        for row in self._names.get(code, ()):
            if row.covers(on):
                return row.name
        return self.current_name(code)

    def current_name(self, code: str) -> str:
        """Its name today, or its last name (member_states.csv); KeyError if unknown."""
        return self._current[code]

    def codes(self) -> frozenset[str]:
        return frozenset(self._current)


def _undated_entries(
    states: tuple[StateRow, ...], names: tuple[NameRow, ...]
) -> dict[str, list[_Entry]]:
    """A state's names are recognised whatever the date: a source may well use an old
    name for a later vote. Only an alias row can limit a spelling to dates."""
    plain: dict[str, set[str]] = {}
    for code, name in [(s.code, s.name) for s in states] + [(n.code, n.name) for n in names]:
        plain.setdefault(normalise_name(name), set()).add(code)
    return {key: [_Entry(code) for code in codes] for key, codes in plain.items()}


def _dated_entries(aliases: tuple[AliasRow, ...]) -> dict[str, list[_Entry]]:
    dated: dict[str, list[_Entry]] = {}
    for alias in aliases:
        dated.setdefault(normalise_name(alias.alias), []).append(
            _Entry(alias.code, alias.start, alias.end)
        )
    return dated


@cache
def default_resolver() -> NameResolver:
    """The resolver over the packaged reference CSVs, built once."""
    return NameResolver()


def seat_holder_name(seat: str, on: date) -> str:
    """The name of the state holding a permanent seat on a day: 'USSR' for RUS in 1950."""
    resolver = default_resolver()
    for row in permanent_terms():
        if row.seat == seat and row.covers(on):
            return resolver.name_on(row.code, on)
    return resolver.current_name(seat)
