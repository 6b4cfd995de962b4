"""The vocabulary shared by the models, the outcome engine and the importers.

Kept free of models so the pure outcome engine can use it without a database.
"""

from django.db import models


class Position(models.TextChoices):
    # Codes as in the Dag Hammarskjöld Library's voting data.
    YES = "Y", "Yes"
    NO = "N", "No"
    ABSTAIN = "A", "Abstention"
    NON_VOTING = "X", "Non-voting"


# How a member voted, worded to follow its name: "Ghana voted no" (filters, tables, feeds).
VOTED_CHOICES = [
    (Position.YES, "voted yes"),
    (Position.NO, "voted no"),
    (Position.ABSTAIN, "abstained"),
    (Position.NON_VOTING, "did not vote"),
]
VOTED_WORDS = dict(VOTED_CHOICES)


class NonVoting(models.TextChoices):
    """Why a member cast no vote, where the source says which."""

    UNSPECIFIED = "", "Not stated"
    NOT_PRESENT = "not_present", "Not present"
    DID_NOT_PARTICIPATE = "did_not_participate", "Present, did not participate"


class Outcome(models.TextChoices):
    ADOPTED = "adopted", "Adopted"
    VETOED = "vetoed", "Vetoed"
    NOT_ADOPTED = "not_adopted", "Not adopted"
    # Only when no source gives a tally, member votes or even a stated result.
    UNKNOWN = "unknown", "Unknown"


class Basis(models.TextChoices):
    """What an outcome was computed from, strongest first."""

    MEMBER_VOTES = "member_votes", "Member votes"
    RECORDED_TOTALS = "recorded_totals", "Recorded totals"
    # Some members' votes are missing, but those known settle the outcome.
    PARTIAL_VOTES = "partial_votes", "Incomplete member votes that settle it"
    WITHOUT_VOTE = "without_vote", "Adopted without a vote"
    SOURCE_STATEMENT = "source_statement", "Source's statement (no tally available)"
    NONE = "none", "Nothing to compute from"


class Modality(models.TextChoices):
    RECORDED_VOTE = "vote", "Recorded vote"
    WITHOUT_VOTE = "without_vote", "Without a vote"
    ACCLAMATION = "acclamation", "By acclamation"


class VoteKind(models.TextChoices):
    """What a vote was on. Only votes on draft resolutions are counted as drafts."""

    DRAFT_RESOLUTION = "draft", "Draft resolution"
    AMENDMENT = "amendment", "Amendment"
    PRELIMINARY_QUESTION = "preliminary_question", "Preliminary question"
    PROCEDURAL = "procedural", "Procedural vote"


# Votes on a draft's amendment or on a preliminary question, which name that draft.
AMENDING_KINDS = (VoteKind.AMENDMENT, VoteKind.PRELIMINARY_QUESTION)


def counted(prefix: str = "") -> models.Q:
    """The one rule for what every count of drafts counts: published votes on draft
    resolutions, not those on amendments, preliminary questions or procedure.

    ``prefix`` reaches the draft through a relation (``"draft__"`` from a member vote).
    """
    return models.Q(**{f"{prefix}is_published": True, f"{prefix}kind": VoteKind.DRAFT_RESOLUTION})


class TermKind(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    ELECTED = "elected", "Elected"


class Source(models.TextChoices):
    UNDL = "undl", "Dag Hammarskjöld Library, Security Council Voting Data"
    DHL_VETO = "dhl_veto", "Dag Hammarskjöld Library, Veto List"
    DHL_MEETINGS = "dhl_meetings", "Dag Hammarskjöld Library, meetings tables"
    UNXML = "unxml", "UN DGACM machine-readable drafts not adopted"
    UNXML_ADOPTED = "unxml_adopted", "UN DGACM machine-readable resolutions"
    DPPA = "dppa", "UN DPPA, Security Council membership"
    DPPA_VETOES = "dppa_vetoes", "UN DPPA, Security Council vetoes"
    VOTING_AGENT = "voting_agent", "Voting-Agent compilation of Council votes, 1994–2025"
    YORDAN_VETOES = "yordan_vetoes", "Yordán (World Politics Data Lab) veto list, 1946–2022"
    FAILED_DRAFTS_SAMPLE = "failed_drafts_sample", "unsc_for_us sample of failed drafts, 1947–2022"
    CHARTER = "charter", "UN Charter and succession (reference data)"
    # Not a publication: votes derived from an official tally, the vetoing seats and who
    # sat that day, where those settle them (resolutions/pipeline/ owns the deduction).
    DEDUCED = "deduced", "Deduced from the official tally, vetoes and membership"
    SEED = "seed", "Starter data"
    EDITOR = "editor", "Editor"


# Third-party compilations. A secondary source never overrides a value that an
# official source (the UN's own publications) gives: it fills what they lack, and where
# it disagrees the disagreement is recorded, never settled in its favour.
SECONDARY = frozenset({Source.VOTING_AGENT, Source.YORDAN_VETOES, Source.FAILED_DRAFTS_SAMPLE})


class Evidence(models.TextChoices):
    """Where a member vote comes from, in the words the coverage table and labels use."""

    OFFICIAL = "official", "Official UN source"
    COMPILED = "compiled", "Third-party compilation"
    DEDUCED = "deduced", "Deduced from the official tally"
    EDITOR = "editor", "Entered by an editor"


def evidence_of(source: str) -> Evidence:
    """The kind of evidence behind a value from `source` (a `Source` value)."""
    if source in SECONDARY:
        return Evidence.COMPILED
    if source == Source.DEDUCED:
        return Evidence.DEDUCED
    if source in (Source.EDITOR, Source.SEED):
        return Evidence.EDITOR
    return Evidence.OFFICIAL
