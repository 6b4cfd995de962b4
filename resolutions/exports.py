"""The open-data format: drafts and member votes as CSV or JSON, streamed.

One format serves every download (a filtered list, a country's history, the
full dump) and is read back by ``manage.py import_votes``
(``resolutions.sources.site_export``). CSV has one row per member vote, like
the Library's voting data, and one row with empty member columns for a draft
with no member-by-member record; JSON nests the votes under each draft.

Rows are produced chunk by chunk from the database, so memory stays flat
whatever the size of the export. Text cells that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or carriage return) are neutralised
with a leading apostrophe, which the importer removes again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import F, Prefetch, QuerySet
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
from resolutions.models import Draft, sponsors_prefetch
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
    "body (the President, a committee) as the source writes it. Ignored on import.",
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


def for_export(drafts: QuerySet, *, member_votes: bool = True) -> QuerySet:
    """What every exported draft needs, fetched per chunk, never per row.

    ``member_votes=False`` for the per-draft CSV, which has no member columns: its
    rows would otherwise fetch every vote with its state and seat, unused.
    """
    votes = Prefetch(
        "member_votes",
        # Permanent members first in seat order, then the others by code, on any database.
        queryset=MemberVote.objects.select_related("state", "seat").order_by(
            F("seat__position").asc(nulls_last=True), "state__code"
        ),
    )
    vetoes = Prefetch("vetoes", queryset=Veto.objects.select_related("seat"))
    # Replace any prefetching the caller set up: these are the lookups rows need.
    return (
        drafts.select_related("meeting", "agenda_item")
        # Rows need neither of these JSON documents; leaving them in the database
        # keeps the streamed export's memory flat and low.
        .defer("field_sources", "outcome_disagreements")
        .prefetch_related(None)
        .prefetch_related(
            *([votes] if member_votes else []), vetoes, "subjects", sponsors_prefetch()
        )
    )


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
    # Chunk by chunk, each with its prefetches. No gc.collect() per chunk: a full
    # collection cost up to 141 ms each, 31 times a dump, and the collector frees
    # the prefetched rows' reference cycles by itself.
    yield from for_export(drafts, member_votes=member_votes).iterator(chunk_size=CHUNK)


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
