"""Which sources are secondary: marked once, beside the Source choices."""

from votes.choices import SECONDARY, Evidence, Source, evidence_of


def test_the_three_compilations_are_secondary_and_no_official_source_is():
    assert {Source.VOTING_AGENT, Source.YORDAN_VETOES, Source.FAILED_DRAFTS_SAMPLE} == SECONDARY
    official = {Source.UNDL, Source.DHL_VETO, Source.DHL_MEETINGS, Source.UNXML}
    official |= {Source.UNXML_ADOPTED, Source.DPPA, Source.DPPA_VETOES}
    assert not official & SECONDARY


def test_every_source_value_fits_the_source_fields():
    # The models' source fields are CharField(max_length=20).
    assert max(len(value) for value in Source.values) <= 20


def test_every_source_has_one_kind_of_evidence():
    kinds = {source: evidence_of(source) for source in Source}
    assert {s for s, k in kinds.items() if k == Evidence.COMPILED} == SECONDARY
    assert kinds[Source.DEDUCED] == Evidence.DEDUCED
    assert kinds[Source.EDITOR] == Evidence.EDITOR
    assert kinds[Source.UNDL] == kinds[Source.DPPA_VETOES] == Evidence.OFFICIAL
