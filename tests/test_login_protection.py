"""The admin login resists guessing (django-axes), and passwords are long enough (issue 12).

A probe logged in with the right password at once after 30 wrong ones in 24 s.
Now the fifth failure for one username from one address locks that pair out,
the right password included, until the lock is reset or cools off.
"""

from __future__ import annotations

import logging
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-right-and-long-password"
LOGIN = "/admin/login/?next=/admin/"


def try_login(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def editor():
    return get_user_model().objects.create_user("alice", password=PASSWORD, is_staff=True)


@pytest.fixture
def axes_log():
    """What django-axes logs (its logger does not propagate to the root)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("axes")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(editor, axes_log):
    client = Client()
    statuses = [try_login(client, "alice", f"wrong guess {n}").status_code for n in range(20)]

    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    # The form is shown again until the limit, then the lockout answers.
    assert statuses[: limit - 1] == [200] * (limit - 1)
    assert set(statuses[limit - 1 :]) == {429}

    right = try_login(client, "alice", PASSWORD)
    assert right.status_code == 429
    assert not logged_in(client)
    assert any("Locking out" in r.getMessage() for r in axes_log)


def test_the_lock_is_per_username_and_address(editor):
    get_user_model().objects.create_user("bob", password=PASSWORD, is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_login(Client(), "alice", f"wrong guess {n}")

    from_elsewhere = Client()
    assert try_login(from_elsewhere, "alice", PASSWORD, address="10.0.0.2").status_code == 302
    assert logged_in(from_elsewhere)
    colleague = Client()
    assert try_login(colleague, "bob", PASSWORD).status_code == 302
    assert logged_in(colleague)


def test_a_reset_unlocks_as_the_deploy_guide_says(editor):
    for n in range(settings.AXES_FAILURE_LIMIT):
        try_login(Client(), "alice", f"wrong guess {n}")
    assert try_login(Client(), "alice", PASSWORD).status_code == 429

    call_command("axes_reset_username", "alice", stdout=StringIO())

    client = Client()
    assert try_login(client, "alice", PASSWORD).status_code == 302
    assert logged_in(client)


def test_fewer_failures_than_the_limit_do_not_lock(editor):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        try_login(client, "alice", f"wrong guess {n}")
    assert try_login(client, "alice", PASSWORD).status_code == 302


@pytest.mark.parametrize(("password", "accepted"), [("eleven-char", False), ("twelve-chars", True)])
def test_passwords_need_twelve_characters(password, accepted):
    assert len(password) == (12 if accepted else 11)
    if accepted:
        validate_password(password)
    else:
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password(password)
