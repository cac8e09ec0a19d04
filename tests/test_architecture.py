"""The layout rules DESIGN.md sets: pure modules import neither Flask nor SQLAlchemy; nothing imports upward."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("training", "assessments", "certificates")
# Modules that are allowed to talk to Flask or the database; every other module in a blueprint is pure.
FLASK_FACING = {"__init__", "models", "forms", "services", "cli", "access", "labels", "texts", "texts_impact",
                "template_helpers",
                "demo"}
FRAMEWORKS = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "sqlalchemy",
              "werkzeug", "wtforms", "extensions")


def module_name(path):
    """training/attendance/views.py → training.attendance.views; a package's __init__ keeps its own name."""
    parts = path.with_suffix("").parts
    start = max(index for index, part in enumerate(parts) if part in BLUEPRINTS)
    return ".".join(parts[start:])


def imported_modules(path):
    """Absolute names of what `path` imports; relative imports are resolved inside its package
    (`from .services import x` in training/ → training.services; `from . import bp` → training.__init__;
    `from ..access import y` in training/attendance/ → training.access)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif isinstance(node, ast.ImportFrom):
            folder = path.parent
            for _ in range(node.level - 1):
                folder = folder.parent
            package = module_name(folder / "__init__.py").removesuffix(".__init__")
            names = [node.module.split(".")[0]] if node.module else [alias.name for alias in node.names]
            for name in names:
                is_module = (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()
                yield f"{package}.{name if is_module else '__init__'}"


def blueprint_modules():
    for blueprint in BLUEPRINTS:
        folder = ROOT / blueprint
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def pure_modules():
    return [p for p in blueprint_modules()
            if p.stem not in FLASK_FACING
            and not p.stem.startswith(("views", "services", "cli", "models", "forms"))]


def test_a_relative_import_of_a_flask_facing_module_is_caught(tmp_path):
    package = tmp_path / "training"
    package.mkdir()
    (package / "services.py").write_text("")
    module = package / "grouping.py"
    module.write_text("from .services import record\nfrom . import bp\n")
    assert list(imported_modules(module)) == ["training.services", "training.__init__"]


def test_there_are_pure_modules_to_check():
    names = {p.stem for p in pure_modules()}
    assert {"countries", "localized", "timezones", "demo_data"} <= names


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_framework(path):
    pure = {module_name(p) for p in pure_modules()}
    siblings = {module_name(p) for p in blueprint_modules()}
    offending = [m for m in imported_modules(path)
                 if m.split(".")[0] in FRAMEWORKS or (m in siblings and m not in pure)]
    assert offending == [], f"{path.name} is a pure module but imports {offending}"


@pytest.mark.parametrize("path", list(blueprint_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_upward_imports(path):
    rank = BLUEPRINTS.index(path.relative_to(ROOT).parts[0])
    upward = {b for b in BLUEPRINTS[rank + 1:]}
    offending = [m for m in imported_modules(path) if m.split(".")[0] in upward]
    assert offending == [], f"{path} imports from a later blueprint: {offending}"


@pytest.mark.parametrize("path", [*blueprint_modules(), ROOT / "app.py", ROOT / "extensions.py"],
                         ids=lambda p: p.name)
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no module docstring"


def test_app_has_no_main_block():
    assert "__main__" not in (ROOT / "app.py").read_text(encoding="utf-8")
