"""The loader's bulk writes besides drafts: meetings, agenda items, subjects, disagreements."""

from __future__ import annotations

from collections import defaultdict

from resolutions.bulk import insert_rows
from resolutions.models import AgendaItem, Disagreement, Draft, Meeting, Subject
from resolutions.sources.values import agenda_key, meeting_number
from votes.choices import SECONDARY, Source


class References:
    """Meetings, agenda items and subjects named by the records, created in bulk."""

    def __init__(self, meeting: dict, agenda: dict, subjects: dict):
        self.meeting, self.agenda, self.subjects = meeting, agenda, subjects

    @classmethod
    def ensure(cls, drafts: list[Draft]) -> References:
        meetings: dict[str, str | None] = {}
        agendas: set[str] = set()
        subjects: set[str] = set()
        for values in (info["values"] for d in drafts for info in d.sources.values()):
            _named(values, meetings, agendas, subjects)
        return cls(
            _meetings(meetings), _agenda_items(agendas), _get_or_create_names(Subject, subjects)
        )

    def write_subjects(self, drafts: list[Draft]) -> set[int]:
        """Set each draft's subjects from its merged values; returns drafts changed."""
        through = Draft.subjects.through
        have = _subject_links([d.pk for d in drafts])
        add, remove, changed = [], [], set()
        for draft in drafts:
            want = self._wanted(draft)
            if want is None or want == have[draft.pk]:
                continue
            changed.add(draft.pk)
            add += [{"draft_id": draft.pk, "subject_id": s} for s in want - have[draft.pk]]
            remove += [(draft.pk, s) for s in have[draft.pk] - want]
        for draft_id, subject_id in remove:
            through.objects.filter(draft_id=draft_id, subject_id=subject_id).delete()
        insert_rows(through, add)  # rows, not instances: 15,200 links on a sync
        return changed

    def _wanted(self, draft: Draft) -> set[int] | None:
        """The subjects the draft's merged values name; None for an editor's choice."""
        origin = draft.field_sources.get("subjects")
        values = draft.sources.get(origin, {}).get("values", {})
        if origin == Source.EDITOR and "subjects" not in values:
            return None  # chosen in the admin: an editor's subjects stay as they are
        return {self.subjects[n] for n in values.get("subjects", [])}


def _named(values: dict, meetings: dict, agendas: set, subjects: set) -> None:
    """Add the meeting (with its date), agenda item and subjects one entry names."""
    if values.get("meeting"):
        meetings.setdefault(values["meeting"], values.get("date"))
    if values.get("agenda"):
        agendas.add(values["agenda"][:1000])
    subjects.update(values.get("subjects", []))


def _subject_links(draft_ids: list[int]) -> dict[int, set[int]]:
    """Each draft's subject ids as stored."""
    links = Draft.subjects.through.objects.filter(draft_id__in=draft_ids)
    have = defaultdict(set)
    for draft_id, subject_id in links.values_list("draft_id", "subject_id"):
        have[draft_id].add(subject_id)
    return have


def _meetings(dates: dict[str, str | None]) -> dict[str, int]:
    """Meeting symbols -> ids, creating the meetings not yet known."""
    existing = dict(Meeting.objects.filter(symbol__in=dates).values_list("symbol", "id"))
    Meeting.objects.bulk_create(
        [
            Meeting(symbol=s, number=meeting_number(s), date=d)
            for s, d in dates.items()
            if s not in existing
        ],
        batch_size=500,
    )
    return dict(Meeting.objects.filter(symbol__in=dates).values_list("symbol", "id"))


def _get_or_create_names(model, names: set[str]) -> dict[str, int]:
    existing = dict(model.objects.filter(name__in=names).values_list("name", "id"))
    model.objects.bulk_create(
        [model(name=n) for n in sorted(names - existing.keys())], batch_size=500
    )
    return dict(model.objects.filter(name__in=names).values_list("name", "id"))


def _agenda_items(names: set[str]) -> dict[str, int]:
    """Agenda names -> item ids, one item per agenda_key (punctuation and case aside)."""
    by_key: dict[str, int] = {}
    for pk, name in AgendaItem.objects.order_by("pk").values_list("pk", "name"):
        by_key.setdefault(agenda_key(name), pk)
    wanted: dict[str, str] = {}
    for name in sorted(names):
        wanted.setdefault(agenda_key(name), name)
    AgendaItem.objects.bulk_create(
        [AgendaItem(name=name) for key, name in wanted.items() if key not in by_key],
        batch_size=500,
    )
    for pk, name in AgendaItem.objects.filter(name__in=wanted.values()).values_list("pk", "name"):
        by_key.setdefault(agenda_key(name), pk)
    return {name: by_key[agenda_key(name)] for name in names}


def write_disagreements(source: str, found: dict[int, list[dict]]) -> int:
    """Replace the disagreements of the drafts this source touched; return how many.

    ``found`` holds, per draft id, every disagreement this import found.
    """
    wanted = {
        (draft_id, item["kind"], item["field"], item["detected_by"]): item
        for draft_id, items in found.items()
        for item in items
    }
    existing = _replaceable(source, list(found))
    kept = {key for key, item in wanted.items() if key in existing and _same(existing[key], item)}
    stale = [d.pk for key, d in existing.items() if key not in kept]
    Disagreement.objects.filter(pk__in=stale).delete()
    fresh = [_disagreement(key[0], item) for key, item in wanted.items() if key not in kept]
    Disagreement.objects.bulk_create(fresh, batch_size=500)
    return _conflicts_of(source, wanted)


def _conflicts_of(source: str, found: dict[tuple, dict]) -> int:
    """Those the source found, or in which it is one of the sides."""
    return sum(1 for key, item in found.items() if key[3] == source or source in item["values"])


def _same(stored: Disagreement, item: dict) -> bool:
    return (stored.values, stored.detail) == (item["values"], item["detail"])


def _disagreement(draft_id: int, item: dict) -> Disagreement:
    return Disagreement(
        draft_id=draft_id,
        kind=item["kind"],
        field=item["field"],
        values=item["values"],
        detail=item["detail"],
        detected_by=item["detected_by"],
    )


def _replaceable(source: str, draft_ids: list[int]) -> dict[tuple, Disagreement]:
    """The stored disagreements of these drafts that this import recomputes."""
    stored = Disagreement.objects.filter(draft_id__in=draft_ids).exclude(
        kind=Disagreement.Kind.MEMBERSHIP
    )
    return {
        (d.draft_id, d.kind, d.field, d.detected_by): d for d in stored if _recomputed(d, source)
    }


def _recomputed(found: Disagreement, source: str) -> bool:
    # Source-against-source disagreements follow from the sources' values and are
    # recomputed whole; duplicate listings and kept editor votes belong to the
    # source that found them; totals against member votes belong to refresh_outcomes.
    if found.field == Disagreement.TOTALS_VS_VOTES:
        return False
    if found.detected_by in SECONDARY:
        # A compilation's disagreements with the record are its own load's to recompute.
        return found.detected_by == source
    own_finding = found.kind == Disagreement.Kind.MATCH or found.field.startswith("vote:")
    return found.detected_by == source or not own_finding
