"""Date every change to the record, for ETag and Last-Modified (RecordVersion),
keep outcomes in step when a term or a name moves votes (votes.seating), search
vectors when an agenda item or a meeting is renamed, and the per-year counts when
a draft is deleted."""

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone

from resolutions import caching
from resolutions.models import AgendaItem, Draft, Meeting, RecordVersion
from resolutions.outcomes import recount_years, refresh_outcomes
from resolutions.search import refresh_search
from votes import yearly
from votes.models import CountedDraft
from votes.seating import council_changed, votes_reseated

WATCHED_APPS = {"votes", "resolutions"}
IGNORED = {"SourceImport", "RecordVersion", "SyncRun"}


def _watched(sender) -> bool:
    meta = sender._meta
    return (
        meta.app_label in WATCHED_APPS
        and meta.object_name not in IGNORED
        and not meta.object_name.startswith("Historical")
    )


def record_changed(sender, **kwargs) -> None:
    """Date a change of the record, once per transaction, after it commits.

    Updating the one RecordVersion row inside every save made each save wait for
    a running sync (and deadlock with it: the draft form locks its draft row
    first, the sync the other way round). Bumped on commit, the row is only ever
    locked for one autocommitted UPDATE, and a rolled-back change dates nothing.
    """
    if kwargs.get("raw") or not _watched(sender):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump_record_version()
    elif not any(entry[1] is bump_record_version for entry in connection.run_on_commit):
        transaction.on_commit(bump_record_version)


def bump_record_version() -> None:
    now = timezone.now()
    if not RecordVersion.objects.filter(pk=1).update(changed_at=now, release=""):
        RecordVersion.objects.get_or_create(pk=1, defaults={"changed_at": now})
    caching.forget_stamp()


def stamp_forgotten(sender, **kwargs) -> None:
    """Any write in the record's apps, the imports' log and the stamp included: the
    cached stamp (resolutions.caching.current_stamp) goes now, for the writer's own
    next read, and again on commit, for a read made before the commit. A bulk
    write sends no signal, but every import ends by logging a SourceImport."""
    meta = sender._meta
    if meta.app_label not in WATCHED_APPS or meta.object_name.startswith("Historical"):
        return
    caching.forget_stamp()
    connection = transaction.get_connection()
    if connection.in_atomic_block and not any(
        entry[1] is caching.forget_stamp for entry in connection.run_on_commit
    ):
        transaction.on_commit(caching.forget_stamp)


def outcomes_follow_seats(sender, draft_ids, **kwargs) -> None:
    """A vote's seat decides vetoes, and a veto names its voter: recompute both."""
    refresh_outcomes(draft_ids)


def counts_follow_council(sender, start, end, **kwargs) -> None:
    """A term changed: the drafts of its days are recounted (whether each has every
    member's vote is in the coverage counts, votes.yearly.coverage_rows)."""
    drafts = Draft.objects.all()
    if start is not None:
        drafts = drafts.filter(date__gte=start)
    if end is not None:
        drafts = drafts.filter(date__lte=end)
    ids = list(drafts.values_list("pk", flat=True))
    if ids:  # a term before any vote (every fixture, a first import) recounts nothing
        refresh_outcomes(ids)


def words_follow_names(sender, instance, raw=False, **kwargs) -> None:
    """A renamed agenda item or meeting is in its drafts' search vectors."""
    if not raw:
        refresh_search(instance.drafts.values_list("pk", flat=True))


def counts_follow_deletion(sender, instance, **kwargs) -> None:
    """A deleted draft leaves the per-year counts of the year it was counted in."""
    recount_years([instance.pk])


def record_version_row(sender, using: str = "default", **kwargs) -> None:
    """The one RecordVersion row, there again after a flush.

    Migration 0004 creates it, and ``flush`` (run by transactional tests) empties
    it; Django sends post_migrate after both, as contenttypes relies on. Without
    the row every ETag costs two more queries and a save dates nothing until it
    commits.
    """
    RecordVersion.objects.using(using).get_or_create(pk=1, defaults={"changed_at": timezone.now()})


def counts_after_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """Count the per-year tables again after a migration that changed what they hold.

    A database that held votes before the migration creating them (votes 0005) has
    none yet; one migrated across a migration marked ``recounts_yearly`` (a count
    table or column added: votes 0006-0008) would show zeros in the new ones until
    the next sync. Sent once every migration of the run is applied, so the counts
    are written with today's code on today's schema.
    """
    if using != "default" or not Draft.objects.exists():
        return
    marked = any(
        getattr(migration, "recounts_yearly", False) and not backwards
        for migration, backwards in plan or ()
    )
    if marked or not CountedDraft.objects.exists():
        with transaction.atomic():
            yearly.recount()


def connect() -> None:
    post_migrate.connect(
        record_version_row,
        sender=apps.get_app_config("resolutions"),
        dispatch_uid="record_version_row",
    )
    post_migrate.connect(
        counts_after_migrate,
        sender=apps.get_app_config("resolutions"),
        dispatch_uid="counts_after_migrate",
    )
    votes_reseated.connect(outcomes_follow_seats, dispatch_uid="outcomes_follow_seats")
    council_changed.connect(counts_follow_council, dispatch_uid="counts_follow_council")
    post_save.connect(record_changed, dispatch_uid="record_changed_save")
    for model in (AgendaItem, Meeting):
        post_save.connect(words_follow_names, sender=model, dispatch_uid=f"words_{model.__name__}")
    post_delete.connect(record_changed, dispatch_uid="record_changed_delete")
    post_delete.connect(counts_follow_deletion, sender=Draft, dispatch_uid="counts_follow_deletion")
    m2m_changed.connect(record_changed, dispatch_uid="record_changed_m2m")
    post_save.connect(stamp_forgotten, dispatch_uid="stamp_forgotten_save")
    post_delete.connect(stamp_forgotten, dispatch_uid="stamp_forgotten_delete")
    m2m_changed.connect(stamp_forgotten, dispatch_uid="stamp_forgotten_m2m")
