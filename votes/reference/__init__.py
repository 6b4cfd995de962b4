"""Reference data about the Council's members, kept as CSV files beside this module.

* ``member_states.csv``: every state that ever sat, by the UN Digital Library's code,
  with its name today (or its last name, for states that no longer exist).
* ``names.csv``: the names a state carried over time (dates inclusive, blank = open).
* ``aliases.csv``: other spellings the sources use. Every name in the two files
  above is recognised already; an alias row for a spelling replaces those, which
  is how a spelling is limited to dates ("Republic of China" only to 1971).
* ``permanent_terms.csv``: the holders of the five permanent seats since 1945.
* ``membership_corrections.csv``: the states DPPA's membership file leaves blank.
* ``successions.csv``: elected seats that passed to a successor state mid-term.

Each row cites its evidence in a ``note`` (or ``reason``) column. The readers
are pure and cached (``votes.reference.rows``), and importing this package touches
no database, so parsers can use them; ``votes.reference.load.load_reference_data``
writes them to the database.
"""

from votes.reference.rows import (
    AliasRow,
    CorrectionRow,
    NameRow,
    PermanentTermRow,
    ReferenceDataError,
    StateRow,
    SuccessionRow,
    aliases,
    member_states,
    membership_corrections,
    permanent_codes,
    permanent_terms,
    state_names,
    successions,
)

__all__ = [
    "AliasRow",
    "CorrectionRow",
    "NameRow",
    "PermanentTermRow",
    "ReferenceDataError",
    "StateRow",
    "SuccessionRow",
    "aliases",
    "member_states",
    "membership_corrections",
    "permanent_codes",
    "permanent_terms",
    "state_names",
    "successions",
]
