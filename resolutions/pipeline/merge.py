"""Merging what several sources say about one draft, without hiding disagreement.

Each draft keeps every source's own values in ``Draft.sources[source]["values"]``.
The draft's fields are then a pure function of those values (by a fixed order
of trust per field) and of the fields an editor set, which always win. Where
sources give different dates, tallies, outcomes or modalities, a disagreement
is produced naming every side. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from resolutions.pipeline import evidence
from resolutions.pipeline.evidence import MeetingOrder
from votes.choices import SECONDARY, Modality, Source

EDITOR = Source.EDITOR.value

# Which source to trust first, per field. An editor's spreadsheet (import_votes)
# comes first, as an editor's change in the admin does. The Library's voting
# data and the DGACM XML are per-member records; the meetings tables and the
# Veto List are summaries typed by hand, so they come after.
PRIORITY: dict[str, tuple[str, ...]] = {
    "date": (
        "editor",
        "undl",
        "unxml_adopted",
        "unxml",
        "dhl_meetings",
        "dhl_veto",
        "dppa_vetoes",
        "seed",
    ),
    "draft_symbol": (
        "editor",
        "unxml",
        "undl",
        "unxml_adopted",
        "dhl_veto",
        "dppa_vetoes",
        "dhl_meetings",
        "seed",
    ),
    "resolution": ("editor", "undl", "unxml_adopted", "dhl_meetings", "seed"),
    "meeting": (
        "editor",
        "unxml",
        "undl",
        "unxml_adopted",
        "dhl_meetings",
        "dhl_veto",
        "dppa_vetoes",
        "seed",
    ),
    "press_release": ("editor", "dhl_meetings", "seed"),
    "title": ("editor", "unxml", "undl", "unxml_adopted", "seed"),
    "description": (
        "editor",
        "undl",
    ),
    "agenda": ("editor", "undl", "unxml_adopted", "unxml", "dhl_meetings", "dhl_veto", "seed"),
    "subjects": ("editor", "undl", "unxml_adopted", "unxml"),
    "modality": ("editor", "undl", "unxml_adopted", "unxml", "dhl_meetings", "seed"),
    "procedural": ("editor", "undl", "unxml_adopted", "unxml", "dhl_meetings", "dhl_veto", "seed"),
    "totals": ("editor", "undl", "unxml_adopted", "unxml", "dhl_meetings", "seed"),
    "outcome": (
        "editor",
        "unxml",
        "undl",
        "unxml_adopted",
        "dhl_veto",
        "dppa_vetoes",
        "dhl_meetings",
        "seed",
    ),
    "vetoed_by": ("editor", "dhl_veto", "dppa_vetoes", "unxml", "dhl_meetings", "seed"),
    "undl_record_id": (
        "editor",
        "undl",
    ),
}
FIELDS = tuple(PRIORITY)
# How compilations rank among themselves, for a record only they describe: the one
# with member votes and a tally first, then the veto list, then the small sample.
COMPILATIONS = (Source.VOTING_AGENT, Source.YORDAN_VETOES, Source.FAILED_DRAFTS_SAMPLE)
# Whose member-by-member votes a draft shows when several sources list them.
VOTE_PRIORITY = ("editor", "undl", "unxml_adopted", "unxml", "seed")

# The fields whose disagreement between sources is recorded, with its kind.
COMPARED = {
    "date": "date",
    "meeting": "field",
    "draft_symbol": "field",
    "totals": "tally",
    "outcome": "outcome",
    "vetoed_by": "outcome",
    "modality": "field",
    "resolution": "field",
}


@dataclass
class Merged:
    values: dict = field(default_factory=dict)  # field -> merged value
    origin: dict = field(default_factory=dict)  # field -> source that gave it
    disagreements: list[dict] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (source, note)


def _present(value) -> bool:
    return value not in (None, "", [], ())


def reconcile_totals(sources: dict) -> dict[str, dict]:
    """Each source's totals, with the meetings tables' ambiguous order settled where possible.

    The meetings tables write tallies in an inconsistent order. When their reading
    is ambiguous, another source's totals that equal one of the two readings
    settle it; with no other source, the Library's usual order (yes-no-abstain)
    is used and the assumption noted. Totals a source counted over fewer members
    than sat ("incomplete") settle nothing and yield to any other totals.
    Returns per source {"totals": [...] or None, "note": str, and "unsettled" or
    "incomplete" where they apply}.
    """
    complete = {
        key: info["values"]["totals"]
        for key, info in sources.items()
        if _present(info.get("values", {}).get("totals"))
        and not info["values"].get("totals_incomplete")
    }
    settled: dict[str, dict] = {}
    for key, info in sources.items():
        values = info.get("values", {})
        if key in complete:
            settled[key] = {"totals": complete[key], "note": ""}
        elif values.get("tally_candidates"):
            settled[key] = _settle_order(values, complete)
    _add_incomplete(sources, complete, settled)
    return settled


def _add_incomplete(sources: dict, complete: dict, settled: dict) -> None:
    """Totals over fewer members than sat, marked as yielding when others are usable."""
    for key, info in sources.items():
        totals = info.get("values", {}).get("totals")
        if _present(totals) and key not in complete:
            usable_elsewhere = any(s.get("totals") for s in settled.values())
            settled[key] = {"totals": totals, "note": "", "incomplete": usable_elsewhere}


def _settle_order(values: dict, complete: dict) -> dict:
    """An ambiguous tally read in the order another source's totals confirm."""
    candidates = values["tally_candidates"]
    text = values.get("tally_text", "")
    for cand in candidates:
        for other, totals in complete.items():
            if list(totals[:3]) == list(cand[:3]):
                return {"totals": cand, "note": f"tally order of {text!r} settled by {other}"}
    if complete:
        return {"totals": None, "note": "", "unsettled": candidates}
    return {
        "totals": candidates[0],
        "note": f"tally {text!r} can be read two ways; read in the Library's "
        "usual order, yes-no-abstain",
    }


