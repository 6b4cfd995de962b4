"""The downloads, byte for byte, against the format written out here from model instances.

resolutions/exports.py streams plain values from merged cursors for speed; this
test builds the same files the plain way (each draft an instance with its related
rows prefetched, a dict per row, csv.DictWriter), so a change to the fast path
that moves one byte of any format fails here, not in the round trip of a user's
spreadsheet. The sample is given the cells that the CSV must quote (commas,
quotes, line breaks), formula-like text, a sponsor that is a body, subjects that
sort differently in Python and in the database, and votes of each evidence.
"""

import csv
import io
import json

import pytest
from django.db.models import F, Prefetch
from django.http import QueryDict

from resolutions import exports
from resolutions.evidence import vote_evidence
from resolutions.export_format import DRAFT_COLUMNS, VOTE_COLUMNS, VOTES_COLUMNS, neutralise
from resolutions.filters import DraftFilter
from resolutions.licence import EXPORT_LICENCE
from resolutions.models import NEWEST_FIRST, Draft, Sponsorship, Subject, sponsors_prefetch
from votes.choices import Source
from votes.models import MemberState, MemberVote, Veto
from votes.seats import seat_sort_key

pytestmark = pytest.mark.django_db

QUERIES = ["", "country=ghana", "outcome=vetoed"]


@pytest.fixture
def awkward(sample):
    """The seed draft with every cell the writer must get right."""
    seed = Draft.objects.get(draft_symbol="S/2022/431")
    Draft.objects.filter(pk=seed.pk).update(
        description='He said "no",\nthen left; =SUM(A1) is not a formula here',
        title="-a title a spreadsheet would run",
        press_release="'quoted",
    )
    Sponsorship.objects.filter(draft=seed).delete()
    ghana = MemberState.objects.get(code="GHA")
    Sponsorship.objects.create(draft=seed, state=ghana, name="Ghana", position=0, source="unxml")
    Sponsorship.objects.create(draft=seed, name='President, "acting"', position=1, source="unxml")
    # Python sorts "Zeta" before "alpha"; a database's collation may not.
    seed.subjects.add(*(Subject.objects.create(name=n) for n in ("alpha", 'Zeta, "q"')))
    votes = MemberVote.objects.filter(draft=seed)
    votes.filter(state__code="GHA").update(source=Source.DEDUCED, note='From the "13-2-0",\ntally')
    votes.filter(state__code="CHN").update(source=Source.VOTING_AGENT, note="=not run")
    return seed


def _blank(value):
    return "" if value is None else value


def _draft_row(draft: Draft) -> dict:
    source, version = exports.provenance(draft.sources, draft.source)
    sponsors = list(draft.sponsorships.all())
    vetoes = sorted((v.seat.code for v in draft.vetoes.all()), key=seat_sort_key)
    counts = ("yes", "no", "abstain", "non_voting")
    row = {
        "record_id": draft.pk,
        "date": draft.date.isoformat(),
        "resolution": draft.resolution_symbol,
        "draft_symbol": draft.draft_symbol,
        "meeting": draft.meeting.symbol if draft.meeting else "",
        "press_release": draft.press_release,
        "title": draft.display_title,
        "title_built": "yes" if draft.title_is_built else "no",
        "description": draft.description,
        "agenda": draft.agenda_item.name if draft.agenda_item else "",
        "sponsors": "|".join(s.state.name if s.state else s.name for s in sponsors),
        "sponsor_codes": "|".join(s.state.code if s.state else "" for s in sponsors),
        "sponsor_source": sponsors[0].source if sponsors else "",
        "subjects": "|".join(sorted(s.name for s in draft.subjects.all())),
        "modality": draft.modality,
        "procedural": "yes" if draft.procedural else "no",
        **{f"recorded_{k}": _blank(getattr(draft, f"recorded_{k}")) for k in counts},
        "recorded_members": _blank(draft.recorded_members),
        "stated_outcome": draft.recorded_outcome,
        "stated_vetoed_by": "|".join(sorted(draft.recorded_vetoed_by or [], key=seat_sort_key)),
        "outcome": draft.outcome,
        "vetoed_by": "|".join(vetoes),
        **{f"tally_{k}": _blank(getattr(draft, f"tally_{k}")) for k in counts},
        "undl_record_id": draft.undl_record_id,
        "source": source,
        "source_version": version,
    }
    assert list(row) == DRAFT_COLUMNS  # the JSON keeps the columns' order
    return row


def _vote_row(vote: MemberVote) -> dict:
    return {
        "ms_code": vote.state.code,
        "ms_name": vote.name_at_vote,
        "permanent_seat": vote.seat.code if vote.seat else "",
        "ms_vote": vote.position,
        "non_voting": vote.non_voting,
        "vote_note": vote.note,
        "vote_evidence": vote_evidence(vote),
        "vote_source": vote.source,
    }


def _expected(query: str) -> list[tuple[dict, list[dict]]]:
    """Each matching draft's row and its votes' rows, newest first; in each draft the
    permanent members in seat order, then the others by code."""
    in_order = MemberVote.objects.select_related("state", "seat").order_by(
        F("seat__position").asc(nulls_last=True), "state__code"
    )
    drafts = (
        DraftFilter(QueryDict(query))
        .qs.order_by(*NEWEST_FIRST)
        .select_related("meeting", "agenda_item")
        .prefetch_related(None)  # the list's own prefetches
        .prefetch_related(
            Prefetch("member_votes", in_order),
            Prefetch("vetoes", Veto.objects.select_related("seat")),
            "subjects",
            sponsors_prefetch(),
        )
    )
    return [(_draft_row(d), [_vote_row(v) for v in d.member_votes.all()]) for d in drafts]


def _csv(columns: list[str], rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def _body(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("query", QUERIES)
def test_the_csv_per_draft_is_the_format_byte_for_byte(client, awkward, query):
    expected = _expected(query)
    assert expected
    assert _body(client, f"/votes.csv?{query}") == _csv(DRAFT_COLUMNS, [d for d, _ in expected])


@pytest.mark.parametrize("query", QUERIES)
def test_the_csv_per_vote_is_the_format_byte_for_byte(client, awkward, query):
    empty = dict.fromkeys(VOTE_COLUMNS, "")
    rows = [{**d, **v} for d, votes in _expected(query) for v in votes or [empty]]
    got = _body(client, f"/votes.csv?rows=votes&{query}")
    assert got == _csv(VOTES_COLUMNS, rows)
    assert '"From the ""13-2-0"",\ntally"' in got and "'=not run" in got


@pytest.mark.parametrize("query", QUERIES)
def test_the_json_is_the_format_byte_for_byte(client, awkward, query):
    items = [{**d, "votes": votes} for d, votes in _expected(query)]
    opening = json.dumps({"licence": EXPORT_LICENCE}, ensure_ascii=False)[:-1]
    lines = ",".join("\n" + json.dumps(item, ensure_ascii=False) for item in items)
    assert _body(client, f"/votes.json?{query}") == opening + ', "drafts": [' + lines + "\n]}\n"


def test_the_awkward_cells_are_in_the_sample(client, awkward):
    """The cells above reach the dump as set, so the comparisons test their quoting."""
    (seed,) = [d for d, _ in _expected("") if d["record_id"] == awkward.pk]
    assert seed["sponsors"] == 'Ghana|President, "acting"' and seed["sponsor_codes"] == "GHA|"
    assert seed["subjects"].startswith('Zeta, "q"|') and "alpha" in seed["subjects"]
    assert "\n" in seed["description"]
