"""The per-year counts after an import of real files: a recount of the votes they gave.

Apart from tests/votes/test_yearly.py, whose sample (kept for the whole module)
would stand in the Council's way.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.votes.test_yearly import assert_counts_match_a_recount
from votes.models import MemberVote

pytestmark = [pytest.mark.django_db, pytest.mark.realdata]


EXCERPT = "undl_sc_voting/2026_02_06_sc_voting_EXCERPT.csv"
MEMBERSHIP = "dppa_sc_membership/DPPA-SCMembership_2026-07-02.csv"


def test_the_counts_of_an_import_are_a_recount_of_its_votes(shared_data):
    for command, path in (("import_dppa", MEMBERSHIP), ("import_undl", EXCERPT)):
        call_command(command, str(shared_data / path), stdout=StringIO())
    assert MemberVote.objects.count() > 100
    assert_counts_match_a_recount()
