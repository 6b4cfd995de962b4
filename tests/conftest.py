"""Fixtures shared by the whole suite."""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path:
    """The copies of the official datasets, beside the clone (../shared/data)."""
    configured = os.environ.get("SHARED_DATA_DIR")
    if configured:
        return Path(configured)
    return REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = shared_data_dir()
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the official datasets at {path}")
        pytest.skip(f"the official datasets are not at {path} (set SHARED_DATA_DIR)")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # MD5 only in tests: hashing cost is irrelevant here and slows every login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_network(settings):
    """No test reaches the UN's servers: every official address points at a closed port.

    Tests of the download path serve ../shared/data from a local HTTP server and
    set these addresses themselves.
    """
    settings.UN_SOURCES = {
        key: f"http://127.0.0.1:9/no-network-in-tests/{key}" for key in settings.UN_SOURCES
    }
