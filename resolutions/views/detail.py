"""One vote: its symbols, record, tally, member votes, outcome and provenance."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from resolutions.evidence import evidence_label
from resolutions.models import Disagreement, Draft, sponsors_prefetch, undocs_url
from resolutions.outcomes import decision_for
from resolutions.wording import disagreement_lines
from votes.choices import VOTED_WORDS, Position, Source
from votes.models import MemberState, MemberVote, Veto
from votes.names import default_resolver, seat_holder_name
from votes.outcome import Ballot, council_size
from votes.standing import standing


def detail(request, pk: int):
    """One vote: symbols, record, tally, member votes by position, outcome, provenance.

    Queries: the draft with meeting and agenda item (1), its vetoes (2), its
    subjects (3), its sponsors with their states (4), its member votes with their
    states (5), the disagreements recorded about it (6), the previous (7) and next (8)
    vote on its agenda item, the votes on its amendments with their vetoes and member
    votes (9-11, only when it has any: whether it does is part of the first query).

    A vote on an amendment has its own page, which names the draft it amends.
    """
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    draft = get_object_or_404(
        Draft.objects.published_votes()
        .annotate(has_amendments=Exists(Draft.objects.filter(amends=OuterRef("pk"))))
        .select_related("meeting", "agenda_item", "amends")
        .prefetch_related(vetoes, "subjects", sponsors_prefetch()),
        pk=pk,
    )
    # Permanent members first, in seat order, then the elected members by name.
    member_votes = list(
        MemberVote.objects.filter(draft=draft)
        .select_related("state", "seat")
        .order_by(F("seat__position").asc(nulls_last=True), "name_at_vote")
    )
    for vote in member_votes:
        vote.evidence = evidence_label(vote, draft.sources)
    groups = [
        {"position": position, "label": label, "votes": votes}
        for position, label in Position.choices
        if (votes := [v for v in member_votes if v.position == position])
    ]
    disagreements = list(Disagreement.objects.filter(draft=draft).order_by("kind", "field"))
    missing = _unrecorded_members(draft, member_votes)
    return render(
        request,
        "resolutions/detail.html",
        {
            "draft": draft,
            "documents": _documents(draft),
            "member_votes": member_votes,
            "groups": groups,
            "evidence": _evidence_summary(member_votes),
            "bar": _tally_bar(draft),
            "provenance": _provenance(draft),
            "disagreements": disagreement_lines(disagreements, draft.date),
            "tally_disputed": any(d.kind == Disagreement.Kind.TALLY for d in disagreements),
            "unrecorded": missing,
            "previous": _neighbour(draft, before=True),
            "next": _neighbour(draft, before=False),
            "stood": _stood(draft, member_votes),
            "amendment_votes": _amendment_votes(draft),
        },
    )


def _amendment_votes(draft: Draft) -> list[Draft]:
    """The published votes on the draft's amendments, each with its member votes."""
    if not draft.has_amendments:
        return []
    votes = Prefetch(
        "member_votes",
        queryset=MemberVote.objects.select_related("state", "seat").order_by(
            F("seat__position").asc(nulls_last=True), "name_at_vote"
        ),
    )
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    found = list(
        draft.amendment_votes.published_votes()
        .select_related("amends")
        .prefetch_related(vetoes, votes)
        .order_by("date", "pk")
    )
    for amendment in found:
        for vote in amendment.member_votes.all():
            vote.evidence = evidence_label(vote, amendment.sources)
    return found


def _evidence_summary(member_votes: list) -> list[dict]:
    """Each kind of evidence behind the votes, in words, with how many votes it covers."""
    counts: dict[tuple, dict] = {}
    for vote in member_votes:
        key = (vote.evidence["kind"], vote.evidence["title"])
        counts.setdefault(key, {**vote.evidence, "count": 0})["count"] += 1
    return list(counts.values())


def _stood(draft: Draft, member_votes: list) -> dict | None:
    """Margin, near-miss, decisive members and a member alone (votes/standing.py).

    From the same decision refresh_outcomes stores them from, on the votes this
    page lists: no query of its own.
    """
    if not draft.is_recorded_vote:
        return None
    ballots = [Ballot(v.position, v.seat.code if v.seat else None) for v in member_votes]
    stood = standing(decision_for(draft, ballots))
    if stood.margin is None:
        return None
    return {
        "margin": _signed(stood.margin),
        "near_miss": stood.near_miss,
        "complete": len(member_votes) == council_size(draft.date),
        "decisive": [member_votes[i] for i in stood.decisive],
        # A veto known from the totals: its vetoers, as the vetoes name them.
        "decisive_seats": [
            v.name_at_vote for v in draft.vetoes.all() if v.seat.code in stood.decisive_seats
        ],
        **_isolated(member_votes, stood.isolated),
    }


def _signed(margin: int) -> str:
    """A true minus sign, and a plus on a surplus: "+4", "−4", "0"."""
    return f"{margin:+d}".replace("-", "−") if margin else "0"


def _isolated(member_votes: list, index: int | None) -> dict:
    """The member who voted alone, if one did, and how the others voted."""
    alone = member_votes[index] if index is not None else None
    others = next((v.position for v in member_votes if v is not alone), None)
    return {
        "isolated": alone,
        "isolated_tally": f"{len(member_votes) - 1}–1",
        "isolated_others": VOTED_WORDS.get(others, "") if alone else "",
    }


