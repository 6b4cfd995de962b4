"""Normalising what sources write: text, agenda names, meeting numbers, seat codes.

Pure helpers a parser can use as well as the pipeline (``resolutions.pipeline``),
which turns records into the values stored on a draft.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

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
