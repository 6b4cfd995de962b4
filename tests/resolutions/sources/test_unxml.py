"""The parser of the UN DGACM Akoma Ntoso XML of Security Council drafts not adopted.

Numbers about the real files are recounted here with ElementTree, independently of the
parser; the 16 October 2023 Gaza vote (5-4-6, not a veto) is a fact from domain.md.
"""

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from resolutions.sources.records import SourceError
from resolutions.sources.unxml import parse, parse_file
from votes.choices import Outcome, Source

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"
LIST_POSITION = {"inFavour": "Y", "against": "N", "abstaining": "A"}
P5 = {
    "CHINA": "CHN",
    "FRANCE": "FRA",
    "RUSSIAN FEDERATION": "RUS",
    "UNITED KINGDOM": "GBR",
    "UNITED STATES": "USA",
}


# --- an independent reading of the real files ------------------------------------------


def _xml_dir(shared_data: Path) -> Path:
    return shared_data / "unxml_sc_resolutions" / "not_adopted_english"


def _read(path: Path) -> dict:
    """Symbol, outcome step, sponsors and the voting lists, read with ElementTree."""
    # The project's own copies of official files, read by a parser other than lxml on purpose.
    root = ET.parse(path).getroot()  # noqa: S314
    steps = list(root.iter(f"{AKN}step"))
    outcome = next(s for s in steps if s.get("outcome").lower() in {"notadopted", "veto"})
    sponsors = next(s.get("by") for s in steps if s.get("outcome") == "draftResolution")
    names: dict[str, list[str]] = {}
    stated: dict[str, int] = {}
    for count in root.iter(f"{AKN}count"):
        position = LIST_POSITION[count.get("refersTo")]
        names[position] = [o.text.strip() for o in count.iter(f"{AKN}organization")]
        stated[position] = int(count.get("value"))
    return {
        "symbol": next(root.iter(f"{AKN}docNumber")).text.strip(),
        "outcome": outcome.get("outcome").lower(),
        "date": outcome.get("date"),
        "meeting": outcome.get("as"),
        "statement": outcome.get("by"),
        "sponsors": sponsors,
        "names": names,
        "stated": stated,
    }


@pytest.fixture(scope="module")
def real(shared_data: Path) -> list[tuple[Path, dict]]:
    return [(path, _read(path)) for path in sorted(_xml_dir(shared_data).glob("*.xml"))]


@pytest.fixture(scope="module")
def parsed(shared_data: Path) -> dict:
    return {r.location: r for r in parse(_xml_dir(shared_data)).records}


@pytest.mark.realdata
def test_every_file_gives_one_draft_and_the_newest_markup_date_is_the_version(shared_data, real):
    result = parse(_xml_dir(shared_data))
    assert result.source == Source.UNXML
    assert len(result.records) == len(real) == 19  # 19 files, as PROVENANCE.md states
    assert [r.draft_symbol for r in result.records] == [facts["symbol"] for _, facts in real]
    assert len({r.draft_symbol for r in result.records}) == len(real)
    markups = [
        re.search(r'<FRBRdate date="([\d-]+)" name="markup"', path.read_text()).group(1)
        for path, _ in real
    ]
    assert result.version == max(markups)


@pytest.mark.realdata
def test_dates_meetings_outcomes_and_links_follow_the_workflow_step(real, parsed):
    for path, facts in real:
        record = parsed[path.name]
        assert record.date == date.fromisoformat(facts["date"])
        assert record.meeting_symbol == facts["meeting"]
        expected = Outcome.VETOED if facts["outcome"] == "veto" else Outcome.NOT_ADOPTED
        assert record.outcome == expected
        assert record.url == f"https://undocs.org/en/{facts['symbol']}"


@pytest.mark.realdata
def test_member_votes_and_totals_match_an_independent_recount(real, parsed):
    for path, facts in real:
        record = parsed[path.name]
        for position in "YNA":
            listed = facts["names"].get(position, [])
            got = [v.name for v in record.votes if v.position == position]
            assert got == listed, (path.name, position)
        assert len(record.votes) == sum(len(n) for n in facts["names"].values())
        if facts["stated"]:
            stated = facts["stated"]
            recorded = (record.recorded_yes, record.recorded_no, record.recorded_abstain)
            assert recorded == (stated.get("Y", 0), stated.get("N", 0), stated.get("A", 0))


@pytest.mark.realdata
def test_counts_that_disagree_with_their_lists_are_kept_and_flagged(real, parsed):
    disagreements = 0
    for path, facts in real:
        record = parsed[path.name]
        for position, count in facts["stated"].items():
            listed = len(facts["names"][position])
            flagged = [f for f in record.flags if f"states {count}" in f and f"{listed}" in f]
            if count != listed:
                disagreements += 1
                assert flagged, (path.name, position)
        everyone = [n for names in facts["names"].values() for n in names]
        for name in {n for n in everyone if everyone.count(n) > 1}:
            assert any(name in f and "listed 2 times" in f for f in record.flags), path.name
    assert disagreements >= 1  # the files do hold at least one such disagreement


