"""Secure from the start: deploy checks, a strict CSP, no unescaped user text."""

import os
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import REPO


@pytest.mark.slow  # starts a process of its own
def test_deploy_check_reports_nothing_with_debug_off(tmp_path):
    # Only the production-relevant environment: the browser tests' async flag is not.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-for-this-test-only-7f3a9c2e1b5d8f0a4c6e",
        "ALLOWED_HOSTS": "votes.example.org",
        "STATIC_ROOT": str(tmp_path),
    }
    # As in production (make serve): without the collected files every page is a 500.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow  # starts a process of its own
def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.django_db
def test_csp_allows_no_inline_script_and_no_third_party_origin(client):
    response = client.get(reverse("resolutions:home"))
    policy = response.headers["Content-Security-Policy"]
    directives = dict(
        [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert not re.search(r"https?://", policy), policy


def test_no_template_or_code_marks_text_safe():
    offenders = []
    patterns = re.compile(r"\|\s*safe\b|autoescape\s+off|mark_safe\(|format_html\(.*\|safe|safeseq")
    for folder in ("templates", "votes", "resolutions", "config"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in {".html", ".py", ".txt", ".xml"} and "migrations" not in path.parts:
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if patterns.search(line):
                        offenders.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_inline_script_in_templates():
    inline = []
    for path in (REPO / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            if "src=" not in match.group(1):
                inline.append(str(path.relative_to(REPO)))
        if re.search(r"\son[a-z]+\s*=", text):
            inline.append(f"{path.relative_to(REPO)} (event handler attribute)")
    assert inline == []
