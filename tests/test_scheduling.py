"""make test's xdist scheduling: one work unit per test file, tests/fullhistory as one.

The unit decides how often the module fixtures (and the whole record) are built:
once per worker that runs one of the unit's tests.
"""

import pytest
from xdist.remote import Producer

from tests.conftest import OneFileAWorker, pytest_xdist_make_scheduler


def scope(nodeid: str) -> str:
    # _split_scope reads nothing of the scheduler's state.
    return OneFileAWorker._split_scope(None, nodeid)  # type: ignore[arg-type]


def test_every_test_of_a_file_is_one_unit_and_two_files_are_two():
    first = "tests/resolutions/test_list_view.py::test_free_text_and_symbols"
    same = "tests/resolutions/test_list_view.py::test_csv_with_a_bad_filter_says_why[x-y]"
    other = "tests/resolutions/test_exports.py::test_export_import_export_gives_the_same_file"
    assert scope(first) == scope(same) == "tests/resolutions/test_list_view.py"
    assert scope(other) != scope(first)


def test_the_whole_record_package_is_one_unit():
    a = "tests/fullhistory/test_release.py::test_the_release_is_what_the_sources_build"
    b = "tests/fullhistory/test_search.py::test_the_search_uses_the_gin_index"
    assert scope(a) == scope(b) == "tests/fullhistory/"
    assert scope("tests/fullhistoryx/test_a.py::t") == "tests/fullhistoryx/test_a.py"


@pytest.mark.parametrize(("dist", "ours"), [("loadfile", True), ("load", False), ("no", False)])
def test_only_loadfile_gets_this_scheduling(pytestconfig, monkeypatch, dist, ours):
    monkeypatch.setattr(pytestconfig.option, "dist", dist)
    # A scheduler reads its workers from --tx, which a worker's own options lack.
    monkeypatch.setattr(pytestconfig.option, "tx", ["popen"], raising=False)
    made = pytest_xdist_make_scheduler(pytestconfig, log=Producer("test", enabled=False))
    assert isinstance(made, OneFileAWorker) is ours
