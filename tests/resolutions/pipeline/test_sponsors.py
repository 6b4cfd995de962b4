"""Who submitted each draft: recounted from the source files, filtered, shown, exported.

The counts are the test's own reading of the files (csv and json here), never the
app's output: the compilation's "Submitted by" cells and DGACM's "sponsors" lists.
"""

from __future__ import annotations

import csv
import io
import json
import re
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse

from resolutions.models import Disagreement, Draft, Sponsorship
from resolutions.pipeline.sync import Input, load
from resolutions.sources import unxml, voting_agent
from resolutions.sources.values import is_state_name, sponsor_names
from tests.conftest import kept_for_the_scope
from tests.resolutions.pipeline.official import load_membership_and_vetoes, load_official_year
from votes.choices import Source
from votes.names import default_resolver

AGENT = "sc_voting_agent_1994_2025/sc_voting_from_xlsx_DERIVED.csv"
ADOPTED_2017 = "unxml_sc_resolutions/data_extract/2017.json"
# How the two files write the United States, as a reader of them would list it.
US = re.compile(r"\bunited\s+states\b", re.IGNORECASE)


def test_a_sponsor_list_splits_at_and_only_between_two_states():
    text = "Belarus, China, Democratic People's Republic of Korea and Antigua and Barbuda"
    assert sponsor_names(text, is_state_name) == (
        "Belarus",
        "China",
        "Democratic People's Republic of Korea",
        "Antigua and Barbuda",
    )
    assert sponsor_names("Brazil and Switzerland", is_state_name) == ("Brazil", "Switzerland")
    assert sponsor_names("-none-", is_state_name) == ()


@pytest.fixture(scope="module")
def official_2017(shared_data, tmp_path_factory, django_db_setup, django_db_blocker):
    """The official record of 2017 (meetings table, Veto List), then the compilation's 2017.

    Built once for the module (each test's changes roll back with the test).
    """
    folder = tmp_path_factory.mktemp("official")
    with (shared_data / AGENT).open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Year"] == "2017"]
    agent = tmp_path_factory.mktemp("agent") / "agent.csv"
    with agent.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            load_membership_and_vetoes(shared_data)
            load_official_year(shared_data, folder, 2017)
            load(Input(Source.VOTING_AGENT, agent))
        yield rows


@pytest.fixture
def record_2017(official_2017, db):
    """The record of official_2017, for one test."""
    return [dict(row) for row in official_2017]


def _loaded(row: dict) -> Draft | None:
    """The published draft a compilation row is about, by its draft symbol or resolution."""
    number = re.match(r"\s*(\d+)", row["Resolution"] or "")
    drafts = Draft.objects.published()
    if number:
        return drafts.filter(resolution_number=int(number.group(1))).first()
    return drafts.filter(draft_symbol=row["Draft"].strip()).first()


def _us_drafts_compiled(rows: list[dict]) -> set[int]:
    """The drafts the compilation says the United States submitted, by the file's rows."""
    by_id = {row["ID"]: row for row in rows}
    found = set()
    for row in by_id.values():
        draft = _loaded(row) if US.search(row["Submitted by"]) else None
        if draft is not None:
            found.add(draft.pk)
    return found


@pytest.mark.django_db
@pytest.mark.realdata
def test_the_sponsor_filter_finds_every_draft_the_compilation_says_the_us_submitted(
    record_2017, client
):
    expected = _us_drafts_compiled(record_2017)
    assert len(expected) >= 10  # 2017 had more than a dozen US drafts put to the vote
    response = client.get(reverse("resolutions:list"), {"sponsor": "united-states"})
    assert response.status_code == 200
    api = client.get("/api/v1/votes/", {"sponsor": "united-states", "page_size": 100}).json()
    assert api["count"] == len(expected)
    assert {row["id"] for row in api["results"]} == expected
    assert all(
        any(s["slug"] == "united-states" and s["source"] == "voting_agent" for s in row["sponsors"])
        for row in api["results"]
    )


@pytest.mark.django_db
@pytest.mark.realdata
def test_dgacms_sponsors_win_over_the_compilation_and_differences_are_recorded(
    record_2017, shared_data
):
    load(Input(Source.UNXML_ADOPTED, shared_data / ADOPTED_2017))
    official = {}
    for line in (shared_data / ADOPTED_2017).read_text(encoding="utf-8").splitlines():
        obj = json.loads(line)
        number = int(re.search(r"S/RES/(\d+)", obj["symbol"]).group(1))
        if obj["sponsors"] or obj["additional_sponsors"]:
            official[number] = obj
    drafts = Draft.objects.filter(resolution_number__in=official)
    assert drafts.count() == len(official)
    for draft in drafts.prefetch_related("sponsorships"):
        sources = {s.source for s in draft.sponsorships.all()}
        assert sources == {Source.UNXML_ADOPTED}, draft
        listed = official[draft.resolution_number]
        assert len(draft.sponsorships.all()) == len(
            set(listed["sponsors"] + listed["additional_sponsors"])
        )
    # The compilation and DGACM disagree on some; each difference is on record, detected
    # by the compilation, and the page keeps DGACM's list.
    disputes = Disagreement.objects.filter(field=Disagreement.SPONSORS)
    assert set(disputes.values_list("detected_by", flat=True)) <= {Source.VOTING_AGENT}
    for dispute in disputes:
        assert set(dispute.values) == {Source.UNXML_ADOPTED, Source.VOTING_AGENT}


