"""Which tables a release holds, their Table Schemas, and how values are written.

Everything here is read from the models' ``_meta``: a field another issue adds
to a released model is released, described and loaded with no edit here. Only
a new *model* needs a line in ``TABLES`` (or in ``NOT_RELEASED``, saying why);
a test holds every model of the record to one or the other.

Values are written as Frictionless expects them: integers and dates as text,
booleans as ``true``/``false``, JSON as compact JSON, and a null as an empty
cell. JSON keeps the order of its keys as the database returns them, so that
a record loaded back lists a draft's sources in the same order as the one it
was built from; SQLite keeps the order they were written in, PostgreSQL's
jsonb its own, so releases are compared and versioned through
``canonical_json`` (sorted keys), and ``make release`` builds on SQLite.
Timestamps that say when a row was written (``auto_now``, ``auto_now_add``)
are left out: they would change every build; the loader stamps them with the
time of the load. So are search vectors (PostgreSQL's, derived from the words
released beside them): the loader rebuilds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from resolutions.models import (
    AgendaItem,
    Disagreement,
    Draft,
    Meeting,
    RecordVersion,
    SourceImport,
    Sponsorship,
    Standing,
    Subject,
    SyncRun,
    WorklistEntry,
)
from resolutions.release import ReleaseError
from votes.models import (
    AgreementYear,
    CountedDraft,
    CoverageYear,
    DraftYear,
    MembershipTerm,
    MemberState,
    MemberStateName,
    MemberVote,
    PermanentSeat,
    ResolutionGap,
    StateYear,
    Veto,
    VetoYear,
    VoteYear,
)


@dataclass(frozen=True)
class Table:
    name: str
    model: type[models.Model]
    title: str

    @property
    def path(self) -> str:
        return f"{self.name}.csv.gz"

    @cached_property
    def fields(self) -> list[models.Field]:
        return [
            f
            for f in self.model._meta.concrete_fields
            if not (is_write_stamp(f) or isinstance(f, SearchVectorField))
        ]

    @cached_property
    def stamps(self) -> list[models.Field]:
        """Fields the loader fills with the time of the load."""
        return [f for f in self.model._meta.concrete_fields if is_write_stamp(f)]

    def schema(self) -> dict:
        """The table's Frictionless Table Schema."""
        schema = {
            "fields": [field_schema(f) for f in self.fields],
            "primaryKey": [self.model._meta.pk.attname],
            "missingValues": [""],
        }
        keys = [
            {
                "fields": f.attname,
                "reference": {"resource": table_of(f.related_model).name, "fields": "id"},
            }
            for f in self.fields
            if f.is_relation
        ]
        if keys:
            schema["foreignKeys"] = keys
        return schema


# In load order: every table after the tables it refers to.
TABLES: tuple[Table, ...] = (
    Table("member_states", MemberState, "Member states, by their UN three-letter code"),
    Table("member_state_names", MemberStateName, "The names a state carried, with their dates"),
    Table("seats", PermanentSeat, "The five permanent seats"),
    Table("terms", MembershipTerm, "Each state's terms on the Council, both ends inclusive"),
    Table("meetings", Meeting, "Council meetings at which a draft was put to the vote"),
    Table("agenda_items", AgendaItem, "Agenda items"),
    Table("subjects", Subject, "Subjects"),
    Table("drafts", Draft, "Every draft put to the vote, adopted or not, with its provenance"),
    Table("draft_subjects", Draft.subjects.through, "Which subjects each draft is filed under"),
    Table("sponsorships", Sponsorship, "Who submitted each draft, and which source says so"),
    Table("member_votes", MemberVote, "How each member voted on each draft"),
    Table("vetoes", Veto, "Vetoes, as the outcome engine decides them"),
    Table(
        "standings",
        Standing,
        "Members decisive on a vote, or alone on it, as the outcome engine decides them",
    ),
    Table("disagreements", Disagreement, "Where the sources (or an editor) disagree"),
    Table(
        "sources", SourceImport, "The imports the record was merged from: source, version, sha256"
    ),
)