def _unrecorded_members(draft: Draft, member_votes: list) -> list[str]:
    """Members sitting that day whom no source records voting (e.g. Mexico on S/RES/1966).

    Only asked when a breakdown exists but is short of the Council's size: one query.
    """
    if not member_votes or len(member_votes) >= council_size(draft.date):
        return []
    voted = {v.state_id for v in member_votes}
    resolver = default_resolver()
    return [
        resolver.name_on(state.code, draft.date)
        for state in MemberState.objects.sitting_on(draft.date).order_by("name")
        if state.pk not in voted
    ]


def _documents(draft: Draft) -> list[dict]:
    """The draft's documents that exist, each with its link; none without a symbol."""
    meeting_record = draft.draft_symbol_is_meeting_record
    documents = (
        ("Draft resolution", "" if meeting_record else draft.draft_symbol),
        ("Resolution", draft.resolution_symbol),
        ("Meeting record", _meeting_record_symbol(draft)),
        ("Press release", draft.press_release),
    )
    return [
        {"label": label, "symbol": symbol, "url": undocs_url(symbol)}
        for label, symbol in documents
        if symbol
    ]


def _meeting_record_symbol(draft: Draft) -> str:
    """The meeting's record, else the draft's own symbol where that names the record."""
    if draft.meeting:
        return draft.meeting.symbol
    return draft.draft_symbol if draft.draft_symbol_is_meeting_record else ""


def _tally_bar(draft: Draft) -> list[dict]:
    """Segments of the tally bar, in SVG units of one member each."""
    tally = draft.tally
    if tally is None:
        return []
    segments, x = [], 0
    for position, count, label in (
        ("yes", tally.yes, "in favour"),
        ("no", tally.no, "against"),
        ("abstain", tally.abstain, "abstaining"),
        ("nonvoting", tally.non_voting, "not voting"),
    ):
        if count:
            segments.append({"class": position, "x": x, "width": count, "label": label, "n": count})
            x += count
    return segments


def _provenance(draft: Draft) -> list[dict]:
    """Each source that described this draft: its name, version, place and what it said."""
    labels = dict(Source.choices)
    given = {}
    for field, origin in (draft.field_sources or {}).items():
        given.setdefault(origin, []).append(field)
    entries = [
        _source_entry(labels.get(key, key), info, draft.date, given.get(key, []))
        for key, info in (draft.sources or {}).items()
    ]
    if not entries and draft.field_sources:
        for origin, fields in given.items():
            entries.append({"label": labels.get(origin, origin), "fields": sorted(fields)})
    return entries


def _source_entry(label: str, info: dict, on, fields: list[str]) -> dict:
    """One source's entry as the provenance box shows it."""
    return {
        "label": label,
        "version": info.get("version", ""),
        "location": info.get("location", ""),
        "url": info.get("url", ""),
        "said": _what_it_said(info.get("values", {}), on),
        "flags": [*info.get("notes", []), *info.get("flags", [])],
        "fields": sorted(fields),
    }


def _tally_words(values: dict) -> list[str]:
    """The tally as the source wrote it, else its totals."""
    if values.get("tally_text"):
        return [f"tally as written: {values['tally_text']}"]
    if values.get("totals"):
        yes, no, abstain = values["totals"][:3]
        return [f"tally: {yes}–{no}–{abstain}"]
    return []


def _what_it_said(values: dict, on) -> list[str]:
    """A source's values in words: outcome, tally, and what else it noted."""
    said = [_outcome_words(values, on)] if values.get("outcome") else []
    said += _tally_words(values)
    if values.get("tally_inconsistent"):
        said.append(f"its tally does not fit its outcome ({values['tally_inconsistent']})")
    if values.get("procedural_inferred"):
        said.append(values["procedural_inferred"])
    if values.get("date"):
        said.append(f"date: {values['date']}")
    return said


def _outcome_words(values: dict, on) -> str:
    """'outcome: vetoed by China, USSR', the vetoing members by their names that day."""
    vetoed = [seat_holder_name(seat, on) for seat in values.get("vetoed_by") or []]
    by = f" by {', '.join(vetoed)}" if vetoed else ""
    return "outcome: " + values["outcome"].replace("_", " ") + by


def _neighbour(draft: Draft, *, before: bool) -> Draft | None:
    if draft.agenda_item_id is None:
        return None
    same_item = Draft.objects.published().filter(agenda_item_id=draft.agenda_item_id)
    key = (draft.date, draft.pk)
    # The date's bound, implied by the key's, is there for the index
    # (draft_item_date_idx): the scan starts at the vote's date instead of the item's end.
    if before:
        earlier = Q(date__lt=key[0]) | Q(date=key[0], pk__lt=key[1])
        found = same_item.filter(earlier, date__lte=key[0])
        return found.order_by("-date", "-pk").first()
    later = Q(date__gt=key[0]) | Q(date=key[0], pk__gt=key[1])
    return same_item.filter(later, date__gte=key[0]).order_by("date", "pk").first()
