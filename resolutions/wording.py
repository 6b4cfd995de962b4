"""The record's codes in plain words, in one place: fields, values, sources.

What the importers store is coded (``outcome``, ``not_adopted``, ``vetoed_by``,
``["CHN", "RUS"]``, ``2022-05-26``); what a reader sees on the vote's page is not.
:func:`disagreement_lines` words a draft's recorded disagreements for the
"Sources disagree" box; the rest are its parts, for any page that needs them.
"""

from __future__ import annotations

import re
from datetime import date

from resolutions.models import Disagreement, in_running_text, join_names
from votes.choices import VOTED_WORDS, Modality, Outcome, Source
from votes.dates import day_text
from votes.names import default_resolver, seat_holder_name

# The field names the importers and the outcome refresh record disagreements under.
FIELD_LABELS = {
    "date": "date",
    "draft_symbol": "draft symbol",
    "resolution": "resolution number",
    "meeting": "meeting record",
    "press_release": "press release",
    "title": "title",
    "description": "description",
    "agenda": "agenda item",
    "subjects": "subjects",
    "modality": "way it was decided",
    "procedural": "whether the matter was procedural",
    "totals": "tally",
    "tally": "tally",
    "outcome": "outcome",
    "vetoed_by": "members who vetoed it",
    "undl_record_id": "Digital Library record",
    Disagreement.TOTALS_VS_VOTES: "recorded totals against the members' votes",
    Disagreement.SPONSORS: "who submitted it",
}
OUTCOME_WORDS = {value: label.lower() for value, label in Outcome.choices}
MODALITY_WORDS = {value: label.lower() for value, label in Modality.choices}
SOURCE_LABELS = dict(Source.choices)
# Codes that are also English words stay as they are in free text.
_ENGLISH = {Source.EDITOR, Source.CHARTER, Source.DEDUCED, Source.SEED}
_CODES = {
    **{code: label for code, label in SOURCE_LABELS.items() if code not in _ENGLISH},
    **{code: word for code, word in OUTCOME_WORDS.items() if "_" in code},
    **{code: label for code, label in FIELD_LABELS.items() if "_" in code},
}
_CODE_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _CODES), key=len)[::-1]) + r")\b"
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def member_vote_field(name: str) -> str | None:
    """'vote:GHA' -> 'GHA' (a disagreement about one member's vote), else None."""
    return name.split(":", 1)[1] if name.startswith("vote:") else None


def field_label(name: str, on: date) -> str:
    """A disagreement's field in words: 'vetoed_by' -> 'members who vetoed it'."""
    code = member_vote_field(name)
    if code:
        return f"vote of {in_running_text(_state_name(code, on))}"
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    return plain_text(name.replace("_", " ") if " " not in name else name)


def _state_name(code: str, on: date) -> str:
    """The state's name that day (the packaged reference names), else its code."""
    try:
        return default_resolver().name_on(code, on)
    except KeyError:
        return code


def value_text(name: str, value, on: date) -> str:
    """One side's value in words, for the field it was given for."""
    if value in (None, "", [], {}):
        return "nothing"
    if member_vote_field(name):
        return VOTED_WORDS.get(value, str(value))
    words = _FIELD_WORDS.get(name, _no_words)(value, on)
    return _generic(value) if words is None else words


def _no_words(value, on: date) -> None:
    return None


def _outcome_words(value, on: date) -> str | None:
    return OUTCOME_WORDS.get(value)


def _modality_words(value, on: date) -> str | None:
    return MODALITY_WORDS.get(value)


def _vetoed_by_words(value, on: date) -> str | None:
    if not isinstance(value, list):
        return None
    return join_names([seat_holder_name(code, on) for code in value])


def _procedural_words(value, on: date) -> str | None:
    if not isinstance(value, bool):
        return None
    return "procedural" if value else "not procedural"


def _resolution_words(value, on: date) -> str | None:
    if not (isinstance(value, list) and len(value) == 2):
        return None
    return f"S/RES/{value[0]} ({value[1]})"


# The fields whose values have words of their own; None where a value is not of the
# field's kind, which is then put in words as any other value.
_FIELD_WORDS = {
    "outcome": _outcome_words,
    "vetoed_by": _vetoed_by_words,
    "modality": _modality_words,
    "procedural": _procedural_words,
    "resolution": _resolution_words,
}


def _generic(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return _sequence_words(value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_generic(v)}" for k, v in value.items())
    return _text_words(str(value))


def _sequence_words(value: list | tuple) -> str:
    """A tally-like run of counts as 7–2–6 (? for a count not given), else a list."""
    if value and all(isinstance(v, int) or v is None for v in value):
        return "–".join("?" if v is None else str(v) for v in value[:3])
    return ", ".join(_generic(v) for v in value)


def _text_words(text: str) -> str:
    if ISO_DATE.match(text):
        try:
            return day_text(date.fromisoformat(text))
        except ValueError:
            return text
    return plain_text(text)


def who_label(key: str) -> str:
    """Who gave a value: a source's name, an editor, or what the record counted."""
    if key in SOURCE_LABELS:
        return SOURCE_LABELS[key]
    return plain_text(key)


def plain_text(text: str) -> str:
    """Free text with any source, outcome or field code in it put in words."""
    return _CODE_PATTERN.sub(lambda match: _CODES[match.group(1)], text)


def sentence(text: str) -> str:
    """'the editor's value is kept' -> 'The editor's value is kept.'"""
    text = text.strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")


def disagreement_lines(disagreements, on: date) -> list[dict]:
    """Each disagreement as the box shows it: a heading, who says what, the detail."""
    return [
        {
            "heading": _heading(found, on),
            "said": [
                {"who": who_label(who), "value": value_text(found.field, value, on)}
                for who, value in (found.values or {}).items()
            ],
            "detail": sentence(plain_text(found.detail)) if found.detail else "",
        }
        for found in disagreements
    ]


def _heading(found: Disagreement, on: date) -> str:
    kind = found.get_kind_display()
    if not found.field:
        return kind
    field = field_label(found.field, on)
    return kind if field.lower() == kind.lower() else f"{kind} ({field})"
