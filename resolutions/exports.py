"""The open-data format: drafts and member votes as CSV or JSON, streamed.

One format serves every download (a filtered list, a country's history, the
full dump) and is read back by ``manage.py import_votes``
(``resolutions.sources.site_export``). CSV has one row per member vote, like
the Library's voting data, and one row with empty member columns for a draft
with no member-by-member record; JSON nests the votes under each draft.

Rows are read from the database as they are written, from one cursor for the
drafts and one for their member votes, so memory stays flat and the queries
are the same few whatever the size of the export. Text cells that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) are neutralised
with a leading apostrophe, which the importer removes again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import F, OrderBy, QuerySet
from django.http import StreamingHttpResponse

from resolutions.evidence import vote_evidence
from resolutions.export_format import (
    DRAFT_COLUMNS,
    VOTE_COLUMNS,
    VOTES_COLUMNS,
    neutralise,
)
from resolutions.export_format import restore as restore  # exports.restore, as before
from resolutions.licence import EXPORT_LICENCE, LICENCE_NAME
from resolutions.models import NEWEST_FIRST, Draft, Sponsorship
from votes.models import MemberVote, Veto
from votes.seats import seat_sort_key

CHUNK = 100

# The data dictionary (shown at /data/): what each column holds.
DESCRIPTIONS = {
    "record_id": "This site's id for the vote; its page is /votes/<record_id>/. Kept on import.",
    "date": "Date of the vote, YYYY-MM-DD.",
    "resolution": "The adopted resolution's symbol, S/RES/n (year); empty if not adopted.",
    "draft_symbol": "The draft's symbol (S/2022/431, S/9696); the Library's voting data "
    "has draft symbols only from 1998. Some early drafts are known only by their "
    "meeting record (S/PV.n).",
    "meeting": "The meeting record of the vote, S/PV.n.",
    "press_release": "The UN press release on the meeting, SC/n.",
    "title": "Short title or topic, as the sources give it; where none does, a title built "
    "from the agenda item and the sponsors (then title_built is yes).",
    "title_built": "yes when the title was built by this site (" + Draft.TITLE_BUILT_NOTE + "), "
    "else no. A built title is ignored on import.",
    "sponsors": "Who submitted the draft, separated by |: each state under its name today, a "
    "body (the President, a committee) as the source writes it. Read back on import, "
    "as the list sponsor_source gives.",
    "sponsor_codes": "The sponsors' UN three-letter codes in the same order (empty for a body).",
    "sponsor_source": "The source that names the sponsors: unxml or unxml_adopted (DGACM, "
    "official), else a compilation (voting_agent, failed_drafts_sample), which never "
    "overrides an official list.",
    "description": "The Library's description of the resolution.",
    "agenda": "The Council's agenda item.",
    "subjects": "Subjects (UNBIS thesaurus), separated by |.",
    "modality": "vote (a recorded vote), without_vote or acclamation.",
    "procedural": "yes for a procedural decision (no veto applies), else no.",
    "recorded_yes": "Votes in favour as the sources recorded them.",
    "recorded_no": "Votes against as recorded.",
    "recorded_abstain": "Abstentions as recorded.",
    "recorded_non_voting": "Members not voting as recorded.",
    "recorded_members": "Council members as recorded.",
    "stated_outcome": "The outcome a source or an editor stated: adopted, vetoed, not_adopted.",
    "stated_vetoed_by": "Permanent seats a source named as vetoing, separated by |.",
    "outcome": "The outcome under Article 27, computed by this site from the votes: "
    "adopted, vetoed, not_adopted or unknown. Recomputed on import; there, unknown "
    "allows a record the sources do not settle to be published as undecided.",
    "vetoed_by": "Vetoing seats as computed: CHN, FRA, RUS (the USSR to 1991), GBR, USA. "
    "Ignored on import.",
    "tally_yes": "Votes in favour, counted from the member votes (or the recorded totals "
    "when the member-by-member record is incomplete; blank when it is incomplete and no "
    "totals are recorded). Ignored on import.",
    "tally_no": "Votes against, as tally_yes.",
    "tally_abstain": "Abstentions, as tally_yes.",
    "tally_non_voting": "Members not voting, as tally_yes.",
    "undl_record_id": "The UN Digital Library's voting record, "
    "https://digitallibrary.un.org/record/<id>.",
    "ms_code": "Member state: the UN's three-letter code (SUN for the USSR).",
    "ms_name": "The member's name on the day of the vote.",
    "permanent_seat": "The permanent seat it held that day, or empty for an elected member.",
    "ms_vote": "Y (yes), N (no), A (abstention) or X (did not vote).",
    "non_voting": "For X: not_present or did_not_participate, where the source says which.",
    "vote_note": "The source's note on this vote; for a deduced vote, what it was deduced from.",
    "vote_evidence": "Where the vote comes from: official (a UN source), compiled (a "
    "third-party compilation, never over an official value), deduced (from the official "
    "tally, vetoes and membership) or editor. Ignored on import.",
    "vote_source": "The source of this vote (undl, unxml, voting_agent, deduced, editor, ...); "
    "its version is in source_version. Ignored on import.",
    "source": "The sources of the record (undl, unxml, dhl_veto, dhl_meetings, seed, "
    "editor), separated by ;.",
    "source_version": "Each source's version (the dataset's date), in the same order.",
}


def for_export(drafts: QuerySet) -> QuerySet:
    """The drafts with the meeting and agenda item rows need, and nothing prefetched:
    ``_drafts`` attaches each draft's votes, vetoes and subjects itself."""
    return (
        drafts.select_related("meeting", "agenda_item")
        # Rows need none of these; leaving them in the database keeps the streamed
        # export's memory flat and low.
        .defer("field_sources", "outcome_disagreements", "search_vector")
        .prefetch_related(None)
    )


