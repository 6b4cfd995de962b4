"""The open-data format: drafts and member votes as CSV or JSON, streamed.

One format serves every download (a filtered list, a country's history, the
full dump) and is read back by ``manage.py import_votes``
(``resolutions.sources.site_export``). CSV has one row per member vote, like
the Library's voting data, and one row with empty member columns for a draft
with no member-by-member record; JSON nests the votes under each draft.

Rows are read from the database as they are written, as plain values: one
cursor for the drafts and one each for their member votes, vetoes, subjects and
sponsors, in the drafts' order and merged as they are read, so memory stays flat
and the queries are the same few whatever the size of the export. Text cells
that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return) are neutralised with a leading apostrophe, which the importer
removes again.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.db.models import F, OrderBy, QuerySet
from django.http import StreamingHttpResponse

from resolutions.evidence import source_evidence
from resolutions.export_format import (
    DRAFT_COLUMNS,
    VOTE_COLUMNS,
    VOTES_COLUMNS,
    neutralise,
)
from resolutions.export_format import restore as restore  # exports.restore, as before
from resolutions.licence import EXPORT_LICENCE, LICENCE_NAME
from resolutions.models import (
    NEWEST_FIRST,
    RECORDED_FIELDS,
    Draft,
    Sponsorship,
    display_title,
    resolution_symbol,
    title_is_built,
)
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


# The draft's values a row needs, in this order (``_draft_cells`` unpacks them): plain
# values from one cursor, no model instances. The meeting's symbol and the agenda
# item's name come joined, as select_related had them.
DRAFT_VALUES = (
    "pk",
    "date",
    "resolution_number",
    "resolution_year",
    "draft_symbol",
    "meeting__symbol",
    "press_release",
    "title",
    "built_title",
    "description",
    "agenda_item__name",
    "modality",
    "procedural",
    *RECORDED_FIELDS,  # yes, no, abstain, non_voting, members, outcome, vetoed_by
    "outcome",
    "tally_yes",
    "tally_no",
    "tally_abstain",
    "tally_non_voting",
    "undl_record_id",
    "sources",
    "source",
)
# A member vote's values, the draft's id first. The state's code and the seat's come
# joined: the votes' order (seat, then code) joins both tables anyway, so this costs
# no query of its own, where lookup tables of states and seats would add two.
VOTE_VALUES = (
    "draft_id",
    "state__code",
    "name_at_vote",
    "seat__code",
    "position",
    "non_voting",
    "note",
    "source",
)
# The CSV is written in blocks of about this many characters, not a chunk per row.
BLOCK = 32_768


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


class _Rows:
    """Rows that belong to drafts (the draft's id first), read from one cursor in the
    drafts' order: ``of(draft_id)`` takes the next draft's, a merge join that holds
    one draft's rows at a time whatever the size of the export."""

    def __init__(self, rows: QuerySet, chunk: int) -> None:
        self._rows = rows.iterator(chunk_size=chunk)
        self._next = next(self._rows, None)

    def of(self, draft_id: int) -> list[tuple]:
        own = []
        while self._next is not None and self._next[0] == draft_id:
            own.append(self._next)
            self._next = next(self._rows, None)
        return own

    def check_done(self) -> None:
        """Every row was taken: one left over means its stream's order was not the
        drafts', and the drafts after it would silently have lost their rows."""
        if self._next is not None:
            raise RuntimeError(f"export: rows of draft {self._next[0]} out of the drafts' order")


def _related(drafts: QuerySet, order: list[OrderBy], *, member_votes: bool) -> dict[str, _Rows]:
    """The drafts' vetoes, subjects, sponsors (and member votes), each one cursor in
    the drafts' order, as plain values."""
    matching = drafts.order_by().values("pk")
    on_draft = [_on_draft(o) for o in order]
    streams = {
        "vetoes": Veto.objects.filter(draft__in=matching)
        .order_by(*on_draft)
        .values_list("draft_id", "seat__code"),
        "subjects": Draft.subjects.through.objects.filter(draft__in=matching)
        .order_by(*on_draft)
        .values_list("draft_id", "subject__name"),
        "sponsors": Sponsorship.objects.filter(draft__in=matching)
        .order_by(*on_draft, "position")
        .values_list("draft_id", "state_id", "state__name", "state__code", "name", "source"),
    }
    if member_votes:
        # In each draft, the permanent members in seat order, then the others by code.
        streams["votes"] = (
            MemberVote.objects.filter(draft__in=matching)
            .order_by(*on_draft, F("seat__position").asc(nulls_last=True), "state__code")
            .values_list(*VOTE_VALUES)
        )
    return {name: _Rows(rows, CHUNK * 15) for name, rows in streams.items()}


def provenance(sources: dict | None, source: str) -> tuple[str, str]:
    """(sources, versions) of a draft, as two ';'-separated texts, from its
    ``sources`` and ``source``.

    A record that came in through ``import_votes`` keeps the provenance its
    file stated, so that an export read back and exported again is identical.
    """
    sources = sources or {}
    stated = sources.get("editor", {}).get("values", {}).get("provenance")
    if stated and set(sources) == {"editor"}:
        return stated[0], stated[1]
    if not sources:  # entered before any import: the starter data, or an editor
        return source, ""
    keys = sorted(sources)
    return ";".join(keys), ";".join(str(sources[k].get("version", "")) for k in keys)


def _number(value):
    return "" if value is None else value


def _draft_cells(draft: tuple, related: dict[str, list[tuple]]) -> list:
    """A draft's values in DRAFT_COLUMNS' order, from its DRAFT_VALUES and its rows."""
    (
        pk,
        date,
        number,
        year,
        draft_symbol,
        meeting,
        press_release,
        title,
        built_title,
        description,
        agenda,
        modality,
        procedural,
        recorded_yes,
        recorded_no,
        recorded_abstain,
        recorded_non_voting,
        recorded_members,
        recorded_outcome,
        recorded_vetoed_by,
        outcome,
        tally_yes,
        tally_no,
        tally_abstain,
        tally_non_voting,
        undl_record_id,
        sources,
        first_source,
    ) = draft
    source, version = provenance(sources, first_source)
    return [
        pk,
        date.isoformat(),
        resolution_symbol(number, year),
        draft_symbol,
        meeting or "",
        press_release,
        display_title(title, built_title),
        "yes" if title_is_built(title, built_title) else "no",
        description,
        agenda or "",
        *_sponsor_cells(related["sponsors"]),
        "|".join(sorted(name for _, name in related["subjects"])),
        modality,
        "yes" if procedural else "no",
        _number(recorded_yes),
        _number(recorded_no),
        _number(recorded_abstain),
        _number(recorded_non_voting),
        _number(recorded_members),
        recorded_outcome,
        "|".join(sorted(recorded_vetoed_by or [], key=seat_sort_key)),
        outcome,
        "|".join(sorted((seat for _, seat in related["vetoes"]), key=seat_sort_key)),
        _number(tally_yes),
        _number(tally_no),
        _number(tally_abstain),
        _number(tally_non_voting),
        undl_record_id,
        source,
        version,
    ]


def _sponsor_cells(rows: list[tuple]) -> tuple[str, str, str]:
    """sponsors, sponsor_codes, sponsor_source: each state under its name today, a body
    as the source writes it, in the source's order."""
    return (
        "|".join(name if state is not None else written for _, state, name, _, written, _ in rows),
        "|".join(code if state is not None else "" for _, state, _, code, _, _ in rows),
        rows[0][5] if rows else "",
    )


def _vote_cells(vote: tuple, evidence: dict[str, str]) -> list:
    """A member vote's values in VOTE_COLUMNS' order; ``evidence`` caches each source's
    kind as resolutions.evidence names it."""
    _, code, name, seat, position, non_voting, note, source = vote
    kind = evidence.get(source)
    if kind is None:
        kind = evidence[source] = source_evidence(source)
    return [code, name, seat or "", position, non_voting, note, kind, source]


def _drafts(drafts: QuerySet, *, member_votes: bool = True) -> Iterator[tuple[list, list[tuple]]]:
    """Each draft's cells (DRAFT_COLUMNS) and its member votes' values (VOTE_VALUES),
    in four queries whatever the size (five with member votes).

    The drafts and each kind of row that belongs to them (vetoes, subjects,
    sponsors, member votes) are read side by side as plain values, each from one
    cursor (server-side on PostgreSQL, fetched in chunks) in the drafts' order, so
    memory stays flat. No gc.collect() per chunk: a full collection cost up to
    141 ms each, 31 times a dump, and the collector frees what it must by itself.
    """
    order = _draft_order(drafts)
    related = _related(drafts, order, member_votes=member_votes)
    votes = related.pop("votes", None)
    rows = drafts.prefetch_related(None).order_by(*order).values_list(*DRAFT_VALUES)
    for draft in rows.iterator(chunk_size=CHUNK):
        pk = draft[0]
        own = {name: stream.of(pk) for name, stream in related.items()}
        yield _draft_cells(draft, own), (votes.of(pk) if votes is not None else [])
    for stream in (*related.values(), *([votes] if votes is not None else [])):
        stream.check_done()


class _CsvText:
    """Rows as the csv module writes them, as text."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def _flush(self) -> str:
        text = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        return text

    def line(self, cells: Iterable) -> str:
        """One row (of two or more cells), without the line's end."""
        self._writer.writerow(cells)
        return self._flush()[:-1]

    def lines(self, rows: list[list]) -> list[str]:
        """Rows, each without the line's end: written together and split at the line
        ends, unless a cell holds a line break (quoted, so the text has more line
        ends than rows); then one row at a time."""
        self._writer.writerows(rows)
        lines = self._flush().split("\n")[:-1]
        return lines if len(lines) == len(rows) else [self.line(row) for row in rows]


def csv_lines(drafts: QuerySet, *, per_vote: bool = False) -> Iterator[str]:
    """The CSV, one row per draft, or per member vote (and one with empty member
    columns for a draft without), in blocks of about BLOCK characters.

    Per member vote, a draft's own cells are written once and repeated on each of
    its votes' lines: the csv module quotes each cell by itself alone, so the
    line is the same text as a whole row written at once, at a fraction of the
    cost (a draft's description, its longest cell, was quoted again on every vote).
    """
    text = _CsvText()
    yield text.line(VOTES_COLUMNS if per_vote else DRAFT_COLUMNS) + "\n"
    block: list[str] = []
    size = 0
    no_vote = text.line([""] * len(VOTE_COLUMNS))
    evidence: dict[str, str] = {}
    for cells, votes in _drafts(drafts, member_votes=per_vote):
        safe = [neutralise(v) for v in cells]
        if not per_vote:
            lines = [text.line(safe) + "\n"]
        else:
            # VOTES_COLUMNS: the draft's cells, the member's, then the provenance.
            head, tail = text.line(safe[:-2]) + ",", "," + text.line(safe[-2:]) + "\n"
            members = [[neutralise(v) for v in _vote_cells(vote, evidence)] for vote in votes]
            lines = [head + member + tail for member in text.lines(members) or [no_vote]]
        block += lines
        size += sum(map(len, lines))
        if size >= BLOCK:
            yield "".join(block)
            block.clear()
            size = 0
    yield "".join(block)


def json_chunks(drafts: QuerySet, meta: dict | None = None) -> Iterator[str]:
    header = {"licence": EXPORT_LICENCE, **(meta or {})}
    opening = json.dumps(header, ensure_ascii=False, indent=None)[:-1]
    yield opening + ', "drafts": ['
    first = True
    evidence: dict[str, str] = {}
    for cells, votes in _drafts(drafts):
        item = dict(zip(DRAFT_COLUMNS, cells, strict=True))
        item["votes"] = [
            dict(zip(VOTE_COLUMNS, _vote_cells(v, evidence), strict=True)) for v in votes
        ]
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
