"""The project's own release of the merged record: versioned, compressed, checked.

``build_release`` writes every table of the record (drafts, member votes,
vetoes, members, seats, terms, meetings, agenda items, subjects,
disagreements, the imports) as one gzip'd CSV each, described by a
Frictionless ``datapackage.json`` with each file's SHA-256, the sources and
their versions and the UN's licence. ``load_release`` checks all of that
before it writes a row, then loads the tables in one transaction.

A release is input, not a source of truth: provenance travels with it
(``Draft.sources``, ``Draft.field_sources``, disagreements), so a later
``sync_un_data`` merges the official sources on top exactly as on an empty
database.

* ``tables.py``: which models are released, and their Table Schemas, generated
  from the models' fields so that a field added later is released with no edit.
* ``build.py``: writing a release deterministically.
* ``load.py``: validating and loading one.
* ``compare.py``: what differs between two releases, table by table.
"""

from pathlib import Path

from django.conf import settings


class ReleaseError(Exception):
    """A release that cannot be built or loaded, said in one line."""


def default_dir() -> Path:
    """The project's committed release (``release/`` at the top level)."""
    return Path(settings.BASE_DIR) / "release"
