"""The layout rules DESIGN.md sets: pure modules import neither Flask nor SQLAlchemy; nothing imports upward; no
module imports itself back through others; views modules are imported only by their blueprint's __init__."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("training", "assessments", "certificates")
# Modules that take and return plain values: unit-tested without an app, reused by the CLI, the views and the
# benchmarks. A new blueprint module is placed here or among the Flask-facing ones deliberately
# (test_every_blueprint_module_is_placed).
PURE_MODULES = {
    "settings", "config_checks", "private_files",
    "training.agenda_pdf", "training.calendar_files", "training.countries", "training.demo_data", "training.devices",
    "training.exporting", "training.grouping", "training.hooks", "training.importing", "training.links",
    "training.localized", "training.mentions", "training.messages", "training.permissions", "training.schedule",
    "training.tabular", "training.tabular_base", "training.textkeys", "training.timezones", "training.unicode_text",
    "training.xlsx_stream", "training.attendance.matching", "training.attendance.meeting_fit",
    "training.attendance.reports", "training.attendance.rules", "training.attendance.suggestions",
    "training.lifecycle", "training.lifecycle_facts", "training.list_template",
    "assessments.demo_follow_up", "assessments.demo_lessons", "assessments.demo_tests",
    "assessments.option_lines", "assessments.question_types",
    "assessments.questionnaire_files", "assessments.responses_import", "assessments.stats", "assessments.stats_base",
    "assessments.stats_conventions",
    "assessments.stats_items", "assessments.stats_noncentral", "assessments.stats_scales", "assessments.windows",
    "assessments.impact.chart_data", "assessments.impact.chart_images", "assessments.impact.charts",
    "assessments.impact.pdf",
    "assessments.impact.provenance", "assessments.impact.report", "assessments.impact.verdicts",
    "assessments.impact.workbook", "assessments.impact.findings", "assessments.impact.summary_layout",
    "assessments.impact.use_at_work", "assessments.impact.pdf_use",
    "assessments.portfolio.indicators", "assessments.lessons.layout", "assessments.lessons.pdf",
    "assessments.lessons.library",
    "certificates.bundle", "certificates.demo_art", "certificates.eligibility", "certificates.images",
    "certificates.pdf",
    "training.mail_rules", "training.shifting",
}
# Modules allowed to talk to Flask or the database: those whose names say so (DESIGN.md's usual files) and these.
FLASK_FACING_PREFIXES = ("__init__", "views", "services", "cli", "models", "forms", "tasks")
FLASK_FACING = {"training.access", "training.labels", "training.web", "training.web_login", "assessments.access",
                "assessments.demo", "assessments.demo_closing",
                "assessments.texts", "assessments.template_helpers", "assessments.impact.texts",
                "assessments.impact.summary_texts", "assessments.impact.texts_annex", "assessments.impact.texts_use",
                "assessments.impact.texts_base",
                "assessments.impact.exports", "assessments.portfolio.texts", "assessments.lessons.frameworks",
                "assessments.lessons.documents",
                "certificates.demo", "certificates.texts", "training.lifecycle_display",
                "training.mailer"}
FRAMEWORKS = ("flask", "flask_babel", "flask_login", "flask_wtf", "flask_sqlalchemy", "flask_migrate", "sqlalchemy",
              "werkzeug", "wtforms", "extensions")


def module_name(path):
    """training/attendance/views.py → training.attendance.views; a package's __init__ keeps its own name; a module
    outside the blueprints (app.py) is its file's name."""
    parts = path.with_suffix("").parts
    starts = [index for index, part in enumerate(parts) if part in BLUEPRINTS]
    return ".".join(parts[max(starts):]) if starts else path.stem


def _module_file(root, dotted):
    """The project's module a dotted name is (a package is its __init__), or None for anything else."""
    path = root.joinpath(*dotted.split("."))
    if path.with_suffix(".py").is_file():
        return dotted
    if (path / "__init__.py").is_file():
        return f"{dotted}.__init__"
    return None


