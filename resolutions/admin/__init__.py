"""The editors' admin: enter a vote with the Council pre-filled, see its outcome as it
will be published, keep who changed what, and never save over a colleague's edit.

Editors (the "Editors" group, see migration 0002) add and change drafts, votes,
meetings and Council terms. Only a superuser can delete a record that has ever
been published. The public pages need no login at all.

One module per job: ``drafts`` (the draft and its member votes inline),
``member_votes`` (a vote on its own page, its history and undo), ``forms``,
``endpoints`` (the council and preview JSON the draft form's script calls),
``history`` (the History page), ``worklist`` (the editors' worklist: records
whose member votes are incomplete), ``seats``, ``search`` and ``reference`` (the
short admins of meetings, agenda items, subjects, disagreements and imports).
The rules they enforce are the domain's: ``resolutions/rules.py``.
"""

from django.contrib import admin

from resolutions.admin.drafts import DraftAdmin, MemberVoteInline
from resolutions.admin.member_votes import MemberVoteAdmin
from resolutions.admin.reference import (
    AgendaItemAdmin,
    DisagreementAdmin,
    MeetingAdmin,
    RecordVersionAdmin,
    SourceImportAdmin,
    SubjectAdmin,
)
from resolutions.admin.worklist import WorklistAdmin

admin.site.site_header = "SC Votes: editors"
admin.site.site_title = "SC Votes editors"
admin.site.index_title = "The record"

__all__ = [
    "AgendaItemAdmin",
    "DisagreementAdmin",
    "DraftAdmin",
    "MeetingAdmin",
    "MemberVoteAdmin",
    "MemberVoteInline",
    "RecordVersionAdmin",
    "SourceImportAdmin",
    "SubjectAdmin",
    "WorklistAdmin",
]
