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

import grimp
from radon.complexity import cc_visit

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


# --- No import hidden in a function, no cycle between modules -----------------------
#
# An import inside a function hides a cycle from the reader (and from a module-level
# review of the graph), so each one must say why it is there: the cycle it breaks, or
# Django's app registry (an AppConfig.ready() importing modules that import models).
# The comment goes on the line itself or on the comment lines just above it.
PROJECT_PACKAGES = ("resolutions", "votes", "config")
REASONS = ("cycle", "app registry")


def _project_modules() -> list[Path]:
    return sorted(
        path
        for package in PROJECT_PACKAGES
        for path in (REPO / package).rglob("*.py")
        if "migrations" not in path.parts
    )


def _comment_near(lines: list[str], lineno: int) -> str:
    """The comment on line ``lineno`` (1-based) and the comment lines just above it."""
    line = lines[lineno - 1]
    found = [line.split("#", 1)[1]] if "#" in line else []
    above = lineno - 2
    while above >= 0 and lines[above].strip().startswith("#"):
        found.append(lines[above].strip().lstrip("#"))
        above -= 1
    return " ".join(found).lower()


def unexplained_function_imports(path: Path) -> list[str]:
    """Each import inside a function or method without a comment saying why."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = set()
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            comment = _comment_near(lines, node.lineno)
            if not any(reason in comment for reason in REASONS):
                found.add(
                    (node.lineno, f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node)}")
                )
    return [text for _, text in sorted(found)]


def test_no_unexplained_import_inside_a_function():
    modules = _project_modules()
    assert len(modules) > 100  # the walk found the project
    problems = [problem for path in modules for problem in unexplained_function_imports(path)]
    assert problems == []


def test_the_check_finds_an_uncommented_function_level_import(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_architecture.REPO", tmp_path)
    module = tmp_path / "module.py"
    module.write_text(
        "import os\n"
        "def bare():\n"
        "    from votes import models\n"
        "def unrelated_comment():\n"
        "    # the models\n"
        "    import json\n"
        "class Config:\n"
        "    def ready(self):\n"
        "        # Once the app registry is ready: signals imports the models.\n"
        "        from resolutions import signals\n"
        "    def later(self):\n"
        "        import csv  # breaks the cycle resolutions.forms <-> resolutions.admin\n"
        "    async def nested(self):\n"
        "        def inner():\n"
        "            import io\n"
    )
    assert [line.split(":")[1] for line in unexplained_function_imports(module)] == [
        "3",
        "6",
        "15",
    ]


def import_cycles(graph) -> list[list[str]]:
    """Every direct import a -> b for which b also leads back to a, as the whole loop.

    The graph is grimp's (the library import-linter builds its contracts on); it
    holds every import, those inside functions included.
    """
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.append([importer, *back])
    return cycles


def test_no_import_cycle_between_project_modules():
    graph = grimp.build_graph(*PROJECT_PACKAGES, cache_dir=None)
    assert len(graph.modules) > 100
    assert import_cycles(graph) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path, monkeypatch):
    package = tmp_path / "loopy"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from loopy import b\n")
    (package / "b.py").write_text("def later():\n    from loopy import c\n")
    (package / "c.py").write_text("import loopy.a\n")
    (package / "d.py").write_text("from loopy import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("loopy", cache_dir=None)
    cycles = import_cycles(graph)
    assert ["loopy.a", "loopy.b", "loopy.c", "loopy.a"] in cycles
    assert not any("loopy.d" in cycle for cycle in cycles)


# --- Complexity: radon's grades, as `make complexity` (xenon) checks the worst block --
#
# No block (function, method, class) over grade C, and an average that may only go
# down: lower CEILING when a refactor lowers the average, never raise it. Counted as
# `radon cc -a resolutions votes config -e "*/migrations/*"` counts (3.81 before the
# split into named steps; 3.499 after it, with main's sharing work merged).
WORST = 20  # grade C
CEILING = 3.50  # the target, reached: 3.499


def complexity_blocks() -> list:
    return [block for path in _project_modules() for block in cc_visit(path.read_text())]


def average_complexity(blocks) -> float:
    return sum(block.complexity for block in blocks) / len(blocks)


def test_no_block_is_worse_than_grade_c():
    blocks = complexity_blocks()
    assert len(blocks) > 1000
    worse = [f"{b.fullname} ({b.complexity})" for b in blocks if b.complexity > WORST]
    assert worse == []


def test_average_complexity_stays_under_its_ceiling():
    assert average_complexity(complexity_blocks()) <= CEILING


def test_the_complexity_checks_can_fail():
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(WORST))
    (block,) = cc_visit(f"def tangled(x):\n{branches}    return -1\n")
    assert block.complexity == WORST + 1
    assert average_complexity([block]) > CEILING