def merge(
    sources: dict, editor_fields: dict | None = None, meetings: MeetingOrder | None = None
) -> Merged:
    """Merge every source's values for one draft; editor_fields are field -> editor value.

    ``meetings``: the record's dated meetings, which a disputed date is weighed
    against (resolutions.pipeline.evidence); without it the sources' rank and
    agreement still decide."""
    editor_fields = editor_fields or {}
    sources, priority = _ranked(sources)
    totals = reconcile_totals(sources)
    result = Merged()
    for name, order in priority.items():
        said = _said(name, order, sources, totals)
        if name in editor_fields:
            _keep_editors(result, name, editor_fields[name], said)
        else:
            _keep_most_trusted(result, name, said, sources, totals, meetings)
    result.notes += [(key, info["note"]) for key, info in totals.items() if info.get("note")]
    return result


def _ranked(sources: dict) -> tuple[dict, dict[str, tuple[str, ...]]]:
    """The sources a draft's values are merged from, and their order for each field.

    A compilation's values are checked against the merged record, never merged into
    it (resolutions.pipeline.secondary), not even to settle how a tally is read. The
    one exception is a record that no official source describes at all
    (resolutions.pipeline.compiled_only): it is merged from its compilations, ranked
    below every official source, so that the first official source to describe it
    takes every field over.
    """
    official = {key: info for key, info in sources.items() if key not in SECONDARY}
    if official or not sources:
        return official, PRIORITY
    return sources, {name: (*order, *COMPILATIONS) for name, order in PRIORITY.items()}


def _said(name: str, order: tuple[str, ...], sources: dict, totals: dict) -> dict:
    """What each source gives for one field, most trusted first."""
    said = ((key, _value(name, key, sources, totals)) for key in order if key in sources)
    return {key: value for key, value in said if _given(name, value)}


