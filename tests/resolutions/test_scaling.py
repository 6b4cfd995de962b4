"""bench_scale's copy of the record (resolutions/scaling.py): N times every row, fake
symbols, the same outcomes; and the command refuses a database not named for benchmarks."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from resolutions.management.commands.bench_scale import looks_like_scratch
from resolutions.models import Disagreement, Draft, Meeting, Standing
from resolutions.scaling import AlreadyGrown, grow
from votes.models import MemberVote, Veto

pytestmark = pytest.mark.django_db

COPIED = (Draft, Meeting, MemberVote, Veto, Standing, Draft.subjects.through)


def _counts():
    return {model: model.objects.count() for model in COPIED}


def test_growing_copies_every_row_under_fake_symbols(sample):
    before = _counts()
    flags = Disagreement.objects.filter(draft__isnull=False).count()
    originals = list(Draft.objects.values_list("draft_symbol", "outcome", "tally_yes", "date"))
    new = grow(3)
    assert len(new) == 2 * before[Draft]
    assert _counts() == {model: 3 * n for model, n in before.items()}
    assert Disagreement.objects.filter(draft__isnull=False).count() == 3 * flags
    for k in (1, 2):
        copies = Draft.objects.filter(pk__in=new, draft_symbol__startswith=f"S/X{k}/")
        symbols = [s for s, *_ in originals if s.startswith("S/")]
        assert copies.count() == len(symbols) > 0
        seed = Draft.objects.get(draft_symbol=f"S/X{k}/2022/431")
        assert seed.meeting.symbol == f"S/X{k}/PV.9048"
        assert seed.member_votes.count() == sample["seed"].member_votes.count()
    copied = sorted(
        (s.replace("S/X1/", "S/"), o, t, d)
        for s, o, t, d in Draft.objects.filter(draft_symbol__startswith="S/X1/").values_list(
            "draft_symbol", "outcome", "tally_yes", "date"
        )
    )
    assert copied == sorted(row for row in originals if row[0].startswith("S/"))


def test_each_copys_sources_name_its_own_symbols(sample):
    """Copied verbatim, the sources JSON repeated N times over and ANALYZE took the
    copies for the column's most common values (resolutions.scaling._fake_json)."""
    said = {"draft_symbol": "S/1999/1", "meeting": "S/PV.4000", "press_release": "SC/1"}
    original = {"undl": {"values": said, "flags": []}, "dhl_veto": {"url": "https://x/S/1"}}
    Draft.objects.create(draft_symbol="S/1999/1", date=date(1999, 1, 1), sources=original)
    grow(3)
    for k in (1, 2):
        copy = Draft.objects.get(draft_symbol=f"S/X{k}/1999/1").sources
        assert copy.keys() == original.keys()
        assert copy["undl"]["values"] == {
            "draft_symbol": f"S/X{k}/1999/1",
            "meeting": f"S/X{k}/PV.4000",
            "press_release": "SC/1",
        }
        assert copy["dhl_veto"] == original["dhl_veto"]  # not a symbol's string


def test_growing_twice_is_refused(sample):
    grow(2)
    with pytest.raises(AlreadyGrown):
        grow(2)


def test_the_command_refuses_a_database_not_named_for_benchmarks(sample):
    assert not looks_like_scratch(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="does not look like a scratch database"):
        call_command("bench_scale", factor=2)
    assert not Draft.objects.filter(draft_symbol__startswith="S/X").exists()
    call_command("bench_scale", factor=2, scratch=True)
    assert Draft.objects.filter(draft_symbol__startswith="S/X1/").exists()


@pytest.mark.parametrize(
    ("name", "scratch"),
    [
        ("sc_votes_bench", True),
        ("/var/lib/bench14.sqlite3", True),
        ("sc_votes", False),
        ("/srv/bench/db.sqlite3", False),
    ],
)
def test_a_scratch_database_says_so_in_its_name(name, scratch):
    assert looks_like_scratch(name) is scratch
