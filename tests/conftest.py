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
