"""Normalising what sources write: text, agenda names, meeting numbers, seat codes.

Pure helpers a parser can use as well as the pipeline (``resolutions.pipeline``),
which turns records into the values stored on a draft.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

from votes.names import default_resolver
from votes.reference import permanent_terms

# Which permanent seat a state code votes from (SUN and RUS both hold the Russian seat).
SEAT_OF_CODE = {row.code: row.seat for row in permanent_terms()}
_MEETING_NUMBER = re.compile(r"^S/PV\.(\d+)")
_MOJIBAKE = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def tidy_text(text: str) -> str:
    """Repair UTF-8 read as Latin-1 ("Peopleâ\u0080\u0099s"), collapse spaces."""
    if _MOJIBAKE.search(text):
        # Not mojibake after all when it does not decode: keep it as written.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            text = text.encode("latin-1").decode("utf-8")
    return " ".join(text.split())


def agenda_key(name: str) -> str:
    """One key for an agenda item however a source punctuates it.

    "Non-proliferation/Democratic People's Republic of Korea" and
    "Non-proliferation - Democratic People’s Republic of Korea." are one item.
    """
    plain = unicodedata.normalize("NFKD", tidy_text(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "", plain.casefold())


def seat_codes(state_codes) -> list[str]:
    return sorted({SEAT_OF_CODE.get(code, code) for code in state_codes})


def meeting_number(symbol: str) -> int | None:
    match = _MEETING_NUMBER.match(symbol)
    return int(match.group(1)) if match else None


# What a source writes in "Submitted by" when no state submitted the draft, or nothing.
NO_SPONSOR = frozenset({"", "-none-", "none"})
# Spreadsheet line breaks (_x000D_), quotes, and a compilation's row numbers ("Zimbabwe (97)").
_SPONSOR_NOISE = re.compile(r"_x000D_|[\"\n\r]|\(\d{1,3}\)")


def is_state_name(name: str) -> bool:
    return default_resolver().resolve(name) is not None


def listed_sponsors(texts) -> tuple[str, ...]:
    """Every sponsor the texts list, each once, in the order given."""
    names = (name for text in texts for name in sponsor_names(text, is_state_name))
    return tuple(dict.fromkeys(names))


def sponsor_names(text: str, resolves) -> tuple[str, ...]:
    """The sponsors a source lists ("Brazil, Ghana and the United States"), one name each.

    ``resolves`` tells whether a name is a state's, so that "Antigua and Barbuda" stays
    whole while "Brazil and Switzerland" is two; a name it does not know is kept as written.
    """
    names: list[str] = []
    for piece in text.split(","):
        piece = " ".join(_SPONSOR_NOISE.sub(" ", piece).split()).strip(" .;")
        if piece.casefold() not in NO_SPONSOR:
            names.extend(_split_and(piece, resolves))
    return tuple(names)


def _split_and(piece: str, resolves) -> list[str]:
    """One piece of the list, split at an " and " only where both halves are states."""
    words = piece.split(" and ")
    if len(words) == 1 or resolves(piece):
        return [piece.removeprefix("and ")]
    for cut in range(1, len(words)):
        left, right = " and ".join(words[:cut]), " and ".join(words[cut:])
        if resolves(left) and resolves(right):
            return [left, right]
    return [piece]
