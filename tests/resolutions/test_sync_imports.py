"""A sync that would change nothing is decided without importing the parsers.

``sync_un_data`` decides the skip from the files' hashes and the record
(``resolutions.pipeline.sync_state``); the parsers, the loader and the downloader
(``_sync_loading``) bring openpyxl, lxml and httpx, which cost more to import than
the skip itself, and are imported only when a load runs. Checked in a fresh
process: this one has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # each test starts a process of its own

# What only loading needs: the heavy libraries and the pipeline's loading modules.
LOADING_ONLY = [
    "openpyxl",
    "lxml",
    "httpx",
    "resolutions.pipeline.sync",
    "resolutions.pipeline.loader",
    "resolutions.pipeline.fetch",
    "resolutions.management.commands._sync_loading",
]

# Django started, the command imported, the skip's key computed from the shared data
# (what the skip path does before asking the database); then the loading half.
PROGRAM = """
import json, sys
from pathlib import Path
import django
django.setup()
from resolutions.management.commands import sync_un_data as command
command.sync_key(command.inputs_from_dir(Path(sys.argv[1])))
wanted = json.loads(sys.argv[2])
before = [name for name in wanted if name in sys.modules]
command.import_module(command.LOADING)
after = [name for name in wanted if name in sys.modules]
print(json.dumps([before, after]))
"""


def test_the_skip_decision_imports_nothing_only_a_load_needs(shared_data):
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(shared_data), json.dumps(LOADING_ONLY)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    before, after = json.loads(result.stdout.splitlines()[-1])
    assert before == []
    # The check can fail: loading brings every one of them in.
    assert after == LOADING_ONLY
