"""Read a tally text such as ``13-0-2`` from a source that is not sure of its order.

The Library's meetings tables write three numbers, but not always in the order
yes-no-abstain: S/2022/431 (vetoed by two members) is written ``13-0-2`` for
13 in favour and 2 against, while S/2022/231 is written ``2-0-13`` for 2 in
favour and 13 abstentions. The first number is always "yes". This module tries
both readings (yes-no-abstain and yes-abstain-no) against what Article 27 allows
for the stated outcome, and says which reading fits, or that both or neither do.
Pure: no HTML, no database.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date

from votes.choices import Outcome
from votes.outcome import council_size, required_majority

YES_NO_ABSTAIN = "yes-no-abstain"
YES_ABSTAIN_NO = "yes-abstain-no"

# Article 23 as amended (GA res. 1991 A (XVIII)) applies from 1 January 1966.

COUNT = "count"
UNANIMOUS = "unanimous"
WITHOUT_VOTE = "without_vote"
CONSENSUS = "consensus"

_COUNTS = re.compile(
    r"^(\d{1,2})\s*[-\u2013\u2014]\s*(\d{1,2})\s*[-\u2013\u2014]\s*(\d{1,2})"
    r"\s*(?:\((?P<note>[^()]*)\)|(?P<bare>[A-Za-z][^()]*))?\s*\.?$"
)
_WORDS = (
    (re.compile(r"^(?:adopted\s+)?unanimously(?:\s+adopted)?$", re.I), UNANIMOUS),
    (re.compile(r"^(?:adopted\s+)?without\s+(?:a\s+)?vot(?:e|ing)$", re.I), WITHOUT_VOTE),
    (re.compile(r"^(?:adopted\s+)?by\s+acclamation$", re.I), WITHOUT_VOTE),
    (re.compile(r"^(?:adopted\s+)?by\s+consensus$", re.I), CONSENSUS),
)
_NOTE_COUNT = re.compile(
    r"(\d+)\s+(?:members?\s+)?(?:absent|non-?\s*participating|not\s+participating|"
    r"did\s+not\s+(?:participate|vote))",
    re.I,
)
_NOTE_ONE = re.compile(r"did\s+not\s+(?:participate|vote)|absent|not\s+present", re.I)


@dataclass(frozen=True)
class TallyReading:
    """One reading of a tally text. Counts are None when the text gives none."""

    text: str  # the tally exactly as given
    kind: str  # COUNT, UNANIMOUS, WITHOUT_VOTE or CONSENSUS
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    non_voting: int | None = None  # the Council's size minus those counted
    order: str = ""  # the order used to read the numbers ("" if no numbers)
    ambiguous: bool = False  # both orders fit and give different counts
    inconsistent: bool = False  # no order fits the stated outcome
    reason: str = ""  # why ambiguous or inconsistent, in plain words
    note: str = ""  # the source's note beside the numbers, e.g. "1 absent"
    council_size: int = 15
    required: int = 9

    @property
    def usable(self) -> bool:
        """True when the counts can be taken as the source's totals."""
        return self.kind == COUNT and not (self.ambiguous or self.inconsistent)

    def as_dict(self) -> dict:
        return asdict(self)


def is_tally_text(text: str) -> bool:
    """Whether :func:`interpret_tally` can read this text."""
    cleaned = " ".join(text.split())
    return bool(_COUNTS.match(cleaned)) or any(p.match(cleaned) for p, _ in _WORDS)


def interpret_tally(text: str, *, outcome: str, vetoers: int, on: date) -> TallyReading:
    """Read ``text`` for a decision with the stated ``outcome`` on day ``on``.

    ``outcome`` is a ``votes.choices.Outcome`` value, or "" when the source
    states none; ``vetoers`` is how many permanent members the source names as
    vetoing. Raises ValueError when the text is not a tally at all.
    """
    cleaned = " ".join(text.replace("\xa0", " ").split())
    size, required = council_size(on), required_majority(on)
    base = {"text": text, "council_size": size, "required": required}
    for pattern, kind in _WORDS:
        if pattern.match(cleaned):
            return _read_words(kind, outcome, base)
    match = _COUNTS.match(cleaned)
    if not match:
        raise ValueError(f"not a tally: {text!r}")
    a, b, c = (int(match.group(i)) for i in (1, 2, 3))
    note = (match.group("note") or match.group("bare") or "").strip()
    base.update(kind=COUNT, note=note)
    if a + b + c > size:
        reason = f"the numbers add up to {a + b + c}, more than the {size} members of the Council"
        counts = {"yes": a, "no": b, "abstain": c}
        return TallyReading(
            **base, **counts, order=YES_NO_ABSTAIN, inconsistent=True, reason=reason
        )
    return _read_counts((a, b, c), base, outcome, vetoers)


