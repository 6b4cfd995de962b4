"""Query budgets of the editors' pages, at two data sizes, so that an N+1 cannot hide.

The same budgets hold with the whole official record loaded
(test_admin_full_history.py).
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from resolutions.models import AgendaItem, Meeting, Subject
from tests.factories import recorded_draft
from tests.resolutions.test_admin_setup import (
    ELECTED_1960,
    VOTE_DATE,
    elected_terms,
)
from votes.models import MemberState

pytest_plugins = ["tests.resolutions.test_admin_setup"]
pytestmark = pytest.mark.django_db

# Logged in as an editor (not a superuser), every admin page starts with:
#   1. the session
#   2. the user
#   3. the user's own permissions
#   4. the permissions of the user's groups
LOGIN = 4
# The list of drafts adds:
#   5. the years for the year filter
#   6. the count of drafts matching the filters (once: show_full_result_count off)
#   7. one page of drafts, with their meetings
#   8. the vetoes of those drafts, with their seats (for "Vetoed by …")
LIST_BUDGET = LOGIN + 4
# Filtering by member state adds:
#   9. the chosen state, to show it in its autocomplete box
FILTERED_BUDGET = LIST_BUDGET + 1
# The change form of a draft adds:
#   5. the draft
#   6. its vetoes, with their seats (the outcome as published)
#   7. its meeting (the "Meeting record" box)
#   8. its subjects (the form's initial value)
#   9. its member votes
#  10. their history (the source's value beside an editor's)
#  11. the content type of drafts (the history link)
#  12. its agenda item (its autocomplete box)
#  13. its subjects (their autocomplete box)
CHANGE_BUDGET = LOGIN + 9
# and, for a draft not published now:
#  14. whether it was ever published (only a superuser may delete it if so)
UNPUBLISHED_CHANGE_BUDGET = CHANGE_BUDGET + 1
# A draft's history page adds:
#   5. the draft, 6. its vetoes (the page title)
#   7. the number of its versions, 8. one page of versions, with their users
#   9. the content type of users (links to them)
#  10. the changes to its member votes, with their users
#  11. the subjects each listed version had (one query for the page)
HISTORY_BUDGET = LOGIN + 7


def more_drafts(count: int) -> None:
    """``count`` more drafts in 2022, one in three vetoed by Russia."""
    for i in range(count):
        recorded_draft(
            VOTE_DATE - timedelta(days=i + 1),
            {"RUS": "N"} if i % 3 == 0 else {},
            draft_symbol=f"S/2022/{300 + i}",
        )


@pytest.mark.parametrize("extra", [0, 40])
def test_the_list_keeps_its_budget(
    editor_client, council_2022, extra, django_assert_max_num_queries
):
    recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    more_drafts(extra)
    with django_assert_max_num_queries(LIST_BUDGET):
        response = editor_client.get(reverse("admin:resolutions_draft_changelist"))
    assert len(response.context["cl"].result_list) == min(1 + extra, 50)


@pytest.mark.parametrize("extra", [0, 40])
def test_the_filtered_list_keeps_its_budget(
    editor_client, council_2022, extra, django_assert_max_num_queries
):
    recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    more_drafts(extra)
    ghana = MemberState.objects.get(code="GHA")
    query = {"year": "2022", "outcome__exact": "vetoed", "state": ghana.pk, "q": "S/2022"}
    with django_assert_max_num_queries(FILTERED_BUDGET):
        response = editor_client.get(reverse("admin:resolutions_draft_changelist"), query)
    assert len(response.context["cl"].result_list) == 1 + len(range(0, extra, 3))


@pytest.mark.parametrize(
    ("on", "members", "extra"), [(date(1960, 6, 1), 11, 0), (VOTE_DATE, 15, 30)]
)
@pytest.mark.parametrize("published", [True, False])
def test_the_change_form_keeps_its_budget(
    editor_client, council_2022, on, members, extra, published, django_assert_max_num_queries
):
    elected_terms(ELECTED_1960)
    more_drafts(extra)
    draft = recorded_draft(
        on,
        {"RUS": "N"},
        draft_symbol="S/1960/1",
        is_published=published,
        meeting=Meeting.objects.create(symbol="S/PV.900"),
        agenda_item=AgendaItem.objects.create(name="The situation in the Congo"),
    )
    draft.subjects.add(Subject.objects.create(name="Peacekeeping"))
    budget = CHANGE_BUDGET if published else UNPUBLISHED_CHANGE_BUDGET
    with django_assert_max_num_queries(budget):
        response = editor_client.get(reverse("admin:resolutions_draft_change", args=[draft.pk]))
    assert len(response.context["inline_admin_formsets"][0].formset.forms) == members


@pytest.mark.parametrize("extra", [0, 30])
def test_the_history_page_keeps_its_budget(
    editor_client, council_2022, extra, django_assert_max_num_queries
):
    more_drafts(extra)
    draft = recorded_draft(VOTE_DATE, {"CHN": "N", "RUS": "N"}, draft_symbol="S/2022/431")
    with django_assert_max_num_queries(HISTORY_BUDGET):
        response = editor_client.get(reverse("admin:resolutions_draft_history", args=[draft.pk]))
    assert response.status_code == 200
