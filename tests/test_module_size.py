"""No module of the project grows past ~500 lines: one that does is doing two jobs.

Counted: every ``.py`` file of the apps, ``config`` and ``benchmarks``. Not counted:
migrations (generated), the test suite, and the few modules that are data tables
(listed below; each holds only literal data, which this test checks too).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["core", "regions", "catalogue", "visits", "showroom", "home", "config", "benchmarks"]
MAX_LINES = 520
# Literal data only: records that a command loads, read top to bottom like a spreadsheet.
DATA_TABLES = {
    "home/demo_data.py",  # the founding story's producers, products and visits
}


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield path.relative_to(ROOT).as_posix(), path


def _line_count(path):
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_module_is_over_520_lines():
    too_long = {
        name: _line_count(path)
        for name, path in _modules()
        if name not in DATA_TABLES and _line_count(path) > MAX_LINES
    }
    assert too_long == {}


def test_data_tables_hold_data_only():
    """Imports, docstring and assignments of literals: no functions, classes or loops."""
    for name in DATA_TABLES:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in tree.body:
            assert isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.Expr)), (
                f"{name}:{node.lineno} is {type(node).__name__}, not data"
            )
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.Lambda, ast.comprehension, ast.FunctionDef)), (
                f"{name}:{node.lineno} holds logic"
            )


def test_the_walk_sees_the_project():
    names = {name for name, _path in _modules()}
    assert "catalogue/models/products.py" in names
    assert "home/synthetic/generator.py" in names
    assert not any("/migrations/" in name for name in names)