def import_statements(path):
    """(module, names imported from it) for every import in `path`, at module level or inside a function: an import
    moved into a function to dodge a cycle still closes it. Relative imports are resolved inside its package
    (`from .services import x` in training/ → training.services; `from . import bp` → training.__init__;
    `from ..access import y` in training/attendance/ → training.access); `from package import module` names the
    module; names outside the project (flask.cli) stay as written."""
    own = module_name(path).split(".")
    root = path.parents[len(own) - 1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield _module_file(root, alias.name) or alias.name, set()
        elif isinstance(node, ast.ImportFrom):
            package = own[:-1][:len(own) - node.level] if node.level else []
            base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = _module_file(root, f"{base}.{alias.name}")
                yield (submodule, set()) if submodule else (_module_file(root, base) or base, {alias.name})


def imported_modules(path):
    return [module for module, _names in import_statements(path)]


def blueprint_modules():
    for blueprint in BLUEPRINTS:
        folder = ROOT / blueprint
        if folder.is_dir():
            yield from sorted(folder.rglob("*.py"))


def project_modules():
    """The app's modules: app.py and the other top-level ones, and the blueprints' (not tests, benchmarks or
    migrations, which the app never imports)."""
    return [*sorted(ROOT.glob("*.py")), *blueprint_modules()]


def is_flask_facing(name):
    return name in FLASK_FACING or name.rpartition(".")[2].startswith(FLASK_FACING_PREFIXES)


def pure_modules():
    return [p for p in project_modules() if module_name(p) in PURE_MODULES]


def import_graph(paths):
    """module → the project's modules it imports.

    A view's `from . import bp` is left out: the blueprint's __init__ defines `bp` first and then imports its views,
    whose routes register on it (Flask's own pattern; test_a_blueprint_defines_bp_before_importing_its_views keeps it
    safe), so the view asks for an object that already exists, not for a module still loading. Any other import of
    a package's __init__ counts, as does every import from outside the package."""
    names = {module_name(path): path for path in paths}
    graph = {}
    for name, path in names.items():
        graph[name] = set()
        for module, imported in import_statements(path):
            package = module.removesuffix(".__init__")
            blueprint_handle = module.endswith(".__init__") and imported == {"bp"} and name.startswith(package + ".")
            if module in names and module != name and not blueprint_handle:
                graph[name].add(module)
    return graph


def import_cycles(graph):
    """One cycle (a → b → … → a) through each group of modules that import one another, in a stable order."""
    cycles, done = [], set()
    for start in sorted(graph):
        if start in done:
            continue
        path = _path_back(graph, start)
        if path:
            cycles.append(" → ".join([*path, start]))
            done.update(path)
    return cycles


def _path_back(graph, start):
    """The shortest import path from `start` back to itself (breadth first), or None."""
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop(0)
        for module in sorted(graph[path[-1]]):
            if module == start:
                return path
            if module not in seen:
                seen.add(module)
                paths.append([*path, module])
    return None


def views_importers(paths):
    """(importer, views module) for each import of a blueprint's views module (views.py, views_*.py) by any module but
    that blueprint's __init__, which imports its views so that their routes register. What views share lives in
    modules made for it (training/web.py, training/access.py), so no view reaches into another for a helper."""
    for path in paths:
        name = module_name(path)
        for module, _names in import_statements(path):
            blueprint = module.split(".")[0]
            is_views = blueprint in BLUEPRINTS and module.rpartition(".")[2].startswith("views")
            if is_views and name != f"{blueprint}.__init__":
                yield name, module


def test_a_relative_import_of_a_flask_facing_module_is_caught(tmp_path):
    package = tmp_path / "training"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text("")
    (package / "attendance").mkdir()
    (package / "attendance" / "__init__.py").write_text("")
    (package / "attendance" / "rules.py").write_text("")
    module = package / "grouping.py"
    module.write_text("from .services import record\nfrom . import bp\nfrom .attendance import rules\n"
                      "from training.attendance.rules import share\n")
    assert imported_modules(module) == ["training.services", "training.__init__", "training.attendance.rules",
                                        "training.attendance.rules"]


def test_a_cycle_through_an_import_inside_a_function_is_caught(tmp_path):
    (tmp_path / "app.py").write_text("def create():\n    import operations\n")
    (tmp_path / "operations.py").write_text("from app import SECRET\n")
    (tmp_path / "logs.py").write_text("import app\n")
    graph = import_graph([tmp_path / "app.py", tmp_path / "operations.py", tmp_path / "logs.py"])
    assert import_cycles(graph) == ["app → operations → app"]


def test_a_views_bp_is_not_a_cycle_but_another_import_of_its_package_is(tmp_path):
    package = tmp_path / "training"
    package.mkdir()
    (package / "__init__.py").write_text("bp = object()\nfrom . import views\n")
    (package / "views.py").write_text("from . import bp\n")
    (package / "cli.py").write_text("from . import bp, views\n")
    assert import_cycles(import_graph(sorted(package.glob("*.py")))) == []
    (package / "views.py").write_text("from . import bp, LABELS\n")
    assert import_cycles(import_graph(sorted(package.glob("*.py")))) == [
        "training.__init__ → training.views → training.__init__"]


def test_an_import_of_a_views_module_is_caught(tmp_path):
    package = tmp_path / "training"
    (package / "attendance").mkdir(parents=True)
    (package / "__init__.py").write_text("bp = object()\nfrom . import views_a\nfrom .attendance import views\n")
    (package / "views_a.py").write_text("from . import bp\nfrom flask.views import View\n")
    (package / "attendance" / "__init__.py").write_text("")
    (package / "attendance" / "views.py").write_text("from .. import bp\nfrom ..views_a import helper\n")
    (package / "cli.py").write_text("from training import views_a\n")
    (tmp_path / "assessments").mkdir()
    (tmp_path / "assessments" / "__init__.py").write_text("from training.attendance import views\n")
    paths = sorted(tmp_path.rglob("*.py"))
    assert sorted(views_importers(paths)) == [("assessments.__init__", "training.attendance.views"),
                                              ("training.attendance.views", "training.views_a"),
                                              ("training.cli", "training.views_a")]


def test_only_a_blueprint_s_init_imports_its_views():
    found = sorted({f"{importer} imports {module}" for importer, module in views_importers(project_modules())})
    assert found == [], "move what they share to training/web.py or training/access.py: " + "; ".join(found)


def test_no_import_cycles():
    cycles = import_cycles(import_graph(project_modules()))
    assert cycles == [], "modules that import one another: " + "; ".join(cycles)


@pytest.mark.parametrize("blueprint", BLUEPRINTS)
def test_a_blueprint_defines_bp_before_importing_its_views(blueprint):
    tree = ast.parse((ROOT / blueprint / "__init__.py").read_text(encoding="utf-8"))
    defines_bp = [index for index, node in enumerate(tree.body)
                  if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "bp" for t in node.targets)]
    own_imports = [index for index, node in enumerate(tree.body)
                   if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(blueprint))]
    assert defines_bp and own_imports and defines_bp[0] < min(own_imports)


