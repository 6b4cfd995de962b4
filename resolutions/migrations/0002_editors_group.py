"""The "Editors" group, with exactly the permissions an editor needs.

Editors add and change drafts, member votes, meetings and Council terms. They
may delete a draft (and its votes) only while it has never been published: the
admin refuses the rest (DraftAdmin.has_delete_permission); superusers can. They
see, but cannot change, the lists their forms pick from (member states, agenda
items, subjects) and the computed or imported records (vetoes, disagreements,
imports). Nothing about users or groups: editors cannot manage accounts.

Permissions are normally created after all migrations have run; they are
created here first so that the group can be given them on a fresh database.
Running this again (``create_editor`` does) resets the group to this list.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Editors"
PERMISSIONS = {
    "resolutions": {
        "draft": ["add", "change", "delete", "view"],
        "meeting": ["add", "change", "view"],
        "agendaitem": ["view"],
        "subject": ["view"],
        "disagreement": ["view"],
        "sourceimport": ["view"],
    },
    "votes": {
        "membervote": ["add", "change", "delete", "view"],
        "membershipterm": ["add", "change", "view"],
        "memberstate": ["view"],
        "memberstatename": ["view"],
        "permanentseat": ["view"],
        "veto": ["view"],
    },
}


def sync_editors_group(apps, schema_editor=None):
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        # create_permissions skips apps without a models module; the migration
        # state's app configs have none, so lend them one for the call.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.set(wanted)
    return group


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resolutions", "0001_initial"),
        ("votes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_editors_group, remove_editors_group)]
