"""Checks across the Voting-Agent file's votes: members, amendments, outcomes, repeats.

The file's own Council of each year (the member set most of that year's votes list)
tells shifted rows; Article 27 (``votes.outcome.decide``) on the listed votes checks the
stated outcome; votes at the same meeting tell which draft an amendment amends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from resolutions.sources.voting_agent.group import VoteGroup, ballots_of
from resolutions.sources.voting_agent.order import meeting_of
from votes.choices import Modality, Outcome, Position
from votes.outcome import SEAT_ORDER, Ballot, Decision, council_size, decide


def year_councils(groups: Sequence[VoteGroup]) -> dict[int, frozenset[str]]:
    """The file's own Council of each year: the member set most of that year's votes list."""
    sets: dict[int, Counter] = {}
    for group in groups:
        codes = group.codes()
        if len(set(codes)) == len(codes):
            sets.setdefault(group.date.year, Counter())[frozenset(codes)] += 1
    return {year: counter.most_common(1)[0][0] for year, counter in sets.items()}


def check_members(groups: Sequence[VoteGroup]) -> None:
    """Members twice, members of another year's Council, members not listed."""
    councils = year_councils(groups)
    same_ballots: dict[frozenset, list[VoteGroup]] = {}
    for group in groups:
        same_ballots.setdefault(ballots_of(group), []).append(group)
    for group in groups:
        if _listed_twice(group):
            continue
        council = councils.get(group.date.year, frozenset())
        listed = frozenset(group.codes())
        outside, unlisted = listed - council, council - listed
        if outside:
            _outside_council(group, listed, outside, councils, same_ballots)
        elif unlisted:
            names = _names_of(unlisted, groups, group.date.year)
            group.extra["unlisted_members"] = names
            group.fault(
                "members_unlisted",
                f"{len(listed)} members listed; not listed: {', '.join(names)} "
                "(absent or not voting: the file does not say)",
            )


def _listed_twice(group: VoteGroup) -> bool:
    """Whether a member is listed more than once. A repeated row (same member, same
    vote) is dropped as a repeat; a member listed under different votes has its vote
    withheld (the others stand), its listings kept in ``extra["conflicting"]``."""
    group.extra.setdefault("rows_as_written", tuple(group.members))
    _drop_repeated_rows(group)
    positions = _positions_by_member(group)
    twice = sorted(code for code, listed in positions.items() if len(listed) > 1)
    if twice:
        _withhold_conflicting(group, twice, positions)
    return bool(twice)


def _key(member) -> str:
    return member.code or f"?{member.name}"


def _positions_by_member(group: VoteGroup) -> dict[str, set[str]]:
    positions: dict[str, set[str]] = {}
    for member in group.members:
        positions.setdefault(_key(member), set()).add(member.position)
    return positions


def _withhold_conflicting(group: VoteGroup, twice: list[str], positions: dict) -> None:
    names = {_key(m): m.name for m in group.members}
    detail = ", ".join(f"{names[c]} ({'/'.join(sorted(positions[c]))})" for c in twice)
    group.fault("member_listed_twice", f"{detail} in {len(group.members)} rows")
    group.extra["conflicting"] = {names[c]: tuple(sorted(positions[c])) for c in twice}
    group.members = [m for m in group.members if _key(m) not in twice]


def _drop_repeated_rows(group: VoteGroup) -> None:
    """The same member with the same vote in two rows: one vote, listed twice."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for member in group.members:
        key = (_key(member), member.position)
        if key not in seen:
            seen.add(key)
            kept.append(member)
    if len(kept) < len(group.members):
        repeated = sorted({m.name for m in group.members if m not in kept})
        group.fault("member_repeated", f"{', '.join(repeated)}: the same vote in two rows")
        group.members = kept


def _outside_council(group, listed, outside, councils, same_ballots) -> None:
    year = group.date.year
    names = sorted(m.name for m in group.members if (m.code or f"?{m.name}") in outside)
    other_years = sorted(y for y, c in councils.items() if y != year and listed <= c)
    if other_years:
        _fault_another_years_council(group, len(listed), other_years, same_ballots)
    else:
        group.fault(
            "members_not_on_council",
            f"{', '.join(names)} not on the Council of {year} (as the file's other votes of "
            "that year list it)",
            withhold=["votes"],
        )


def _fault_another_years_council(group, listed: int, other_years, same_ballots) -> None:
    """The members listed are another year's Council: rows shifted from another vote."""
    twins = [g for g in same_ballots[ballots_of(group)] if g.date.year in other_years]
    detail = (
        f"the {listed} members listed are the Council of {other_years[0]}, not of {group.date.year}"
    )
    if twins:
        group.extra["votes_match"] = tuple(g.id for g in twins)
        detail += f"; the same member votes as {twins[0].label} ({twins[0].cells['Draft']!r})"
    group.fault("votes_shifted", detail, withhold=["votes"])