@pytest.mark.django_db
@pytest.mark.realdata
def test_a_second_load_changes_no_sponsor(record_2017, tmp_path, shared_data):
    before = list(Sponsorship.objects.order_by("pk").values_list("pk", "draft", "state", "source"))
    titles = list(Draft.objects.order_by("pk").values_list("built_title", flat=True))
    call_command(
        "import_dhl_veto",
        str(shared_data / "dhl_meetings_tables" / "scact_veto_table_en.html"),
        no_progress=True,
        stdout=StringIO(),
    )
    after = list(Sponsorship.objects.order_by("pk").values_list("pk", "draft", "state", "source"))
    assert after == before
    assert list(Draft.objects.order_by("pk").values_list("built_title", flat=True)) == titles


@pytest.mark.django_db
@pytest.mark.realdata
def test_a_failed_draft_without_a_title_gets_a_built_one_marked_on_page_and_in_dumps(
    record_2017, client
):
    # The meetings table gives no title; the compilation names the sponsors.
    failed = (
        Draft.objects.published()
        .exclude(outcome="adopted")
        .filter(title="", sponsorships__state__isnull=False)
        .first()
    )
    assert failed is not None
    sponsor = failed.sponsorships.order_by("position").first().state
    assert failed.built_title.startswith(f"Draft resolution on {failed.agenda_item.name}")
    assert " submitted by " in failed.built_title
    page = client.get(failed.get_absolute_url()).content.decode()
    assert failed.built_title.replace("'", "&#x27;") in page
    assert Draft.TITLE_BUILT_NOTE in page
    dump = client.get("/votes.csv", {"sponsor": sponsor.slug})
    rows = list(csv.DictReader(io.StringIO(b"".join(dump.streaming_content).decode())))
    row = next(r for r in rows if r["record_id"] == str(failed.pk))
    assert (row["title"], row["title_built"]) == (failed.built_title, "yes")
    assert sponsor.code in row["sponsor_codes"].split("|")
    assert row["sponsor_source"] == Source.VOTING_AGENT
    # No source titles these drafts: each is marked as built, and none is left untitled.
    year = client.get("/votes.csv", {"year_from": 2017, "year_to": 2017}).streaming_content
    rows = list(csv.DictReader(io.StringIO(b"".join(year).decode())))
    assert rows and all(r["title"] and r["title_built"] == "yes" for r in rows)


@pytest.mark.django_db
@pytest.mark.realdata
@pytest.mark.parametrize("how_many", [1, 40])
def test_the_vote_page_and_api_cost_the_same_queries_whatever_the_sponsors(
    record_2017, client, how_many, django_assert_max_num_queries
):
    draft = Draft.objects.published().first()
    Sponsorship.objects.filter(draft=draft).delete()
    states = list(Sponsorship._meta.get_field("state").related_model.objects.all()[:how_many])
    Sponsorship.objects.bulk_create(
        Sponsorship(draft=draft, state=s, name=s.name, position=i, source=Source.VOTING_AGENT)
        for i, s in enumerate(states)
    )
    # The page: the same ten queries as tests/resolutions/test_pages_budget.py.
    with django_assert_max_num_queries(10):
        assert client.get(draft.get_absolute_url()).status_code == 200
    # The API list: the ETag's date, the chosen state, the count, the page, its vetoes,
    # its sponsors (one query, whatever their number), the source versions.
    with django_assert_max_num_queries(7):
        assert client.get("/api/v1/votes/", {"sponsor": states[0].slug}).status_code == 200


@pytest.mark.realdata
def test_the_parsers_give_each_draft_the_sponsors_its_file_names(shared_data):
    """The drafts naming the United States, by the files' own text, are those whose
    parsed sponsors include it (DGACM's XML, and the compilation's "Submitted by")."""
    xml = shared_data / "unxml_sc_resolutions" / "not_adopted_english"
    said = {}
    for path in sorted(xml.glob("*.xml")):
        steps = ElementTree.parse(path).getroot().iter()  # noqa: S314 (the shared files)
        by = " ".join(
            s.get("by", "") for s in steps if s.get("outcome", "").startswith("draftResolution")
        )
        said[path.name] = bool(US.search(by))
    parsed = {Path(r.location).name: r for r in unxml.parse(xml).records}
    assert {name: _names_us(parsed[name].sponsors) for name in said} == said
    assert sum(said.values()) >= 1

    with (shared_data / AGENT).open(encoding="utf-8") as handle:
        cells = {row["ID"]: row["Submitted by"] for row in csv.DictReader(handle)}
    records = voting_agent.parse(shared_data / AGENT).records
    by_id = {record.extra["id"]: record for record in records}
    expected = {int(vote_id) for vote_id, text in cells.items() if US.search(text)}
    assert {i for i, r in by_id.items() if _names_us(r.sponsors)} == expected


def _names_us(names) -> bool:
    return "USA" in {default_resolver().resolve(name) for name in names}
