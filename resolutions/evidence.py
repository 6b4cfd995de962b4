"""Where a member vote comes from, in words: official source, compilation, deduction or editor.

Every page, dump and API answer that shows a member vote names its evidence
(``votes.choices.Evidence``): official and compiled votes with their source's name and
version (from ``Draft.sources``), deduced votes with what they were deduced from (kept in
the vote's note by ``resolutions.pipeline.deduction``).
"""

from __future__ import annotations

from votes.choices import Evidence, Source, evidence_of
from votes.models import MemberVote


def vote_evidence(vote: MemberVote) -> str:
    """The kind of evidence behind a vote: official, compiled, deduced or editor."""
    return source_evidence(vote.source)


def source_evidence(source: str) -> str:
    """The kind of evidence behind a vote from ``source``: what :func:`vote_evidence`
    gives, for the dumps, which read votes as plain values rather than instances."""
    return evidence_of(source).value


def _source_label(source: str) -> str:
    return Source(source).label if source in Source.values else source


def evidence_label(vote: MemberVote, sources: dict | None) -> dict:
    """What the page shows beside a vote: a short label and its full wording."""
    kind = evidence_of(vote.source)
    version = str(((sources or {}).get(vote.source) or {}).get("version", ""))
    named = _source_label(vote.source) + (f", version {version}" if version else "")
    if kind == Evidence.DEDUCED:
        return {"kind": kind.value, "short": "deduced", "title": vote.note or kind.label}
    if kind == Evidence.COMPILED:
        return {"kind": kind.value, "short": "compiled", "title": f"{kind.label}: {named}"}
    if kind == Evidence.EDITOR:
        return {"kind": kind.value, "short": "editor", "title": kind.label}
    return {"kind": kind.value, "short": "official", "title": f"{kind.label}: {named}"}
