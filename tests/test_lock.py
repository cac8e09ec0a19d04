"""The locks in requirements/ pin what pyproject.toml asks for: editing one without `make lock` fails here."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")


def pins(lock):
    """{name: [(version, marker)]} from a lock; a name pinned twice differs by Python version (markers)."""
    found = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            found.setdefault(canonicalize_name(match[1]), []).append((match[2], match[3]))
    return found


def declared(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in texts]


def unmet(requirements, locked):
    """The requirements a lock leaves out or pins outside their range, with what it pins."""
    missing = []
    for req in requirements:
        versions = [version for version, _ in locked.get(canonicalize_name(req.name), [])]
        if not versions or not all(req.specifier.contains(version, prereleases=True) for version in versions):
            missing.append(f"{req} (locked: {versions})")
    return missing


def test_runtime_lock_pins_every_dependency_within_its_range():
    assert unmet(declared(), pins("runtime.txt")) == []


def test_test_lock_pins_the_dependencies_and_the_test_tools():
    assert unmet(declared() + declared("test"), pins("test.txt")) == []


def test_runtime_lock_leaves_out_the_test_tools_and_agrees_with_the_test_lock():
    runtime, test = pins("runtime.txt"), pins("test.txt")
    assert {"playwright", "pytest", "ruff"} & runtime.keys() == set()
    assert {name: versions for name, versions in runtime.items() if test.get(name) != versions} == {}


def test_bench_lock_pins_the_load_generators_at_the_test_locks_versions():
    bench, test = pins("bench.txt"), pins("test.txt")
    assert unmet(declared() + declared("test") + declared("bench"), bench) == []
    # The same versions; the markers may differ (weasyprint needs cffi on every Python, the test tools only on some).
    versions = {name: sorted(version for version, _marker in pinned) for name, pinned in bench.items()}
    assert {name: pinned for name, pinned in test.items()
            if versions.get(name) != sorted(version for version, _marker in pinned)} == {}


def test_every_pin_carries_its_hashes():
    for lock in ("runtime.txt", "test.txt", "bench.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        assert text.count("==") <= text.count("--hash=sha256:"), lock
