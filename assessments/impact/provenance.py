"""Which versions computed the impact figures, for the report's methods section (pure: standard library only)."""
import platform
from functools import cache
from importlib.metadata import version

# Figures (scipy, numpy), charts (plotly), the page (Flask, SQLAlchemy), the PDF (reportlab), the workbook (openpyxl).
LIBRARIES = ("scipy", "numpy", "plotly", "Flask", "SQLAlchemy", "reportlab", "openpyxl")
NAMES = {"python": "Python", "scipy": "SciPy", "numpy": "NumPy"}  # as the projects write themselves


@cache
def provenance():
    """Python's and the libraries' versions."""
    return {"python": platform.python_version(), **{name: version(name) for name in LIBRARIES}}


def display_name(name):
    """A library's name as its project writes it (SciPy, NumPy); any other name as given."""
    return NAMES.get(name, name)


def versions_line(versions):
    """'Python 3.12.3 · SciPy 1.14.1 · …' from name → version."""
    return " · ".join(f"{display_name(name)} {number}" for name, number in versions.items())
