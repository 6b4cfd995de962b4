"""Who submitted each draft, and the title built where no source gives one.

The parsers keep each source's "sponsors" / "Submitted by" as names in its entry of
``Draft.sources``. This step, run after every sync, is the one writer of
``Sponsorship`` rows and of ``Draft.built_title``:

* the sponsors are those of the best-ranked source that names any: DGACM's files
  (official) over the compilations, which fill only where no official source says;
* where a compilation names other states than the official source, a disagreement
  is recorded (detected by the compilation), never written as fact;
* a draft with no title from any source gets one built from its agenda item and its
  sponsors ("Draft resolution on … submitted by …"), always shown as built.

Recomputed whole each time, and writing only what differs, so a second run changes
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from resolutions.bulk import bulk_update, insert_rows
from resolutions.models import Disagreement, Draft, Sponsorship, join_names
from resolutions.signals import record_changed
from votes.choices import SECONDARY, Source
from votes.models import MemberState
from votes.names import NameResolver, default_resolver

# Best first: the official DGACM files, then the compilations.
SPONSOR_SOURCES = (
    Source.UNXML,
    Source.UNXML_ADOPTED,
    Source.VOTING_AGENT,
    Source.FAILED_DRAFTS_SAMPLE,
)


@dataclass
class SponsorSummary:
    drafts: set[int] = field(default_factory=set)  # drafts whose sponsors changed
    titles: int = 0  # built titles written or cleared
    disagreements: int = 0

    def __str__(self) -> str:
        return (
            f"sponsors rewritten on {len(self.drafts)} draft(s), {self.titles} built "
            f"title(s) changed, {self.disagreements} sponsor disagreement(s)"
        )


def said_sponsors(sources: dict) -> dict[str, list[str]]:
    """Each source's sponsor names for one draft, best-ranked first."""
    said: dict[str, list[str]] = {}
    editor = (sources.get(Source.EDITOR) or {}).get("values", {})
    if editor.get("sponsors"):
        # An editor's file speaks for the record; a dump read back names the source
        # of its list (sponsor_source), so the export that follows is the same.
        return {editor.get("sponsor_source") or Source.EDITOR: editor["sponsors"]}
    for source in SPONSOR_SOURCES:
        names = (sources.get(source) or {}).get("values", {}).get("sponsors")
        if names:
            said[source] = names
    return said


@dataclass
class _Planner:
    resolver: NameResolver
    states: dict[str, int]  # state code -> pk
    codes_of: dict[int, str] = field(default_factory=dict)  # pk -> state code
    known: dict[str, str | None] = field(default_factory=dict)  # name -> code, resolved once

    def __post_init__(self):
        self.codes_of = {pk: code for code, pk in self.states.items()}

    def rows(self, said: dict[str, list[str]]) -> list[tuple]:
        """The sponsorships the best source gives, each state once: (state id, name,
        place, source), as ``_stored`` reads them back."""
        if not said:
            return []
        source, names = next(iter(said.items()))
        rows: list[tuple] = []
        seen: set[int | None] = set()
        for name in names:
            code = self.code(name)
            state_id = self.states.get(code) if code else None
            if state_id is None or state_id not in seen:
                seen.add(state_id)
                rows.append((state_id, name, len(rows), source))
        return rows

    def code(self, name: str) -> str | None:
        if name not in self.known:
            self.known[name] = self.resolver.resolve(name)
        return self.known[name]

    def codes(self, names: list[str]) -> set[str]:
        return {code for code in map(self.code, names) if code}

    def shown(self, draft: Draft, row: tuple) -> str:
        """A sponsor as the page names it: the state's name on the day, else as written."""
        state_id, name = row[0], row[1]
        if state_id is None:
            return name
        return self.resolver.name_on(self.codes_of[state_id], draft.date)

    def title(self, draft: Draft, rows: list[tuple]) -> str:
        if draft.title:
            return ""
        agenda = draft.agenda_item.name if draft.agenda_item else ""
        return built_title(agenda, sponsors_named([self.shown(draft, row) for row in rows]))

    def disagreements(self, draft: Draft, said: dict[str, list[str]]) -> list[Disagreement]:
        """A compilation naming other states than the official source."""
        official = {s: n for s, n in said.items() if s not in SECONDARY}
        if not official:
            return []
        source, names = next(iter(official.items()))
        found = []
        for compiled, other in said.items():
            if compiled in SECONDARY and self.codes(other) != self.codes(names):
                found.append(_disagreement(draft, source, names, compiled, other))
        return found


# A title names this many sponsors at most: S/2021/990 had 113, more than a title
# holds (and than a reader wants); the page and the dumps list them all.
NAMED_SPONSORS = 10
TITLE_LENGTH: int = Draft._meta.get_field("built_title").max_length or 1000


