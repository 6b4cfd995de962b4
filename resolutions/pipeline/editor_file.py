"""An editor's file (import_votes) is held to the rules the admin applies to a form.

The editors' vote rules are imported here and nowhere else in the pipeline.
"""

from __future__ import annotations

from resolutions.models import Draft
from resolutions.pipeline.member_votes import CheckedVote
from resolutions.rules import Row, check_votes
from resolutions.sources.records import DraftRecord
from votes.calendar import CouncilCalendar


def editor_problems(
    draft: Draft,
    record: DraftRecord,
    before: dict | None,
    votes: list[CheckedVote],
    calendar: CouncilCalendar,
) -> tuple[list[str], list[str]]:
    """What the admin would refuse in a record an editor's file gives, and the gaps
    accepted because the file records its totals (``council_problems``)."""
    problems = _other_vote(draft, record, before) if before is not None else []
    rows = [Row(v.state_id, v.name, v.position, v.non_voting) for v in votes]
    if not rows and draft.recorded_tally is not None:
        return problems, []
    check = check_votes(
        draft,
        rows,
        calendar,
        as_recorded=True,
        unknown_stated=bool(record.extra.get("outcome_unknown")),
    )
    return problems + check.problems, check.gaps


def _other_vote(draft: Draft, record: DraftRecord, before: dict) -> list[str]:
    """Matched by its record id or resolution number, it must be the same vote."""
    problems = []
    stored_day, stored_symbol = before["date"], before["draft_symbol"]
    if record.date and abs((record.date - stored_day).days) > 1:
        problems.append(
            f"it matches {draft.symbol}, recorded on {stored_day}, but gives {record.date}: "
            "check its record_id or resolution (a date is corrected in the admin)"
        )
    if record.draft_symbol and stored_symbol and record.draft_symbol != stored_symbol:
        problems.append(
            f"it matches {draft.symbol}, recorded as draft {stored_symbol}, but gives "
            f"{record.draft_symbol}"
        )
    return problems