# Models of the record that a release leaves out, and why.
NOT_RELEASED = {
    # When the record last changed in *this* database; the loader sets it.
    RecordVersion: "a database's own change stamp",
    # A proxy of Draft (no table of its own): the admin's worklist of its rows.
    WorklistEntry: "the editors' worklist, a view of the drafts",
    # What the last sync of *this* database read, so that the same sync is skipped.
    SyncRun: "a database's own note of its last sync",
    # Counts per year of the member votes (votes/yearly.py): the loader recounts them.
    CountedDraft: "derived: the year each draft is counted in",
    AgreementYear: "derived: pairs of votes counted per year",
    StateYear: "derived: each member's votes counted per year",
    VetoYear: "derived: vetoes counted per year",
    DraftYear: "derived: drafts and P5 splits counted per year",
    CoverageYear: "derived: drafts counted per year by what backs their member votes",
    VoteYear: "derived: published votes counted per year and kind",
    ResolutionGap: "derived: the resolution numbers no draft carries",
}


def table_of(model: type[models.Model]) -> Table:
    for table in TABLES:
        if table.model is model:
            return table
    raise ReleaseError(f"{model._meta.label} is referred to but not released")


def by_name() -> dict[str, Table]:
    return {t.name: t for t in TABLES}


def is_write_stamp(field: models.Field) -> bool:
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


# Frictionless types ------------------------------------------------------------
_TYPES = {
    "AutoField": "integer",
    "BigAutoField": "integer",
    "SmallAutoField": "integer",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "CharField": "string",
    "TextField": "string",
    "SlugField": "string",
    "EmailField": "string",
    "URLField": "string",
    "BooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "datetime",
    "FloatField": "number",
}


def field_type(field: models.Field) -> str:
    if isinstance(field, models.JSONField):
        return "array" if field.default is list else "object"
    internal = (field.target_field if field.is_relation else field).get_internal_type()
    try:
        return _TYPES[internal]
    except KeyError:
        raise ReleaseError(
            f"{field.model._meta.label}.{field.name}: no release type for {internal} "
            "(add it to resolutions/release/tables.py)"
        ) from None


def field_schema(field: models.Field) -> dict:
    kind = field_type(field)
    schema: dict = {"name": field.attname, "type": kind}
    description = str(field.help_text or "")
    if description:
        schema["description"] = description
    constraints = _constraints(field, kind)
    if constraints:
        schema["constraints"] = constraints
    return schema


def _constraints(field: models.Field, kind: str) -> dict:
    """The field's Table Schema constraints: required, unique, maxLength, minimum, enum."""
    constraints: dict = {}
    # An empty text is written as an empty cell, which Frictionless reads as
    # missing: text that may be blank is therefore not "required".
    if not field.null and not (kind == "string" and field.blank):
        constraints["required"] = True
    if field.unique and not field.primary_key:
        constraints["unique"] = True
    return constraints | _value_constraints(field, kind)


def _value_constraints(field: models.Field, kind: str) -> dict:
    """What each value may be: maxLength, minimum, enum."""
    constraints: dict = {}
    if kind == "string" and field.max_length:
        constraints["maxLength"] = field.max_length
    if kind == "integer" and field.get_internal_type().startswith("Positive"):
        constraints["minimum"] = 0
    if field.choices and not field.is_relation:
        constraints["enum"] = [value for value, _label in field.flatchoices if value != ""]
    return constraints


# Writing and reading cells -----------------------------------------------------
def encode(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def canonical_json(value) -> str:
    """The same text for the same JSON, whatever order its keys come in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decoder(field: models.Field):
    """A function from a cell to the field's Python value; ValueError on a bad cell."""
    kind = field_type(field)
    empty = None if field.null else ("" if kind == "string" else _required)

    def read(cell: str):
        if cell == "":
            return empty() if callable(empty) else empty
        return _READ[kind](cell)

    return read


def _required():
    raise ValueError("a value is required")


def _boolean(cell: str) -> bool:
    if cell == "true":
        return True
    if cell == "false":
        return False
    raise ValueError(f"{cell!r} is not true or false")


def _json(expected: type):
    def read(cell: str):
        value = json.loads(cell)
        if not isinstance(value, expected):
            raise ValueError(f"expected a JSON {expected.__name__}")
        return value

    return read


_READ = {
    "integer": int,
    "string": str,
    "boolean": _boolean,
    "date": date.fromisoformat,
    "datetime": datetime.fromisoformat,
    "number": float,
    "array": _json(list),
    "object": _json(dict),
}
