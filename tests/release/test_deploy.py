"""Production: gunicorn with DEBUG off, collected static files, Docker Compose."""

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import yaml
from django.db import connection

from resolutions.starter import load_starter_data
from tests.conftest import REPO

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-5b8e2d7c9a1f3e6d0b4a",
    "ALLOWED_HOSTS": "votes.example.org",
}


def environment() -> dict[str, str]:
    """This process's environment as production would have it: the browser tests'
    DJANGO_ALLOW_ASYNC_UNSAFE (set while Chromium runs) is not for a deployed site,
    and `check --deploy` rightly refuses it."""
    return {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**environment(), **PRODUCTION, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow  # starts a process of its own
def test_the_deploy_check_says_when_static_files_are_not_collected(tmp_path):
    result = manage("check", "--deploy", env={"STATIC_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "site.E001" in result.stderr
    assert "collectstatic" in result.stderr


@pytest.mark.slow  # starts a process of its own
def test_the_server_refuses_to_start_without_them(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=REPO,
        env={**environment(), **PRODUCTION, "STATIC_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Not serving: the static files have not been collected" in result.stderr


def vendored_schema(name: str) -> dict:
    # check-jsonschema ships the schemas it checks against: no network at test time.
    pytest.importorskip("check_jsonschema", reason="check-jsonschema ships the schema")
    files = resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((files / f"{name}.json").read_text())


def test_compose_file_follows_the_compose_specification():
    schema = vendored_schema("compose-spec")
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    jsonschema.validate(compose, schema)
    services = compose["services"]
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"].startswith("redis:")
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "sync_un_data" in services["sync"]["command"]
    assert services["web"]["environment"]["CACHE_URL"].startswith("redis://")


def test_citation_file_follows_the_citation_file_format():
    schema = vendored_schema("citation-file-format")
    citation = yaml.safe_load((REPO / "CITATION.cff").read_text())
    # As the schema asks of its tools: YAML dates are checked as their text.
    citation["date-released"] = str(citation["date-released"])
    jsonschema.validate(citation, schema)
    package = json.loads((REPO / "release" / "datapackage.json").read_text())
    assert citation["version"] == package["version"]


def test_the_image_installs_the_production_lock_and_runs_gunicorn():
    dockerfile = (REPO / "Dockerfile").read_text()
    assert dockerfile.startswith("# syntax=docker/dockerfile:1")
    assert "FROM python:3.11-slim" in dockerfile
    assert "-r requirements/prod.lock" in dockerfile
    assert 'CMD ["gunicorn", "--config", "config/gunicorn.py"]' in dockerfile
    ignored = (REPO / ".dockerignore").read_text().split()
    assert "tests" in ignored
    assert "release" not in ignored  # the image loads the data release


def test_gunicorn_settings_load():
    config = runpy.run_path(str(REPO / "config" / "gunicorn.py"))
    assert config["wsgi_app"] == "config.wsgi:application"
    assert config["workers"] >= 1
    assert config["timeout"] >= 30


GUNICORN = Path(sys.executable).with_name("gunicorn")
PAGES = [
    "/",
    "/votes/",
    "/vetoes/",
    "/countries/",
    "/countries/ghana/",
    "/p5/",
    "/data/",
    "/api/v1/votes/",
    "/api/v1/docs/",
    "/votes.csv",
    "/feeds/votes.atom",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would lead to the public host name: stay on the loopback.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def get(url: str):
    # As the TLS-terminating proxy sends it: the public host, and that it was HTTPS.
    request = urllib.request.Request(
        url, headers={"Host": "votes.example.org", "X-Forwarded-Proto": "https"}
    )
    with _opener.open(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.slow  # starts a process of its own
@pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed in this environment")
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_every_public_page_with_debug_off(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the server process needs a database it can share: PostgreSQL")
    draft = load_starter_data()
    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(free_port()),
        "WEB_CONCURRENCY": "1",
    }
    assert manage("collectstatic", "--no-input", "-v0", env=env).returncode == 0
    check = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert check.returncode == 0, check.stderr
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "config/gunicorn.py"],
        cwd=REPO,
        env={**environment(), **PRODUCTION, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        for _ in range(100):
            try:
                get(base + "/")
                break
            except OSError:
                time.sleep(0.1)
        for page in [*PAGES, draft.get_absolute_url()]:
            status, headers, _body = get(base + page)
            assert status == 200, page
        status, headers, body = get(base + "/votes/")
        assert headers["Cache-Control"] == "public, max-age=300"
        stylesheet = body.decode().split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
        assert stylesheet != "/static/css/site.css"  # hashed by the manifest
        status, headers, css = get(base + stylesheet)
        assert status == 200
        assert b".site-header" in css
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)
