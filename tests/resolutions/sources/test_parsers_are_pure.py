"""The parsers touch no database: no import of the ORM or of a models module, anywhere in them.

They may use the shared vocabulary (``votes.choices``, whose TextChoices come
from django.db.models) and the pure engine (``votes.outcome``), nothing else of
the database.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PARSERS = [
    "dhl_meetings",
    "dhl_outcome_cell",
    "dhl_veto",
    "dppa",
    "reading",
    "records",
    "site_export",
    "tally",
    "undl",
    "unxml",
    "unxml_adopted",
]


def imported_names(path: Path) -> list[str]:
    """Every module an ``import`` names in the file, at any depth (inside functions too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
    return names


def touches_the_database(name: str) -> bool:
    parts = name.split(".")
    return name.startswith("django.db") or "models" in parts or parts[-1] == "bulk"


@pytest.mark.parametrize("module", PARSERS)
def test_a_parser_imports_neither_the_orm_nor_a_models_module(module):
    path = REPO / "resolutions" / "sources" / f"{module}.py"
    assert [name for name in imported_names(path) if touches_the_database(name)] == []


def test_the_check_sees_an_import_of_the_orm_hidden_in_a_function(tmp_path):
    hidden = tmp_path / "hidden.py"
    hidden.write_text("def f():\n    from resolutions.models import Draft\n    return Draft\n")
    assert any(touches_the_database(name) for name in imported_names(hidden))


@pytest.mark.slow  # starts a process of its own
def test_importing_every_parser_loads_no_models_module():
    """What they import in turn stays clear of the models too (checked in a fresh process)."""
    code = (
        "import importlib, sys\n"
        f"for name in {PARSERS!r}:\n"
        "    importlib.import_module('resolutions.sources.' + name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[-1] == 'models'"
        " and m.split('.')[0] in ('resolutions', 'votes')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[]"
