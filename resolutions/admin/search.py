"""The drafts list's search box: a resolution symbol finds that resolution."""

from __future__ import annotations

from resolutions.sources.records import parse_resolution_symbol


def parse_search(term: str) -> int | None:
    """A resolution number from 'S/RES/2627 (2022)', 'S/RES/2627' or '2627', else None."""
    term = " ".join(term.split())
    parsed = parse_resolution_symbol(term)
    if parsed:
        return parsed[0]
    term = term.upper().removeprefix("S/RES/")
    return int(term) if term.isdigit() else None


def search_drafts(queryset, search_term: str, found, duplicates):
    """The admin's own word search (``found``), widened or narrowed by a resolution number.

    "S/RES/2627 (2022)" names one resolution; a bare "2627" may also be in a symbol.
    """
    number = parse_search(search_term)
    if number is None:
        return found, duplicates
    by_number = queryset.filter(resolution_number=number)
    if search_term.strip().isdigit():
        return found | by_number, duplicates
    return by_number, False
