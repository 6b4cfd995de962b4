"""Imports run one way: ``resolutions`` may import ``votes``, never the reverse.

Read from the source of every module under ``votes/``, imports inside
functions included (those hide cycles), so that the rule holds as a test and
not as a habit. ``lint-imports`` (pyproject.toml) checks the same contract
over the import graph. Models of ``resolutions`` are named by string
(``"resolutions.Draft"``, ``apps.get_model("resolutions", "Draft")``), which
is no import and is allowed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

FORBIDDEN = "resolutions"


def _is_forbidden(name: str | None) -> bool:
    return name is not None and (name == FORBIDDEN or name.startswith(FORBIDDEN + "."))


def forbidden_imports(path: Path) -> list[str]:
    """Each import of ``resolutions`` in one file, as ``file:line: statement``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str | None] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args:
            # importlib.import_module("resolutions.x") and __import__("resolutions")
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in ("import_module", "__import__") and isinstance(first, ast.Constant):
                names = [first.value if isinstance(first.value, str) else None]
        if any(_is_forbidden(name) for name in names):
            found.append(
                (node.lineno, f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
            )
    return [text for _, text in sorted(found)]


def votes_modules() -> list[Path]:
    # Migrations included: they name resolutions' models by string only.
    return sorted((REPO / "votes").rglob("*.py"))


def test_no_module_under_votes_imports_resolutions():
    modules = votes_modules()
    assert len(modules) > 20  # the walk found the app, not an empty folder
    problems = [problem for path in modules for problem in forbidden_imports(path)]
    assert problems == []


def test_the_check_finds_every_way_of_importing_resolutions(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_architecture.REPO", tmp_path)
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import resolutions\n"
        "from resolutions.filters import DraftFilter\n"
        "def later():\n"
        "    from resolutions import models\n"
        "    import resolutions.outcomes as outcomes\n"
        "    importlib.import_module('resolutions.views')\n"
        "    __import__('resolutions')\n"
    )
    assert [line.split(":")[1] for line in forbidden_imports(bad)] == [
        "1",
        "2",
        "4",
        "5",
        "6",
        "7",
    ]


def test_names_by_string_and_look_alike_packages_are_allowed(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_architecture.REPO", tmp_path)
    fine = tmp_path / "fine.py"
    fine.write_text(
        "from django.apps import apps\n"
        "import resolutions_extra\n"
        "from . import resolutions\n"
        "draft = models.ForeignKey('resolutions.Draft', on_delete=models.CASCADE)\n"
        "Draft = apps.get_model('resolutions', 'Draft')\n"
    )
    assert forbidden_imports(fine) == []
