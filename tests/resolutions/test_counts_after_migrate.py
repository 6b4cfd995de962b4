"""A database migrated across a migration that adds per-year counts gets them counted.

Without it, a deployment that already holds the record would show zeros in the new
counts (the coverage table of /data/, say) until its next sync.
"""

from __future__ import annotations

import pytest
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import AddField, AlterField, CreateModel, RemoveField

from resolutions.signals import counts_after_migrate
from votes import yearly
from votes.models import CoverageYear, DraftYear

pytestmark = pytest.mark.django_db

COUNT_MODELS = {model._meta.model_name for model, _rows in yearly.COUNTS}


def votes_migration(name: str):
    return MigrationLoader(None, ignore_no_migrations=True).disk_migrations[("votes", name)]


def coverage() -> list[tuple]:
    return sorted(CoverageYear.objects.values_list("year", "outcome", "votes", "drafts"))


def test_a_marked_migration_recounts_what_the_record_already_holds(sample):
    expected = coverage()
    assert expected, "the sample has drafts to count"
    CoverageYear.objects.all().delete()  # as the table is right after migration 0007
    DraftYear.objects.update(drafts_vetoed=0)  # as the column is right after 0008
    counts_after_migrate(sender=None, plan=[(votes_migration("0007_coverage_year"), False)])
    assert coverage() == expected
    assert DraftYear.objects.filter(drafts_vetoed__gt=0).exists()


def test_other_migrations_recount_nothing(sample):
    CoverageYear.objects.all().delete()
    counts_after_migrate(sender=None, plan=[(votes_migration("0004_deduced_source"), False)])
    counts_after_migrate(sender=None, plan=[(votes_migration("0007_coverage_year"), True)])
    assert not CoverageYear.objects.exists()


def test_every_migration_that_changes_a_count_table_is_marked():
    """After 0005, which created the tables (counted when none exist), each migration
    adding or changing a count table or its columns must say so."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if app != "votes" or name[:4] <= "0005":
            continue
        touched = {
            (op.name if isinstance(op, CreateModel) else op.model_name).lower()
            for op in migration.operations
            if isinstance(op, (CreateModel, AddField, AlterField, RemoveField))
        }
        if touched & COUNT_MODELS:
            assert getattr(migration, "recounts_yearly", False), (
                f"votes {name} changes {sorted(touched & COUNT_MODELS)}: set recounts_yearly"
            )
