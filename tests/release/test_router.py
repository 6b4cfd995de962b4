"""Public GETs read from a replica; the admin, writes and commands stay on the primary."""

import json
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from config.routers import ReplicaMiddleware, ReplicaRouter
from resolutions.models import Draft
from tests.conftest import REPO

router = ReplicaRouter()


def reads_during(request, *, write=False) -> list[str]:
    """Where the reads of a request would go, asked three times while it runs."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Draft))
        if write:
            router.db_for_write(Draft)
        seen.append(router.db_for_read(Draft))
        seen.append(router.db_for_read(Draft))
        return "response"

    ReplicaMiddleware(view)(request)
    return seen


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]


def test_without_replicas_everything_is_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    assert reads_during(RequestFactory().get("/votes/")) == ["default"] * 3
    assert router.db_for_write(Draft) == "default"


def test_a_public_page_reads_one_replica_throughout(replicas):
    for _ in range(10):
        seen = reads_during(RequestFactory().get("/votes/"))
        assert seen[0] in ("replica1", "replica2")
        assert seen == [seen[0]] * 3
    assert router.db_for_read(Draft) == "default"  # after the request


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/votes/"),
        RequestFactory().get("/admin/resolutions/draft/"),
        RequestFactory(HTTP_COOKIE="sessionid=abc").get("/votes/"),
    ],
    ids=["a POST", "the admin", "a signed-in editor"],
)
def test_these_read_the_primary(replicas, request_):
    assert reads_during(request_) == ["default"] * 3


def test_a_request_that_writes_reads_its_own_writes(replicas):
    seen = reads_during(RequestFactory().get("/votes/"), write=True)
    assert seen[0].startswith("replica")
    assert seen[1:] == ["default", "default"]


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "resolutions")
    assert not router.allow_migrate("replica1", "resolutions")


SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
call_command("migrate", verbosity=0)
from resolutions.starter import load_starter_data
load_starter_data()
client = Client()
counts = {}
for label, request in (
    ("page", lambda: client.get("/votes/")),
    ("admin", lambda: client.get("/admin/login/")),
):
    with CaptureQueriesContext(connections["default"]) as primary, \\
         CaptureQueriesContext(connections["replica1"]) as replica:
        status = request().status_code
    counts[label] = [status, len(primary), len(replica)]
print(json.dumps(counts))
"""


@pytest.mark.slow  # starts a process of its own
def test_a_configured_replica_serves_the_reads_of_a_page(tmp_path):
    # A real second connection: the replica is the same SQLite file, opened apart.
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URLS": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    status, primary, replica = counts["page"]
    assert status == 200
    assert replica > 0
    assert primary == 0
    status, primary, replica = counts["admin"]
    assert status == 200
    assert replica == 0