def _names_of(codes, groups, year: int) -> tuple[str, ...]:
    names = {m.code: m.name for g in groups if g.date.year == year for m in g.members}
    return tuple(sorted(names.get(code, code) for code in codes))


def link_amendments(groups: Sequence[VoteGroup]) -> None:
    """Which draft each amendment amends: the draft put to the vote at the same meeting.

    When the draft cell names that draft itself ("S/2020/24 amendment"), the amendment
    has no symbol of its own; when it names another document ("S/2024/323 (amendment)"),
    that is the amendment's own symbol.
    """
    by_meeting: dict[tuple, list[VoteGroup]] = {}
    for group in groups:
        key = (meeting_of(group), group.date)
        by_meeting.setdefault(key, []).append(group)
    for group in groups:
        if group.vote_on == "amendment":
            at_meeting = by_meeting[(meeting_of(group), group.date)]
            _link_amendment(group, sorted({g.draft_symbol for g in at_meeting if _is_draft(g)}))


def _is_draft(group: VoteGroup) -> bool:
    return group.vote_on == "draft" and bool(group.draft_symbol)


def _link_amendment(group: VoteGroup, drafts: list[str]) -> None:
    """The draft one amendment amends, among the drafts voted at its meeting."""
    written = group.draft_symbol
    if written and written in drafts:
        group.extra["amended_draft"] = written
        group.extra["amended_draft_basis"] = "the draft cell names the draft voted then"
        group.draft_symbol = ""
    elif len(drafts) == 1:
        group.extra["amended_draft"] = drafts[0]
        group.extra["amended_draft_basis"] = "the only draft voted at the same meeting"
    else:
        group.fault(
            "amended_draft_unknown",
            f"{len(drafts)} drafts voted at meeting {meeting_of(group)}: "
            f"{', '.join(drafts) or 'none'}",
        )
    if group.draft_symbol:
        group.extra["amendment_symbol"] = group.draft_symbol


def _article_27(group: VoteGroup):
    ballots = [
        Ballot(m.position, seat=m.code if m.code in SEAT_ORDER else None) for m in group.members
    ]
    return decide(Decision(on=group.date, ballots=ballots, members=council_size(group.date)))


def check_outcomes(groups: Sequence[VoteGroup]) -> None:
    """The stated outcome against Article 27 (``votes.outcome.decide``) on the votes.

    When they disagree, which one is wrong? Votes that are not unanimous on a vote
    called unanimous, and identical to those of another vote on another draft whose own
    outcome they fit, were copied from it (shifted rows): the votes are withheld. An
    adoption backed by a resolution number may have been procedural (the file never
    says), so it is flagged and kept. Otherwise the stated outcome is withheld.
    """
    results = {
        group.id: _article_27(group)
        for group in groups
        if "votes" not in group.withheld and group.members
    }
    same_ballots: dict[frozenset, list[VoteGroup]] = {}
    for group in groups:
        if group.id in results:
            same_ballots.setdefault(ballots_of(group), []).append(group)
    for group in groups:
        _check_resolution(group)
        if group.id in results:
            _check_outcome(group, results, same_ballots)


def _check_outcome(group: VoteGroup, results: dict, same_ballots: dict) -> None:
    """One vote's stated outcome against Article 27 on its listed votes."""
    result = results[group.id]
    positions = Counter(m.position for m in group.members)
    _check_qualifier(group, positions)
    if group.modality != Modality.RECORDED_VOTE or result.outcome == Outcome.UNKNOWN:
        return
    if result.outcome == group.outcome:
        if result.vetoed_by:
            group.extra["vetoed_by"] = result.vetoed_by
        return
    twins = _twins(group, results, same_ballots)
    _fault_outcome(group, result, _votes_listed(group, positions, result), twins)


def _twins(group: VoteGroup, results: dict, same_ballots: dict) -> list[VoteGroup]:
    """Votes on other drafts with the same member votes, which fit their own outcome.

    Only "unanimously" makes the twin evidence (see _fault_outcome): two votes of one
    Council can well be alike (S/2022/155 and resolution 2623, both 11-1-3), but not
    with a label that contradicts its own votes.
    """
    return [
        g
        for g in same_ballots[ballots_of(group)]
        if g.draft_symbol != group.draft_symbol and results[g.id].outcome == g.outcome
    ]


