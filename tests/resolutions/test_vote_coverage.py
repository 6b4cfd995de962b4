"""manage.py vote_coverage: failed and vetoed drafts with every member's vote, by decade."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from resolutions.models import Draft

pytestmark = pytest.mark.django_db


def test_the_closing_count_is_recounted_from_the_votes(sample):
    failed = Draft.objects.published().filter(outcome__in=["vetoed", "not_adopted"])
    counted = failed.annotate(n=Count("member_votes"))
    complete = sum(1 for d in counted if d.n == (15 if d.date.year >= 1966 else 11))
    assert failed.exists()
    out = StringIO()
    call_command("vote_coverage", first=1946, last=2030, stdout=out)
    assert (
        f"{complete} of {failed.count()} failed or vetoed drafts of 1946-2030 have every "
        "member's vote" in out.getvalue()
    )
