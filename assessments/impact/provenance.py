"""Which versions computed the impact figures, for the report's methods section (pure: standard library only)."""
import platform
from functools import cache
from importlib.metadata import version

LIBRARIES = ("scipy", "numpy", "plotly", "Flask", "SQLAlchemy")


@cache
def provenance():
    """Python's and the libraries' versions."""
    return {"python": platform.python_version(), **{name: version(name) for name in LIBRARIES}}
