"""How one draft's values from several sources merge, and how disagreements are put."""

from resolutions.pipeline.merge import merge


def test_two_sources_differing_from_the_first_are_one_disagreement_naming_all_three():
    # As S/RES/1966 (2010): the voting data counts 13 in favour (Mexico's row is
    # missing), the meetings table and DGACM's resolution both say 14.
    merged = merge(
        {
            "undl": {"values": {"totals": [13, 0, 1, 0]}},
            "dhl_meetings": {"values": {"totals": [14, 0, 1, 0]}},
            "unxml_adopted": {"values": {"totals": [14, 0, 1, 0]}},
        }
    )
    tallies = [d for d in merged.disagreements if d["kind"] == "tally"]
    assert len(tallies) == 1
    assert tallies[0]["values"] == {
        "undl": "13–0–1",
        "dhl_meetings": "14–0–1",
        "unxml_adopted": "14–0–1",
    }


def test_sources_that_agree_raise_no_disagreement():
    merged = merge(
        {
            "undl": {"values": {"totals": [14, 0, 1, 0], "date": "2010-12-22"}},
            "unxml_adopted": {"values": {"totals": [14, 0, 1, 0], "date": "2010-12-22"}},
        }
    )
    assert merged.disagreements == []
