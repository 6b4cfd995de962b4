"""The sample histories, built once per test module instead of once per test.

Building ``large_history()`` costs seconds; rebuilding it for each test was most
of the suite's time. The ``shared_sample`` fixture (tests/conftest.py) builds a
sample inside a transaction that stays open for one module's tests: each test
runs in its own savepoint inside it and is rolled back, so a test that changes
the sample leaves it intact for the next, and the whole sample is rolled back
after the module's last test. ``sample`` gives a test its own copy of the named
drafts (as Django's setUpTestData does), so changing one in memory is not seen
by the next test either.

A test picks a size with ``@sample_size(...)``; without it, a test that asks for
``sample`` gets "large". pytest runs a module's tests grouped by size, building
each size once. Tests that need the browser's live server (``transaction=True``)
cannot see an uncommitted sample and build their own data; one that asks for
the sample is refused when the tests are collected.
"""

import pytest

SIZES = ("empty", "small", 0, 10, 20, "large")


def build(size) -> dict:
    """The named drafts of a sample: "small" is the starter vote alone, "large" is
    ``large_history(extra=40)`` and a number is ``large_history(extra=that)``."""
    # Imported here: the builders' own module uses sample_size for its checks.
    from tests.resolutions.test_pages_data import large_history, small_history

    if size == "empty":
        return {}
    if size == "small":
        return {"seed": small_history()}
    if size == "large":
        return large_history(extra=40)
    if size in SIZES:
        return large_history(extra=size)
    raise ValueError(f"unknown sample size {size!r}; one of {SIZES}")


def sample_size(*sizes):
    """Run the test on each of these samples (the test id names the size)."""
    return pytest.mark.parametrize(
        "shared_sample", sizes, indirect=True, ids=[f"{size}" for size in sizes]
    )