def _value(name: str, key: str, sources: dict, totals: dict):
    if name == "totals":
        return totals.get(key, {}).get("totals")
    return sources[key].get("values", {}).get(name)


def _given(name: str, value) -> bool:
    # A procedural value of false is given too.
    return _present(value) or (name == "procedural" and value is not None)


def _keep_most_trusted(
    result: Merged, name: str, said: dict, sources: dict, totals: dict, meetings=None
):
    """The most trusted usable value wins, unless the evidence (a disputed date) says
    otherwise; the others are compared with it, the choice's reason kept with them."""
    usable = [(k, v) for k, v in said.items() if _usable(name, k, sources, totals)]
    if usable:
        result.origin[name], result.values[name] = usable[0]
    choice = evidence.choose(name, dict(usable), sources, meetings, _day(result.values))
    if choice is not None:
        result.origin[name], result.values[name] = choice.source, choice.value
    if name in COMPARED:
        result.disagreements += evidence.explained(_compare(name, said, totals, sources), choice)


def _day(values: dict) -> date | None:
    """The vote's date as merged so far (dates are merged before meetings)."""
    try:
        return date.fromisoformat(values["date"]) if values.get("date") else None
    except (TypeError, ValueError):
        return None


def _keep_editors(result: Merged, name: str, value, said: dict) -> None:
    """An editor's value wins; the most trusted source that differs is on record."""
    result.values[name] = value
    result.origin[name] = EDITOR
    best = next(iter(said.items()), None)
    if best is not None and best[1] != value:
        result.disagreements.append(
            {
                "kind": "editor",
                "field": name,
                "values": {EDITOR: value, best[0]: best[1]},
                "detected_by": best[0],
                "detail": f"the editor's value is kept over {best[0]}'s",
            }
        )


def _usable(name: str, key: str, sources: dict, totals: dict) -> bool:
    """Whether a source's value may become the draft's (it is compared either way)."""
    if name == "totals":
        return not totals.get(key, {}).get("incomplete")
    if name in ("outcome", "vetoed_by"):
        # A statement its own row's tally contradicts decides nothing.
        return not sources[key].get("values", {}).get("tally_inconsistent")
    return True


def _comparable(name: str, value):
    if name == "totals":
        return tuple(value[:3])
    if name == "vetoed_by":
        return tuple(sorted(value))
    if name == "modality":
        # Acclamation is a kind of adoption without a vote, not a disagreement.
        return Modality.WITHOUT_VOTE if value == Modality.ACCLAMATION else value
    return value


def _compare(name: str, said: dict, totals: dict, sources: dict) -> list[dict]:
    if name == "vetoed_by":
        # Only sources that say "vetoed" name vetoers; a missing list is not a disagreement.
        said = {k: v for k, v in said.items() if sources[k]["values"].get("outcome") == "vetoed"}
    found = _dissent(name, said)
    if name == "totals":
        # A tally whose order could not be settled matches neither reading of another source.
        found += [
            _disagreement(name, {**said, key: sources[key]["values"].get("tally_text", "")}, key)
            for key, info in totals.items()
            if "unsettled" in info
        ]
    return found


def _dissent(name: str, said: dict) -> list[dict]:
    """One disagreement per field, naming every source's value: two sources that
    both differ from the first are one disagreement, not two."""
    first = _comparable(name, next(iter(said.values()))) if said else None
    dissenting = [key for key, value in said.items() if _comparable(name, value) != first]
    return [_disagreement(name, said, dissenting[0])] if dissenting else []


def _disagreement(name: str, said: dict, dissenting: str) -> dict:
    return {
        "kind": COMPARED[name],
        "field": name,
        "values": {k: _display(name, v) for k, v in said.items()},
        "detected_by": dissenting,
        "detail": "",
    }


def _display(name: str, value):
    if name == "totals" and isinstance(value, list):
        return "–".join(str(n) for n in value[:3])
    return value
