"""Decisive members, margin and near-miss on real votes of the whole record."""

from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from resolutions.models import Draft, Standing
from votes.choices import Modality, Outcome, Position

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]


def decisive(draft) -> set[str]:
    return set(
        Standing.objects.filter(draft=draft, kind=Standing.Kind.DECISIVE).values_list(
            "state__code", flat=True
        )
    )


def test_s_2022_431_the_two_vetoers_decided_it(client, history):
    draft = Draft.objects.get(draft_symbol="S/2022/431")
    # From its member votes where the record has them, else from the totals and the
    # vetoing seats the sources name: either way China and Russia.
    assert decisive(draft) == {"CHN", "RUS"}
    assert (draft.margin, draft.near_miss) == (13 - 9, False)
    html = client.get(reverse("resolutions:detail", args=[draft.pk])).content.decode()
    assert '<dd id="margin">+4 ' in html


def test_s_2023_772_five_yes_is_not_a_near_miss(client, history):
    draft = Draft.objects.get(draft_symbol="S/2023/772")
    yes = draft.member_votes.filter(position=Position.YES).count()
    assert yes == 5 and draft.outcome == Outcome.NOT_ADOPTED
    assert (draft.margin, draft.near_miss, decisive(draft)) == (yes - 9, False, set())


def test_an_adoption_with_exactly_nine_yes_every_yes_decided_it(history):
    positions: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for draft_id, code, position in (
        Draft.objects.published()
        .filter(modality=Modality.RECORDED_VOTE, outcome=Outcome.ADOPTED, date__year__gte=1966)
        .values_list("pk", "member_votes__state__code", "member_votes__position")
    ):
        positions[draft_id].append((code, position))
    nine = [
        pk
        for pk, votes in positions.items()
        if len(votes) == 15 and Counter(p for _, p in votes)[Position.YES] == 9
    ]
    assert nine
    for pk in nine[:5]:
        yes = {code for code, p in positions[pk] if p == Position.YES}
        assert decisive(pk) == yes, pk