@pytest.mark.realdata
def test_russian_gaza_draft_of_16_october_2023_failed_without_a_veto(real, parsed):
    # domain.md: 5 in favour, 4 against (France, UK and US among them), 6 abstentions.
    [path] = [
        p for p, f in real if f["date"] == "2023-10-16" and "Russian Federation" in f["sponsors"]
    ]
    record = parsed[path.name]
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (5, 4, 6)
    votes = {v.position: [] for v in record.votes}
    for vote in record.votes:
        votes[vote.position].append(vote.name)
    assert (len(votes["Y"]), len(votes["N"]), len(votes["A"])) == (5, 4, 6)
    assert {"FRANCE", "UNITED KINGDOM", "UNITED STATES"} <= set(votes["N"])
    assert record.outcome == Outcome.NOT_ADOPTED
    assert record.vetoed_by == ()


@pytest.mark.realdata
def test_every_veto_names_the_permanent_members_listed_against(real, parsed):
    for path, facts in real:
        record = parsed[path.name]
        against = [P5[n] for n in facts["names"].get("N", []) if n in P5]
        if facts["outcome"] == "notadopted":
            assert record.vetoed_by == (), path.name
        elif facts["names"]:
            assert record.vetoed_by == tuple(against), path.name
            assert against, path.name


@pytest.mark.realdata
def test_empty_voting_element_gives_no_votes_no_totals_and_a_flag(real, parsed):
    empty = [(p, f) for p, f in real if not f["names"]]
    assert [f["symbol"] for _, f in empty] == ["S/2025/353"]
    record = parsed[empty[0][0].name]
    assert record.votes == ()
    assert record.recorded_yes is record.recorded_no is record.recorded_abstain is None
    assert any("voting data is empty" in f for f in record.flags)
    # The vetoer then comes from the statement, and says so.
    named = [code for name, code in P5.items() if name.title() in empty[0][1]["statement"]]
    assert record.vetoed_by == tuple(named)
    assert any("taken from the outcome statement" in f for f in record.flags)


# --- synthetic files ---------------------------------------------------------------------

COUNTS = (
    '<count value="09" refersTo="inFavour"><akn4un:voters>{yes}</akn4un:voters></count>'
    '<count value="01" refersTo="against"><akn4un:voters>{no}</akn4un:voters></count>'
)


def _members(*names: str) -> str:
    return "".join(f'<organization refersTo="memberState">{n}</organization>' for n in names)


YES9 = _members(*(f"MEMBER {i}" for i in range(1, 10)))


def _xml(
    *,
    outcome: str = "notAdopted",
    step_date: str = "2020-01-02",
    frbr: str = "2020-7",
    doc_number: str = "S/2020/7",
    voting: str | None = None,
    markup: str = "2020-02-01",
) -> bytes:
    if voting is None:
        voting = COUNTS.format(yes=YES9, no=_members("FRANCE"))
    uri = f"/akn/un/statement/deliberation/unsc/2020-01-02/{frbr}/"
    return f"""<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
 xmlns:akn4un="http://un.org/akn4un"><statement name="draftResolution"><meta>
<identification source="#DGACM">
 <FRBRWork><FRBRthis value="{uri}!main/"/><FRBRdate date="2020-01-02" name="voting"/></FRBRWork>
 <FRBRManifestation><FRBRdate date="{markup}" name="markup"/></FRBRManifestation>
</identification>
<classification source="DHLAUTH">
 <keyword value="PEACE" dictionary="UNBIS Thesaurus"/>
 <keyword refersTo="agenda" value="X" showAs="Some item." dictionary="S/"/>
 <keyword refersTo="title" value="Draft resolution [on peace]" dictionary="DHL"/>
</classification>
<workflow source="#un"><step date="2020-01-02" outcome="draftResolution" by="Utopia"/>
 <step date="{step_date}" outcome="{outcome}" as="S/PV.9999" by="Statement (France)"/>
</workflow>
<analysis source="#un"><parliamentary><voting>{voting}</voting></parliamentary></analysis>
</meta><coverPage><p><docNumber refersTo="#symbol">{doc_number}</docNumber></p></coverPage>
</statement></akomaNtoso>""".encode()


