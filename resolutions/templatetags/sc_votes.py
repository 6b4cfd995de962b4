"""Small display filters for the public pages: sources and seats in words."""

from django import template

from votes.choices import Outcome, Source
from votes.names import seat_holder_name
from votes.seats import SHORT_SEAT_LABELS

register = template.Library()

_SOURCES = dict(Source.choices)
_OUTCOMES = dict(Outcome.choices)


@register.filter
def source_label(key: str) -> str:
    """'dhl_veto' -> 'Dag Hammarskjöld Library, Veto List'."""
    return _SOURCES.get(key, key)


@register.filter
def seat_names(codes) -> str:
    """['CHN', 'RUS'] -> 'China, Russia'."""
    return ", ".join(SHORT_SEAT_LABELS.get(code, code) for code in codes or ())


@register.filter
def seat_names_on(codes, on) -> str:
    """['CHN', 'RUS'] on 1950-06-27 -> 'Republic of China, USSR': the holders that day."""
    return ", ".join(seat_holder_name(code, on) for code in codes or ())


@register.filter
def outcome_label(value: str) -> str:
    return _OUTCOMES.get(value, value)


@register.filter
def plain_value(value) -> str:
    """A source's value as text: lists joined, nothing as a dash."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, list | tuple):
        return "–".join("?" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_value(v)}" for k, v in value.items())
    return str(value)


@register.filter
def field_names(fields) -> str:
    """['recorded_yes', 'date'] -> 'recorded yes, date'; '*' means every field."""
    return ", ".join("every field" if f == "*" else f.replace("_", " ") for f in fields)
