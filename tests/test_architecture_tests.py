"""Test modules share code through conftest.py and the helper modules (tests/helpers.py…), never by importing one
another: importing a test module runs its tests' module code twice and binds one file's tests to another's."""
import ast
import re
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
# An import statement inside a string: the scripts some tests hand to a subprocess.
SCRIPT_IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.M)


def imports_of(source):
    """Names of the modules `source` imports, in its code and in the scripts its strings hold
    (`from tests import test_x` names tests.test_x)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names if alias.name.startswith("test_"))
        elif isinstance(node, ast.ImportFrom):  # `from . import test_x`
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield from (match.group(1) or match.group(2) for match in SCRIPT_IMPORT.finditer(node.value))


def imported_test_modules(source):
    return sorted({name for name in imports_of(source) if name.rsplit(".", 1)[-1].startswith("test_")})


def test_every_way_of_importing_a_test_module_is_caught():
    # Written with T_ for test_, so that this file does not hold the imports it checks for.
    source = ('from tests.T_training_portal import enter\nimport T_stats\nfrom tests import T_charts\n'
              'from .T_impact import x\nfrom tests.helpers import link_for\nimport pytest\n'
              'def f():\n    from tests.T_privacy import as_admin\n'
              'SCRIPT = """\nimport sys\nfrom tests.T_security_headers import app_with\n"""\n').replace("T_", "test_")
    assert imported_test_modules(source) == ["test_impact", "test_stats", "tests.test_charts", "tests.test_privacy",
                                             "tests.test_security_headers", "tests.test_training_portal"]


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda path: path.name)
def test_no_module_in_tests_imports_a_test_module(path):
    found = imported_test_modules(path.read_text(encoding="utf-8"))
    assert found == [], f"{path.name} imports {found}: move what it needs into tests/helpers.py or conftest.py"
