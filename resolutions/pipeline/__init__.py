"""The import pipeline: parsed records in, drafts, votes and disagreements out.

The parsers (``resolutions.sources``) turn a file into records and touch no
database; everything here works with the database, in one transaction per
import:

* ``sync`` - which parser reads which source, in which order (``sync_un_data``);
  ``inputs`` finds the files in a folder and digests them, and ``sync_state``
  decides from those digests whether a sync can be skipped (neither imports a
  parser); ``fetch`` downloads the official sources first when no folder is given;
* ``loader`` - one source's draft records, step by step: validate, match,
  assign, merge, write, refresh (``membership`` for DPPA's Council terms);
* ``matching`` - which stored draft a record describes;
* ``entries`` - the shape of ``Draft.sources``, what each source said;
* ``values`` - records to stored values, and merged values to draft fields;
* ``merge`` and ``resolution_order`` - the draft's fields from every source's
  values, and the disagreements between them;
* ``member_votes`` - member votes checked against the Council of the day, and
  written; ``editor_file`` holds an editor's file to the admin's vote rules;
* ``writes`` - meetings, agenda items, subjects and disagreements, in bulk;
* ``summary`` - what an import did (``ImportSummary``) and its transaction.
"""