def test_minimal_file_gives_votes_totals_subjects_and_undocs_link():
    record = parse_file(_xml(), name="sample.xml")
    assert record.draft_symbol == "S/2020/7"
    assert record.location == "sample.xml"
    assert record.date == date(2020, 1, 2)
    assert record.meeting_symbol == "S/PV.9999"
    assert (record.title, record.agenda, record.subjects) == (
        "Draft resolution [on peace]",
        "Some item.",
        ("PEACE",),
    )
    assert (record.recorded_yes, record.recorded_no, record.recorded_abstain) == (9, 1, 0)
    assert [v.position for v in record.votes] == ["Y"] * 9 + ["N"]
    assert record.url == "https://undocs.org/en/S/2020/7"
    assert record.outcome == Outcome.NOT_ADOPTED and record.vetoed_by == ()
    # 9 in favour with France against would be a veto: the source's word is kept, and flagged.
    assert any("would be a veto" in f for f in record.flags)


def test_capitalised_veto_step_gives_vetoed_with_the_member_against():
    record = parse_file(_xml(outcome="Veto"))
    assert record.outcome == Outcome.VETOED
    assert record.vetoed_by == ("FRA",)
    assert record.flags == ()


def test_stated_count_that_disagrees_with_its_list_is_kept_and_flagged():
    voting = COUNTS.format(yes=YES9, no=_members("FRANCE", "CHINA"))
    record = parse_file(_xml(outcome="veto", voting=voting))
    assert record.recorded_no == 1
    assert [v.name for v in record.votes if v.position == "N"] == ["FRANCE", "CHINA"]
    assert "The XML states 1 against but lists 2 members." in record.flags


def test_member_listed_twice_keeps_both_votes_with_a_note():
    voting = COUNTS.format(yes=YES9 + _members("FRANCE"), no=_members("FRANCE"))
    record = parse_file(_xml(outcome="veto", voting=voting))
    france = [v for v in record.votes if v.name == "FRANCE"]
    assert [v.position for v in france] == ["Y", "N"]
    assert all(v.note == "Listed 2 times: in favour and against" for v in france)
    assert any(f.startswith("FRANCE is listed 2 times") for f in record.flags)


def test_non_voting_list_gives_position_x():
    voting = COUNTS.format(yes=YES9, no=_members("FRANCE")) + (
        f'<count value="01" refersTo="notParticipating">{_members("CHINA")}</count>'
    )
    record = parse_file(_xml(outcome="veto", voting=voting))
    [china] = [v for v in record.votes if v.name == "CHINA"]
    assert (china.position, china.did_not_participate) == ("X", True)
    assert record.recorded_non_voting == 1


def test_empty_voting_gives_no_votes_and_a_flag():
    record = parse_file(_xml(voting='<quorum value=""/>'))
    assert record.votes == () and record.recorded_yes is None
    assert any("voting data is empty" in f for f in record.flags)


def test_broken_xml_raises_source_error_naming_file_and_line():
    with pytest.raises(SourceError) as error:
        parse_file(_xml()[:-30], name="broken.xml")
    assert error.value.file == "broken.xml"
    assert error.value.location.startswith("line ")
    assert "not well-formed XML" in str(error.value)


def test_unknown_workflow_step_raises():
    with pytest.raises(SourceError, match=r'unknown workflow step <step .*outcome="adopted"'):
        parse_file(_xml(outcome="adopted"), name="odd.xml")


def test_unknown_position_list_raises():
    voting = '<count value="01" refersTo="maybe"><organization>CHINA</organization></count>'
    with pytest.raises(SourceError, match=r"odd\.xml, line \d+: unknown position list <count"):
        parse_file(_xml(voting=voting), name="odd.xml")


def test_symbol_that_disagrees_with_the_frbr_identifier_raises():
    with pytest.raises(SourceError, match=r"<docNumber> gives S/2020/8 but the FRBR .* S/2020/7"):
        parse_file(_xml(doc_number="S/2020/8"))


def test_missing_symbol_raises():
    with pytest.raises(SourceError, match="no draft symbol"):
        parse_file(_xml(frbr="nothing", doc_number=""))


def test_missing_vote_date_raises():
    with pytest.raises(SourceError, match=r"<step .*has no valid date"):
        parse_file(_xml(step_date=""))


def test_directory_is_read_sorted_and_version_is_the_newest_markup(tmp_path):
    (tmp_path / "b.xml").write_bytes(_xml(frbr="2020-8", doc_number="S/2020/8"))
    (tmp_path / "a.xml").write_bytes(_xml(markup="2031-05-06"))
    (tmp_path / "notes.txt").write_text("not xml")
    result = parse(tmp_path)
    assert [r.location for r in result.records] == ["a.xml", "b.xml"]
    assert result.version == "2031-05-06"
    assert parse(_xml(), name="one.xml").records[0].location == "one.xml"


def test_two_files_for_the_same_draft_raise(tmp_path):
    (tmp_path / "a.xml").write_bytes(_xml())
    (tmp_path / "b.xml").write_bytes(_xml())
    with pytest.raises(SourceError, match=r"S/2020/7 is also described by a\.xml"):
        parse(tmp_path)
