"""The per-source entries on a draft have one described shape, checked when written.

Real files are loaded; a bad value is made by changing one parsed record, as a
parser with a bug would hand it over.
"""

import dataclasses
from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft
from resolutions.pipeline.loader import load_drafts
from resolutions.pipeline.sync import Input, parse
from resolutions.source_entries import EntryError, SourceEntry, SourceValues
from resolutions.sources.records import SourceError
from tests.conftest import kept_for_the_scope
from votes.choices import Source
from votes.models import MemberVote

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]

EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"


@pytest.fixture(scope="module")
def four_sources(shared_data, django_db_setup, django_db_blocker):
    """Four official sources, loaded once for the module; a test's changes roll back."""
    with kept_for_the_scope(django_db_blocker):
        with django_db_blocker.unblock():
            for command, path in (
                ("import_dppa", MEMBERSHIP),
                ("import_undl", EXCERPT),
                ("import_unxml", "unxml_sc_resolutions/not_adopted_english"),
                ("import_dhl_veto", "dhl_meetings_tables/scact_veto_table_en.html"),
            ):
                call_command(command, str(shared_data / path), no_progress=True, stdout=StringIO())
        yield


def test_every_stored_entry_reads_back_as_it_was_stored(four_sources):
    entries = [
        (key, entry)
        for sources in Draft.objects.values_list("sources", flat=True)
        for key, entry in sources.items()
    ]
    assert {key for key, _entry in entries} == {Source.UNDL, Source.UNXML, Source.DHL_VETO}
    for _key, entry in entries:
        assert SourceEntry.from_json(entry).to_json() == entry


# The keys in the order the pipeline has always written them: SQLite keeps the
# JSON text as written, and it must stay byte for byte the same.
WRITTEN_ORDER = [
    (
        {"resolution_number": 2805},
        Source.UNDL,
        [
            "date",
            "draft_symbol",
            "resolution",
            "meeting",
            "title",
            "description",
            "agenda",
            "modality",
            "undl_record_id",
            "subjects",
            "totals",
            "outcome",
            "votes",
        ],
    ),
    (
        {"draft_symbol": "S/2023/638"},
        Source.UNXML,
        [
            "date",
            "draft_symbol",
            "meeting",
            "title",
            "agenda",
            "modality",
            "subjects",
            "sponsors",  # who submitted it (issue 10)
            "totals",
            "outcome",
            "vetoed_by",
            "votes",
        ],
    ),
    (
        {"draft_symbol": "S/2022/431"},
        Source.DHL_VETO,
        ["date", "draft_symbol", "meeting", "agenda", "outcome", "vetoed_by"],
    ),
]


@pytest.mark.parametrize(("draft", "source", "keys"), WRITTEN_ORDER)
def test_entries_are_written_in_the_order_they_always_were(four_sources, draft, source, keys):
    stored = Draft.objects.get(**draft).sources[source]
    written = SourceEntry.from_json(stored).to_json()  # jsonb keeps no key order: rebuild it
    assert list(written) == ["version", "location", "url", "values", "flags"]
    assert list(written["values"]) == keys


def test_a_value_of_the_wrong_kind_is_refused_naming_it_and_nothing_is_written(
    shared_data, tmp_path
):
    call_command("import_dppa", str(shared_data / MEMBERSHIP), no_progress=True, stdout=StringIO())
    # The module's `four_sources` record may be in the database too: nothing is added to it.
    before = (Draft.objects.count(), MemberVote.objects.count())
    parsed = parse(Input(Source.UNDL, shared_data / EXCERPT))
    first, *rest = parsed.records
    broken = dataclasses.replace(
        parsed, records=(dataclasses.replace(first, outcome="carried"), *rest)
    )

    with pytest.raises(SourceError) as error:
        load_drafts(broken, progress=False)

    assert error.value.location == first.location
    assert "'outcome'" in error.value.reason
    assert "'carried'" in error.value.reason
    assert (Draft.objects.count(), MemberVote.objects.count()) == before


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"date": "26 May 2022"}, "date"),
        ({"totals": [13, 2, 0]}, "totals"),
        ({"totals": [13, 2, "0", None, None]}, "totals"),
        ({"resolution": [2627, None]}, "resolution"),
        ({"vetoed_by": ["SUN"]}, "vetoed_by"),
        ({"modality": "secret"}, "modality"),
        ({"procedural": "yes"}, "procedural"),
        ({"subjects": "SANCTIONS"}, "subjects"),
        ({"tally": "13-2-0"}, "tally"),
    ],
)
def test_a_stored_entry_of_another_shape_is_a_clear_error(values, named):
    with pytest.raises(EntryError, match=named):
        SourceEntry.from_json({"version": "1", "location": "", "url": "", "values": values})


def test_an_inferred_procedural_value_is_stored_after_the_stated_ones():
    # As S/RES/2623 (2022): adopted with a permanent member against, so the
    # Council treated it as procedural; the inference is written last, with its reason.
    stated = SourceValues(date="2022-02-27", procedural=True, outcome="adopted").to_json()
    inferred = SourceValues(
        date="2022-02-27", outcome="adopted", procedural=True, procedural_inferred="why"
    ).to_json()
    assert list(stated) == ["date", "procedural", "outcome"]
    assert list(inferred) == ["date", "outcome", "procedural", "procedural_inferred"]
