"""How a compilation's values rank in the merge (resolutions.pipeline.merge._ranked)."""

from resolutions.pipeline.merge import merge
from votes.choices import Source


def entry(**values) -> dict:
    return {"version": "v", "location": "line 1", "values": values}


def test_a_record_only_compilations_describe_is_merged_from_them():
    merged = merge(
        {
            Source.YORDAN_VETOES: entry(date="2022-07-08", outcome="vetoed", agenda="Syria"),
            Source.VOTING_AGENT: entry(date="2022-07-08", outcome="vetoed", agenda="Middle East"),
        }
    )
    assert merged.values["date"] == "2022-07-08"
    # The compilation with member votes ranks before the veto list.
    assert merged.origin["agenda"] == Source.VOTING_AGENT
    assert merged.values["agenda"] == "Middle East"


def test_a_compilation_never_gives_a_value_to_a_record_an_official_source_describes():
    merged = merge(
        {
            Source.DHL_VETO: entry(date="2022-05-26", outcome="vetoed"),
            Source.VOTING_AGENT: entry(date="2022-05-27", outcome="vetoed", agenda="DPRK"),
        }
    )
    assert merged.values["date"] == "2022-05-26"
    assert Source.VOTING_AGENT not in merged.origin.values()
    assert "agenda" not in merged.values  # the official source gives none
