"""Create an editor account (or make an existing user an editor).

    manage.py create_editor alice --email alice@example.org

An editor is a staff user in the "Editors" group: they can enter and correct
votes in the admin, but cannot manage users or delete published records. The
password is asked for twice; with ``--no-input`` it is read from the
``DJANGO_EDITOR_PASSWORD`` environment variable (or left unusable, to be set
later with ``manage.py changepassword``).
"""

import getpass
import os
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# The group and its permissions are defined once, by the migration that creates it.
_migration = import_module("resolutions.migrations.0002_editors_group")


def editors_group() -> Group:
    """The Editors group with exactly its permissions (recreated if it was removed)."""
    _migration.sync_editors_group(apps)
    return Group.objects.get(name=_migration.GROUP)


class Command(BaseCommand):
    help = "Create an editor account: a staff user in the Editors group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Read the password from DJANGO_EDITOR_PASSWORD instead of asking.",
        )

    @transaction.atomic
    def handle(self, username, email, interactive, **options):
        User = get_user_model()
        user, created = User.objects.get_or_create(
            **{User.USERNAME_FIELD: username}, defaults={"email": email}
        )
        password = self._password(user, interactive) if created else None
        if created and password is None:
            user.set_unusable_password()
        elif password is not None:
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.add(editors_group())
        done = f"Created the editor {username}" if created else f"Made {username} an editor"
        self.stdout.write(self.style.SUCCESS(f"{done}: sign in at /admin/."))
        if created and password is None:
            self.stdout.write(f"Set a password with: manage.py changepassword {username}")

    def _password(self, user, interactive: bool) -> str | None:
        if not interactive:
            password = os.environ.get("DJANGO_EDITOR_PASSWORD")
            if password:
                self._validate(password, user)
            return password or None
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as exc:
                self.stderr.write(" ".join(exc.messages))
                continue
            return password

    def _validate(self, password: str, user) -> None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