def sponsors_named(names: list[str]) -> str:
    """The sponsors as a title names them: all of a few, else the first and how many more."""
    if len(names) <= NAMED_SPONSORS:
        return join_names(names)
    more = len(names) - NAMED_SPONSORS
    return join_names([*names[:NAMED_SPONSORS], f"{more} other{'s' if more > 1 else ''}"])


def built_title(agenda: str, sponsors: str) -> str:
    """'Draft resolution on <agenda> submitted by <sponsors>', from what is known.

    Never longer than the column: PostgreSQL would cut a longer one where SQLite
    keeps it whole, and the two databases would publish different titles."""
    about = f" on {agenda}" if agenda else ""
    by = f" submitted by {sponsors}" if sponsors else ""
    title = f"Draft resolution{about}{by}" if about or by else ""
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def _disagreement(draft, source, names, compiled, other) -> Disagreement:
    return Disagreement(
        draft=draft,
        kind=Disagreement.Kind.FIELD,
        field=Disagreement.SPONSORS,
        values={source: names, compiled: other},
        detail=f"The compilation names other sponsors than {Source(source).label}; "
        "the official list is shown.",
        detected_by=compiled,
    )


def write_sponsors(draft_ids: Iterable[int] | None = None) -> SponsorSummary:
    """Make the stored sponsors, built titles and sponsor disagreements what the sources
    say: of every draft, or of the drafts a load touched (``draft_ids``)."""
    states = dict(MemberState.objects.values_list("code", "pk"))
    planner = _Planner(default_resolver(), states)
    drafts = Draft.objects.select_related("agenda_item").only(
        "pk", "date", "title", "built_title", "sources", "agenda_item__name"
    )
    sponsorships = Sponsorship.objects.all()
    if draft_ids is not None:
        draft_ids = list(draft_ids)
        drafts, sponsorships = (
            drafts.filter(pk__in=draft_ids),
            sponsorships.filter(draft_id__in=draft_ids),
        )
    stored = _stored(sponsorships)
    summary = SponsorSummary()
    create, titled, found = [], [], []
    for draft in drafts.order_by("pk").iterator(chunk_size=1000):
        said = said_sponsors(draft.sources or {})
        rows = planner.rows(said)
        if rows != stored.get(draft.pk, []):
            summary.drafts.add(draft.pk)
            create += [_sponsorship(draft.pk, row) for row in rows]
        title = planner.title(draft, rows)
        if title != draft.built_title:
            draft.built_title = title
            titled.append(draft)
        found += planner.disagreements(draft, said)
    _write(summary, create, titled)
    summary.disagreements = _write_disagreements(found, draft_ids)
    if summary.drafts or titled:
        record_changed(Draft)
    return summary


def _sponsorship(draft_id: int, row: tuple) -> dict:
    """A sponsorship as a row (resolutions.bulk.insert_rows): 10,506 on a sync."""
    state_id, name, position, source = row
    return {
        "draft_id": draft_id,
        "state_id": state_id,
        "name": name,
        "position": position,
        "source": source,
    }


def _stored(sponsorships) -> dict[int, list[tuple]]:
    stored: dict[int, list[tuple]] = {}
    rows = sponsorships.order_by("draft_id", "position").values_list(
        "draft_id", "state_id", "name", "position", "source"
    )
    for draft_id, *row in rows:
        stored.setdefault(draft_id, []).append(tuple(row))
    return stored


def _write(summary: SponsorSummary, create: list[dict], titled: list[Draft]) -> None:
    Sponsorship.objects.filter(draft_id__in=summary.drafts).delete()
    insert_rows(Sponsorship, create)
    bulk_update(titled, ["built_title"])
    summary.titles = len(titled)


def _write_disagreements(found: list[Disagreement], draft_ids: list[int] | None) -> int:
    """Replace the stored sponsor disagreements by those found, keeping the unchanged."""
    stored_ones = Disagreement.objects.filter(field=Disagreement.SPONSORS)
    if draft_ids is not None:
        stored_ones = stored_ones.filter(draft_id__in=draft_ids)
    stored = {(d.draft_id, d.detected_by): d for d in stored_ones}
    wanted = {(d.draft_id, d.detected_by): d for d in found}
    same = {k for k, d in wanted.items() if k in stored and stored[k].values == d.values}
    stale = [d.pk for k, d in stored.items() if k not in same]
    Disagreement.objects.filter(pk__in=stale).delete()
    Disagreement.objects.bulk_create([d for k, d in wanted.items() if k not in same])
    return len(wanted)
