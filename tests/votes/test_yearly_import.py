"""The per-year counts after an import of real files: a recount of the votes they gave.

Apart from tests/votes/test_yearly.py, whose sample (kept for the whole module)
would stand in the Council's way.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from resolutions.models import Draft
from resolutions.outcomes import counted_once
from resolutions.search import full_text
from tests.resolutions.test_sync_concurrency import source_folder
from tests.votes.test_yearly import assert_counts_match_a_recount
from votes.models import DraftYear, MemberVote

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"


def test_the_counts_of_an_import_are_a_recount_of_its_votes(shared_data):
    for command, path in (("import_dppa", MEMBERSHIP), ("import_undl", EXCERPT)):
        call_command(command, str(shared_data / path), stdout=StringIO())
    assert MemberVote.objects.count() > 100
    assert_counts_match_a_recount()


def test_within_counted_once_the_words_and_counts_wait_for_its_end(shared_data):
    # A sync loads its sources within counted_once (resolutions.outcomes): each source
    # refreshes its drafts' outcomes, and the words and per-year counts are written
    # once, when the block ends, as a refresh after every source would have left them.
    with counted_once():
        for command, path in (("import_dppa", MEMBERSHIP), ("import_undl", EXCERPT)):
            call_command(command, str(shared_data / path), stdout=StringIO())
        assert Draft.objects.adopted().exists()  # the outcomes at once
        assert not DraftYear.objects.exists()
        if full_text("default"):
            assert not Draft.objects.filter(search_vector__isnull=False).exists()
    assert DraftYear.objects.exists()
    assert_counts_match_a_recount()
    if full_text("default"):
        assert not Draft.objects.filter(search_vector__isnull=True).exists()


def test_the_counts_of_a_sync_are_a_recount_of_its_votes(shared_data, tmp_path):
    folder = source_folder(shared_data, tmp_path / "data")
    call_command("sync_un_data", from_dir=str(folder), stdout=StringIO(), no_progress=True)
    assert MemberVote.objects.count() > 100
    assert_counts_match_a_recount()