def _read_counts(numbers: tuple[int, int, int], base: dict, outcome: str, vetoers: int):
    """Three numbers that fit the Council, read in the order the outcome allows."""
    a, b, c = numbers
    size = base["council_size"]
    base["non_voting"] = size - a - b - c
    counts, order, ambiguous, misfit = _choose(a, b, c, outcome, vetoers, base["required"])
    problem = misfit or _check_note(base["note"], size - a - b - c, size)
    return TallyReading(
        **base,
        yes=counts[0],
        no=counts[1],
        abstain=counts[2],
        order=order,
        ambiguous=ambiguous and not problem,
        inconsistent=bool(problem),
        reason=problem or (_both_fit(a, b, c) if ambiguous else ""),
    )


def _choose(
    a: int, b: int, c: int, outcome: str, vetoers: int, required: int
) -> tuple[tuple[int, int, int], str, bool, str]:
    """Pick the reading: (counts, order, ambiguous, reason it fits neither)."""
    why_not_a = _misfit(a, b, outcome, vetoers, required)
    why_not_b = _misfit(a, c, outcome, vetoers, required)
    if why_not_a is None and why_not_b is None:
        return (a, b, c), YES_NO_ABSTAIN, b != c, ""
    if why_not_a is None:
        return (a, b, c), YES_NO_ABSTAIN, False, ""
    if why_not_b is None:
        return (a, c, b), YES_ABSTAIN_NO, False, ""
    if b == c:
        return (a, b, c), YES_NO_ABSTAIN, False, why_not_a
    return (
        (a, b, c),
        YES_NO_ABSTAIN,
        False,
        f"read as yes-no-abstain, {why_not_a}; read as yes-abstain-no, {why_not_b}",
    )


def _both_fit(a: int, b: int, c: int) -> str:
    return (
        f"both orders fit the outcome: {a} for, {b} against, {c} abstaining, "
        f"or {a} for, {c} against, {b} abstaining"
    )


def _misfit(yes: int, no: int, outcome: str, vetoers: int, required: int) -> str | None:
    """Why (yes, no) cannot go with the outcome, or None if it can."""
    if outcome == Outcome.ADOPTED and yes < required:
        return f"an adopted draft has only {yes} votes in favour ({required} needed)"
    if outcome == Outcome.NOT_ADOPTED and yes >= required:
        # With the majority reached, only a permanent member's "no" can defeat a
        # draft, and the source would then have called it a veto.
        return (
            f"a draft 'not adopted' without a veto has {yes} votes in favour, "
            f"the required majority of {required}"
        )
    if outcome == Outcome.VETOED:
        if yes < required:
            return f"a vetoed draft has only {yes} votes in favour ({required} needed)"
        if no < max(vetoers, 1):
            return f"{max(vetoers, 1)} member(s) named as vetoing but only {no} vote(s) against"
    return None


def _check_note(note: str, non_voting: int, size: int) -> str:
    """A note such as "1 absent" must match the members left uncounted."""
    if not note:
        return ""
    counted = _NOTE_COUNT.search(note)
    if counted:
        expected = int(counted.group(1))
    elif _NOTE_ONE.search(note):
        expected = 1
    else:
        return ""
    if expected != non_voting:
        return (
            f"the note says {expected} member(s) did not vote, but the numbers leave "
            f"{non_voting} of the {size} members uncounted"
        )
    return ""


def _read_words(kind: str, outcome: str, base: dict) -> TallyReading:
    """Readings of "adopted unanimously", "without vote" and the like: no counts."""
    if outcome and outcome != Outcome.ADOPTED:
        return TallyReading(
            **base,
            kind=kind,
            inconsistent=True,
            reason=f"the text {base['text'].strip()!r} describes an adoption, "
            f"but the stated outcome is {outcome!r}",
        )
    return TallyReading(**base, kind=kind)
