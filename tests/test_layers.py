"""Imports only go downward: every app imports only apps on lower floors.

Each module of each app is parsed (not imported) and every ``import x`` and
``from x import y`` in it is checked, at module level and inside functions alike.
Migrations are included: they reach models through ``apps.get_model``, not imports.
``config`` sits above every app (it wires them together); no app imports it.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS = {
    "core": 0,
    "regions": 1,
    "catalogue": 2,
    "visits": 3,
    "showroom": 3,
    "home": 4,
    "config": 5,
}
APPS = [app for app in FLOORS if app != "config"]


def _imported_modules(tree, package):
    """``(line, dotted name)`` for every import in ``tree``; relative ones resolved in
    ``package``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:  # "from x import y" may name a module y of x
                yield node.lineno, f"{module}.{alias.name}"


def forbidden_imports(source, app, package, filename="<source>"):
    """``"file:line imports app"`` for each import of ``app``'s module that goes up or
    sideways (another app on the same floor)."""
    problems = []
    for line, module in _imported_modules(ast.parse(source, filename), package):
        target = module.split(".")[0]
        if target == app or target not in FLOORS:
            continue
        if FLOORS[target] >= FLOORS[app]:
            problems.append(
                f"{filename}:{line} imports {target} (floor {FLOORS[target]}) "
                f"from {app} (floor {FLOORS[app]})"
            )
    return problems


def _modules():
    for app in APPS:
        folder = ROOT / app
        if folder.is_dir():
            for path in sorted(folder.rglob("*.py")):
                yield app, path


def _package_of(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts if relative.name == "__init__" else relative.parts[:-1]
    return ".".join(p for p in parts if p != "__init__")


def test_every_app_imports_only_apps_on_lower_floors():
    problems = []
    checked = 0
    for app, path in _modules():
        checked += 1
        problems += forbidden_imports(
            path.read_text(encoding="utf-8"),
            app,
            _package_of(path),
            str(path.relative_to(ROOT)),
        )
    assert checked > 100  # the walk found the apps
    assert problems == []


def test_migrations_are_walked_too():
    walked = {path.relative_to(ROOT).as_posix() for _app, path in _modules()}
    assert "catalogue/migrations/0001_initial.py" in walked
    assert "visits/migrations/0001_initial.py" in walked


@pytest.mark.parametrize(
    ("source", "app", "expected"),
    [
        ("from catalogue.models import Product\n", "core", "imports catalogue (floor 2)"),
        ("import visits.access\n", "catalogue", "imports visits (floor 3)"),
        ("def f():\n    from home import views\n", "visits", "<source>:2 imports home"),
        ("from showroom.models import Collection\n", "visits", "imports showroom (floor 3)"),
        (
            "from . import views\nfrom catalogue import views\n",
            "core",
            "<source>:2 imports catalogue",
        ),
        ("from visits import access\n", "showroom", "imports visits (floor 3)"),
        ("from config import settings\n", "home", "imports config (floor 5)"),
        ("if True:\n    import regions\n", "core", "<source>:2 imports regions"),
    ],
)
def test_an_upward_or_sideways_import_is_named_with_file_line_and_app(source, app, expected):
    problems = forbidden_imports(source, app, app)
    assert len(problems) == 1
    assert expected in problems[0]


def test_relative_imports_are_resolved_before_checking():
    assert forbidden_imports("from . import models\n", "core", "core") == []
    assert forbidden_imports("from .models import Product\n", "catalogue", "catalogue") == []
    assert forbidden_imports("from ..apps import X\n", "core", "core.management") == []


@pytest.mark.parametrize(
    ("source", "app"),
    [
        ("from core.models import TrackedModel\nimport django\n", "regions"),
        ("from regions.models import Regency\nfrom core import roles\n", "catalogue"),
        ("from catalogue.models import Product\n", "visits"),
        ("from visits.models import VisitNote\nfrom catalogue import models\n", "home"),
        ("from home import views\n", "config"),
        ("import os\nfrom django.db import models\n", "core"),
    ],
)
def test_downward_imports_pass(source, app):
    assert forbidden_imports(source, app, app) == []


def _is_view_module(module):
    return module.split(".")[-1].endswith("views")


def test_view_modules_do_not_import_each_other():
    """What two pages share (a queryset, a redirect check) lives in a module of its own."""
    problems = []
    for _app, path in _modules():
        if not _is_view_module(path.stem):
            continue
        package = _package_of(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, module in _imported_modules(tree, package):
            if module.split(".")[0] in FLOORS and _is_view_module(module):
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert problems == []