def test_every_blueprint_module_is_placed():
    names = {module_name(path) for path in blueprint_modules()}
    unplaced = sorted(name for name in names if name not in PURE_MODULES and not is_flask_facing(name))
    assert unplaced == [], f"add {unplaced} to PURE_MODULES or FLASK_FACING in {Path(__file__).name}"
    assert sorted(PURE_MODULES - {module_name(path) for path in project_modules()}) == [], \
        "PURE_MODULES names modules that do not exist"
    assert sorted(FLASK_FACING - names) == [], "FLASK_FACING names modules that do not exist"
    assert sorted(name for name in PURE_MODULES if is_flask_facing(name)) == [], "pure, yet named as Flask-facing"


def test_there_are_pure_modules_to_check():
    names = {module_name(p) for p in pure_modules()}
    assert {"training.countries", "training.localized", "training.timezones", "training.demo_data"} <= names


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_framework(path):
    siblings = {module_name(p) for p in project_modules()}
    offending = [m for m in imported_modules(path)
                 if m.split(".")[0] in FRAMEWORKS or (m in siblings and m not in PURE_MODULES)]
    assert offending == [], f"{path.name} is a pure module but imports {offending}"


@pytest.mark.parametrize("path", list(blueprint_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_upward_imports(path):
    rank = BLUEPRINTS.index(path.relative_to(ROOT).parts[0])
    upward = {b for b in BLUEPRINTS[rank + 1:]}
    offending = [m for m in imported_modules(path) if m.split(".")[0] in upward]
    assert offending == [], f"{path} imports from a later blueprint: {offending}"


@pytest.mark.parametrize("path", project_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_starts_with_a_docstring(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} has no module docstring"


def test_app_has_no_main_block():
    assert "__main__" not in (ROOT / "app.py").read_text(encoding="utf-8")
