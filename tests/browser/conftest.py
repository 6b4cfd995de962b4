"""The browser tests: Chromium, driven by Playwright (tests/conftest.py's ``page``)."""

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    # Each test starts Chromium pages against a live server: make test (and CI, where
    # they are required) runs them, the edit loop (make test-fast) leaves them out.
    # (pytest passes this hook every item of the run, so only this folder's are marked.)
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.slow)
