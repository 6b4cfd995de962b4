"""The name resolver: every spelling the sources use maps to one state, and back."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from votes.names import NameResolver, default_resolver, normalise_name
from votes.reference import AliasRow, NameRow, ReferenceDataError, StateRow

DPPA = Path("dppa_sc_membership")
UNDL = Path("undl_sc_voting")


def _csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def resolver() -> NameResolver:
    return default_resolver()


def test_matching_ignores_case_accents_whitespace_curly_quotes_and_a_leading_the():
    assert normalise_name("  CÔTE D\N{RIGHT SINGLE QUOTATION MARK}IVOIRE ") == normalise_name(
        "Cote d'Ivoire"
    )
    assert normalise_name("TÜRKİYE") == normalise_name("Türkiye") == "turkiye"
    assert normalise_name("the  United\tStates") == normalise_name("UNITED STATES")
    # "The" alone is not an article to drop.
    assert normalise_name("The") == "the"


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("USSR (Union of Soviet Socialist Republics)", "SUN"),
        ("USSR", "SUN"),
        ("German FR (German Federal Republic)", "DEU"),
        ("GERMANY, FEDERAL REPUBLIC OF", "DEU"),
        ("German DR (German Democratic Republic)", "DDR"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("UK", "GBR"),
        ("USA", "USA"),
        ("the United States", "USA"),
        ("the Russian Federation", "RUS"),
        ("Ukrainian SSR (Ukrainian Soviet Socialist Republic)", "UKR"),
        ("ZAIRE", "COD"),
        ("UNITED ARAB REPUBLIC", "EGY"),
        ("Upper Volta", "BFA"),
        ("Ceylon", "LKA"),
        ("CÔTE D\N{RIGHT SINGLE QUOTATION MARK}IVOIRE", "CIV"),
        ("Cote d' Ivoire", "CIV"),
        ("TÜRKİYE", "TUR"),
        ("Turkey", "TUR"),
        ("Czech Republic", "CZE"),
        ("Cape Verde", "CPV"),
        ("NETHERLANDS (KINGDOM OF THE)", "NLD"),
        ("The Gambia", "GMB"),
    ],
)
def test_spellings_used_by_the_sources_resolve(resolver, spelling, code):
    assert resolver.resolve(spelling) == code


def test_unknown_names_resolve_to_nothing(resolver):
    assert resolver.resolve("Atlantis") is None
    assert resolver.resolve("") is None


def test_a_dated_spelling_resolves_only_within_its_dates(resolver):
    assert resolver.resolve("Republic of China", date(1960, 1, 1)) == "CHN"
    assert resolver.resolve("Republic of China", date(1971, 10, 25)) is None
    assert resolver.resolve("Russia", date(1991, 12, 23)) is None
    assert resolver.resolve("Russia", date(1991, 12, 24)) == "RUS"
    # An undated spelling of a former name still finds the state later on.
    assert resolver.resolve("Zaire", date(2020, 1, 1)) == "COD"


def test_a_spelling_that_would_name_two_states_at_once_is_refused():
    states = [StateRow("AAA", "Alpha", "alpha", ""), StateRow("BBB", "Beta", "beta", "")]
    names = [NameRow("BBB", "Alpha", None, date(1960, 1, 1), "")]
    with pytest.raises(ReferenceDataError, match="'alpha' means both"):
        NameResolver(states, names, [])
    # Dated aliases that do not overlap make the same spelling safe.
    aliases = [
        AliasRow("Alpha", "BBB", None, date(1960, 1, 1), ""),
        AliasRow("Alpha", "AAA", date(1960, 1, 2), None, ""),
    ]
    resolver = NameResolver(states, names, aliases)
    assert resolver.resolve("alpha", date(1959, 1, 1)) == "BBB"
    assert resolver.resolve("alpha", date(1961, 1, 1)) == "AAA"
    assert resolver.resolve("alpha") is None


@pytest.mark.parametrize(
    ("code", "on", "name"),
    [
        ("CHN", date(1971, 10, 24), "Republic of China"),
        ("CHN", date(1971, 10, 25), "China"),
        ("SUN", date(1991, 12, 23), "USSR"),
        ("RUS", date(1991, 12, 24), "Russian Federation"),
        ("COD", date(1982, 4, 30), "Zaire"),
        ("COD", date(1997, 5, 17), "Democratic Republic of the Congo"),
        ("BFA", date(1984, 8, 3), "Upper Volta"),
        ("BFA", date(1984, 8, 4), "Burkina Faso"),
        ("TUR", date(2022, 5, 31), "Turkey"),
        ("TUR", date(2022, 6, 1), "Türkiye"),
        ("EGY", date(1961, 12, 1), "United Arab Republic"),
        ("LKA", date(1961, 1, 1), "Ceylon"),
        ("DEU", date(1988, 1, 1), "Federal Republic of Germany"),
        ("CMR", date(1974, 6, 1), "United Republic of Cameroon"),
        ("BLR", date(1975, 1, 1), "Byelorussian SSR"),
        ("GHA", date(2022, 5, 26), "Ghana"),
    ],
)
def test_name_on_gives_the_name_of_the_day(resolver, code, on, name):
    assert resolver.name_on(code, on) == name


def test_name_on_an_unknown_code_is_an_error(resolver):
    with pytest.raises(KeyError):
        resolver.name_on("XXX", date(2000, 1, 1))


@pytest.mark.realdata
def test_every_name_in_both_dppa_files_resolves_or_is_blank(shared_data, resolver):
    files = sorted((shared_data / DPPA).glob("*.csv"))
    assert len(files) == 2
    for path in files:
        for row in _csv(path):
            name = row["security_council_member"].strip()
            if name:
                assert resolver.resolve(name) is not None, (path.name, row["id"], name)


@pytest.mark.realdata
def test_every_name_in_the_un_voting_data_resolves_to_its_own_code(shared_data, resolver):
    pairs = {
        (row["ms_name"], row["ms_code"])
        for path in (shared_data / UNDL).glob("*.csv*")
        for row in _csv(path)
    }
    assert pairs
    assert {(name, code) for name, code in pairs if resolver.resolve(name) != code} == set()


@pytest.mark.realdata
def test_names_at_the_time_in_the_official_excerpt_agree_with_name_on(shared_data, resolver):
    rows = _csv(shared_data / UNDL / "2026_02_06_sc_voting_EXCERPT.csv")
    assert ("COD", "ZAIRE") in {(row["ms_code"], row["ms_name"]) for row in rows}
    for row in rows:
        expected = resolver.name_on(row["ms_code"], date.fromisoformat(row["date"]))
        assert normalise_name(expected) == normalise_name(row["ms_name"]), row["resolution"]


@pytest.mark.realdata
def test_every_member_in_the_akoma_ntoso_voting_lists_resolves(shared_data, resolver):
    names = set()
    for path in (shared_data / "unxml_sc_resolutions" / "not_adopted_english").glob("*.xml"):
        for element in ET.parse(path).iter():  # noqa: S314 (local official copies)
            if element.tag.endswith("organization") and element.get("refersTo") == "memberState":
                names.add((element.text or "").strip())
    assert names
    assert {name for name in names if resolver.resolve(name) is None} == set()


@pytest.mark.realdata
def test_every_vetoing_member_in_the_yordan_list_resolves_to_a_permanent_seat_holder(
    shared_data, resolver
):
    path = shared_data / "yordan_vetoes" / "unsc_vetoes_1946_sept2022.csv"
    seen = set()
    for row in _csv(path):
        for column in ("member_veto1", "member_veto2", "member_veto3"):
            if row[column].strip():
                seen.add(resolver.resolve(row[column]))
    assert seen == {"CHN", "FRA", "SUN", "RUS", "GBR", "USA"}


@pytest.mark.realdata
def test_member_lists_in_the_dgacm_resolution_data_resolve(shared_data, resolver):
    unresolved = set()
    for path in (shared_data / "unxml_sc_resolutions" / "data_extract").glob("*.json"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                for key in ("MS_in_favour", "MS_against", "MS_abstaining"):
                    unresolved |= {n for n in item.get(key) or [] if resolver.resolve(n) is None}
    # One entry in S/RES/2403 (2018) splits CÔTE D'IVOIRE in two; the parser must join it.
    assert unresolved == {"CÔTE.", "D'IVOIRE"}