def _draft_order(drafts: QuerySet) -> list[OrderBy]:
    """The drafts' order as fields of the draft, ending in the id so that it is total.

    Every download is a DraftFilter's, newest first; any order that is not plain
    fields of the draft falls back on that one.
    """
    order = [_order_by(o) for o in drafts.query.order_by]
    if not order or None in order:
        order = list(NEWEST_FIRST)
    if "id" not in {o.expression.name for o in order}:
        order.append(F("id").asc())
    return order


def _order_by(item) -> OrderBy | None:
    """``"-date"`` or ``F("date").desc()`` as an OrderBy on a field of the draft, else None."""
    if isinstance(item, str):
        item = F(item.lstrip("-")).desc() if item.startswith("-") else F(item).asc()
    if not (isinstance(item, OrderBy) and isinstance(item.expression, F)):
        return None
    name = "id" if item.expression.name == "pk" else item.expression.name
    if name not in {f.attname for f in Draft._meta.concrete_fields}:
        return None
    return OrderBy(F(name), item.descending, item.nulls_first, item.nulls_last)


def _on_draft(order: OrderBy) -> OrderBy:
    """The same order, for rows that belong to a draft."""
    field = F("draft__" + order.expression.name)
    return OrderBy(field, order.descending, order.nulls_first, order.nulls_last)


def _votes_in_order(matching: QuerySet, order: list[OrderBy]) -> Iterator[MemberVote]:
    """The member votes of the drafts, grouped by draft in the drafts' own order;
    in each, the permanent members in seat order, then the others by code."""
    votes = (
        MemberVote.objects.filter(draft__in=matching)
        .select_related("state", "seat")
        .order_by(*map(_on_draft, order), F("seat__position").asc(nulls_last=True), "state__code")
    )
    return votes.iterator(chunk_size=CHUNK * 15)


def _by_draft(rows: Iterable, value=lambda row: row) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.draft_id, []).append(value(row))
    return grouped


def _attach(draft: Draft, name: str, rows: list) -> None:
    """``draft.<name>.all()`` gives ``rows`` with no query, as a prefetch leaves it."""
    related = getattr(draft, name).all()  # lazy: no query
    related._result_cache = rows
    related._prefetch_done = True
    draft.__dict__.setdefault("_prefetched_objects_cache", {})[name] = related


def provenance(draft: Draft) -> tuple[str, str]:
    """(sources, versions) of a draft, as two ';'-separated texts.

    A record that came in through ``import_votes`` keeps the provenance its
    file stated, so that an export read back and exported again is identical.
    """
    sources = draft.sources or {}
    stated = sources.get("editor", {}).get("values", {}).get("provenance")
    if stated and set(sources) == {"editor"}:
        return stated[0], stated[1]
    if not sources:  # entered before any import: the starter data, or an editor
        return draft.source, ""
    keys = sorted(sources)
    return ";".join(keys), ";".join(str(sources[k].get("version", "")) for k in keys)


def _number(value):
    return "" if value is None else value


def draft_fields(draft: Draft) -> dict:
    source, version = provenance(draft)
    vetoes = sorted(draft.vetoes.all(), key=lambda v: seat_sort_key(v.seat.code))
    return {
        "record_id": draft.pk,
        "date": draft.date.isoformat(),
        "resolution": draft.resolution_symbol,
        "draft_symbol": draft.draft_symbol,
        "meeting": draft.meeting.symbol if draft.meeting_id else "",
        "press_release": draft.press_release,
        "title": draft.display_title,
        "title_built": "yes" if draft.title_is_built else "no",
        "description": draft.description,
        "agenda": draft.agenda_item.name if draft.agenda_item_id else "",
        **sponsor_fields(draft),
        "subjects": "|".join(sorted(s.name for s in draft.subjects.all())),
        "modality": draft.modality,
        "procedural": "yes" if draft.procedural else "no",
        "recorded_yes": _number(draft.recorded_yes),
        "recorded_no": _number(draft.recorded_no),
        "recorded_abstain": _number(draft.recorded_abstain),
        "recorded_non_voting": _number(draft.recorded_non_voting),
        "recorded_members": _number(draft.recorded_members),
        "stated_outcome": draft.recorded_outcome,
        "stated_vetoed_by": "|".join(sorted(draft.recorded_vetoed_by or [], key=seat_sort_key)),
        "outcome": draft.outcome,
        "vetoed_by": "|".join(v.seat.code for v in vetoes),
        "tally_yes": _number(draft.tally_yes),
        "tally_no": _number(draft.tally_no),
        "tally_abstain": _number(draft.tally_abstain),
        "tally_non_voting": _number(draft.tally_non_voting),
        "undl_record_id": draft.undl_record_id,
        "source": source,
        "source_version": version,
    }