def _votes_listed(group: VoteGroup, positions: Counter, result) -> str:
    """What the listed votes say, for the fault: tally, permanent members against, outcome."""
    tally = f"{positions['Y']}-{positions['N']}-{positions['A']}"
    against = [m.name for m in group.members if m.position == "N" and m.code in SEAT_ORDER]
    return (
        f"the {len(group.members)} votes listed ({tally}, permanent members against: "
        f"{', '.join(against) or 'none'}) make it {Outcome(result.outcome).label.lower()}"
    )


def _fault_outcome(group: VoteGroup, result, listed: str, twins: list[VoteGroup]) -> None:
    """Stated outcome and votes disagree: withhold the votes, flag, or withhold the outcome."""
    if twins and group.qualifier == "unanimously":
        group.extra["votes_match"] = tuple(g.id for g in twins)
        group.fault(
            "votes_shifted",
            f"'{group.cells['Outcome results']}', but {listed}: they are the member votes "
            f"of {twins[0].label} ({twins[0].cells['Draft']!r}, "
            f"'{twins[0].cells['Outcome results']}')",
            withhold=["votes"],
        )
    elif group.outcome == Outcome.ADOPTED and group.resolution and result.is_veto:
        group.fault(
            "adopted_over_permanent_no",
            f"resolution {group.resolution[0]} ({group.resolution[1]}), but {listed}, "
            "unless the vote was procedural (the file does not say)",
        )
    else:
        group.fault(
            "outcome_contradicts_votes",
            f"'{group.cells['Outcome results']}', but {listed}",
            withhold=["outcome"],
        )


def _check_resolution(group: VoteGroup) -> None:
    if (
        group.outcome == Outcome.ADOPTED
        and group.resolution is None
        and "resolution" not in group.withheld
    ):
        group.fault("resolution_contradicts_outcome", "adopted, but no resolution number")
    if group.outcome != Outcome.ADOPTED and group.resolution is not None:
        number, year = group.resolution
        group.fault(
            "resolution_contradicts_outcome",
            f"'{group.cells['Outcome results']}', but resolution {number} ({year})",
        )


def _check_qualifier(group: VoteGroup, positions: Counter) -> None:
    if group.qualifier == "unanimously" and (positions["N"] or positions["A"]):
        group.fault(
            "unanimity_contradicts_votes",
            f"'adopted unanimously', but {positions['N']} against and "
            f"{positions['A']} abstaining are listed",
        )
    full = len(group.members) == council_size(group.date)
    if group.qualifier == "by majority" and full and positions[Position.YES] == len(group.members):
        group.fault(
            "unanimity_contradicts_votes", "'adopted by majority', but every member listed is yes"
        )


def check_repeats(groups: Sequence[VoteGroup]) -> None:
    """Two votes on the same draft (not amendments) or giving the same resolution."""
    for (kind, value), same in _by_draft_and_resolution(groups).items():
        if len(same) > 1:
            what = value if kind == "draft" else f"resolution {value[0]} ({value[1]})"
            _fault_repeats(what, same)


def _by_draft_and_resolution(groups: Sequence[VoteGroup]) -> dict[tuple, list[VoteGroup]]:
    """The votes on each draft (not amendments), and those giving each resolution."""
    keys: dict[tuple, list[VoteGroup]] = {}
    for group in groups:
        if _is_draft(group):
            keys.setdefault(("draft", group.draft_symbol), []).append(group)
        if group.resolution and "resolution" not in group.withheld:
            keys.setdefault(("resolution", group.resolution), []).append(group)
    return keys


def _fault_repeats(what: str, same: list[VoteGroup]) -> None:
    for group in same:
        others = [g for g in same if g is not group]
        differences = _differences(group, others)
        group.extra.setdefault("repeats", []).extend(g.id for g in others)
        group.fault(
            "repeated_vote",
            f"{what} also at {', '.join(g.label for g in others)}"
            + (f"; they differ in {', '.join(differences)}" if differences else ""),
        )


def _differences(group: VoteGroup, others: list[VoteGroup]) -> list[str]:
    """The columns (and the member votes) in which a repeated vote differs from the others."""
    columns = {
        n for g in others for n, text in g.cells.items() if n != "ID" and group.cells[n] != text
    }
    if any(ballots_of(g) != ballots_of(group) for g in others):
        columns.add("member votes")
    return sorted(columns)