def sponsor_fields(draft: Draft) -> dict:
    """The sponsors' columns, from the prefetched sponsorships."""
    rows = list(draft.sponsorships.all())
    return {
        "sponsors": "|".join(row.state.name if row.state else row.name for row in rows),
        "sponsor_codes": "|".join(row.state.code if row.state else "" for row in rows),
        "sponsor_source": rows[0].source if rows else "",
    }


def vote_fields(vote: MemberVote | None) -> dict:
    if vote is None:
        return dict.fromkeys(VOTE_COLUMNS, "")
    return {
        "ms_code": vote.state.code,
        "ms_name": vote.name_at_vote,
        "permanent_seat": vote.seat.code if vote.seat_id else "",
        "ms_vote": vote.position,
        "non_voting": vote.non_voting,
        "vote_note": vote.note,
        "vote_evidence": vote_evidence(vote),
        "vote_source": vote.source,
    }


def _drafts(drafts: QuerySet, *, member_votes: bool = True) -> Iterator[Draft]:
    """The drafts, each with its member votes, vetoes, subjects and sponsors, in five
    queries whatever the size (four without member votes).

    The drafts and their member votes are read side by side, in the same order,
    each from one cursor (server-side on PostgreSQL, fetched ``CHUNK`` rows at a
    time), so memory stays flat; the vetoes and subjects, a few per draft, are
    read at once. No gc.collect() per chunk: a full collection cost up to 141 ms
    each, 31 times a dump, and the collector frees the rows' cycles by itself.
    """
    order = _draft_order(drafts)
    matching = drafts.order_by().values("pk")
    vetoes = _by_draft(Veto.objects.filter(draft__in=matching).select_related("seat"))
    tagged = Draft.subjects.through.objects.filter(draft__in=matching).select_related("subject")
    subjects = _by_draft(tagged, lambda row: row.subject)
    sponsorships = _by_draft(
        Sponsorship.objects.filter(draft__in=matching)
        .select_related("state")
        .order_by("draft_id", "position")
    )
    votes = _votes_in_order(matching, order) if member_votes else iter(())
    vote = next(votes, None)
    for draft in for_export(drafts).order_by(*order).iterator(chunk_size=CHUNK):
        own = []
        while vote is not None and vote.draft_id == draft.pk:
            own.append(vote)
            vote = next(votes, None)
        _attach(draft, "member_votes", own)
        _attach(draft, "vetoes", vetoes.get(draft.pk, []))
        _attach(draft, "subjects", subjects.get(draft.pk, []))
        _attach(draft, "sponsorships", sponsorships.get(draft.pk, []))
        yield draft


def draft_rows(drafts: QuerySet) -> Iterator[dict]:
    """One row per draft."""
    for draft in _drafts(drafts, member_votes=False):
        yield draft_fields(draft)


def vote_rows(drafts: QuerySet) -> Iterator[dict]:
    """One row per member vote; one row with empty member columns for a draft without."""
    for draft in _drafts(drafts):
        fields = draft_fields(draft)
        for vote in list(draft.member_votes.all()) or [None]:
            yield {**fields, **vote_fields(vote)}


def csv_lines(drafts: QuerySet, *, per_vote: bool = False) -> Iterator[str]:
    columns = VOTES_COLUMNS if per_vote else DRAFT_COLUMNS
    rows = vote_rows(drafts) if per_vote else draft_rows(drafts)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield flush()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
        yield flush()


def json_chunks(drafts: QuerySet, meta: dict | None = None) -> Iterator[str]:
    header = {"licence": EXPORT_LICENCE, **(meta or {})}
    opening = json.dumps(header, ensure_ascii=False, indent=None)[:-1]
    yield opening + ', "drafts": ['
    first = True
    for draft in _drafts(drafts):
        item = draft_fields(draft)
        item["votes"] = [vote_fields(v) for v in draft.member_votes.all()]
        yield ("" if first else ",") + "\n" + json.dumps(item, ensure_ascii=False)
        first = False
    yield "\n]}\n"


def streamed(chunks: Iterable[str], *, filename: str, content_type: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in chunks), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Licence"] = LICENCE_NAME
    return response


def csv_response(
    drafts: QuerySet, filename: str = "sc-votes.csv", *, per_vote: bool = False
) -> StreamingHttpResponse:
    return streamed(
        csv_lines(drafts, per_vote=per_vote),
        filename=filename,
        content_type="text/csv; charset=utf-8",
    )


def json_response(
    drafts: QuerySet, filename: str = "sc-votes.json", meta: dict | None = None
) -> StreamingHttpResponse:
    return streamed(json_chunks(drafts, meta), filename=filename, content_type="application/json")
