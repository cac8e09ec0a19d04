"""Time and memory of one `flask --app app --help` (it builds the app to list its commands), next to a baseline.

Run: .venv/bin/python benchmarks/startup.py [--runs 5]
Each run is a fresh process; its wall time, CPU time (user + system: steadier than wall time on a machine other
work shares) and peak resident memory (the process's own, from wait4) are taken, and the medians of --runs printed.
The baseline is the same call in a process that first imports the libraries the app imported at start-up before
issue 23 (scipy, plotly, reportlab, openpyxl…), reproducing the old cost in the same run; the two alternate, so both
meet the same load on the machine. Targets (issue 23): the call loads none of those libraries, and costs less CPU
time and memory than the baseline.
"""
import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from targets import verdicts

ROOT = Path(__file__).resolve().parent.parent
# What `create_app` imported before issue 23, and what a command that draws nothing has no use for.
OLD_START_UP = ("scipy.stats", "numpy", "plotly.graph_objects", "plotly.io", "reportlab.platypus",
                "reportlab.pdfgen.canvas", "openpyxl", "icalendar", "PIL.Image", "zxingcpp")
HEAVY = ("scipy", "numpy", "plotly", "kaleido", "reportlab", "openpyxl", "icalendar", "PIL", "zxingcpp")
FLASK_HELP = "from flask.cli import main; main()"  # what the `flask` script runs
SECRET = secrets.token_urlsafe(48)
PYCACHE = tempfile.TemporaryDirectory(prefix="capacita-startup-")
LOADED = ("import atexit, sys; atexit.register(lambda: print('LOADED', *sorted(m for m in {heavy!r} "
          "if m in sys.modules), file=sys.stderr)); ")


def environment():
    """The checkout's development settings (the `flask` command reads them from .flaskenv, except with --help),
    with a secret given so that no instance file is written, and compiled modules kept between runs (as on a
    server, whatever PYTHONDONTWRITEBYTECODE says here) in a folder of this run's own."""
    environ = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**environ, "CAPACITA_ENV": "development", "SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT),
            "PYTHONPYCACHEPREFIX": PYCACHE.name}


def measure(code):
    """(wall seconds, CPU seconds, peak MB) of one `python -c code --app app --help` run in the checkout."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", code, "--app", "app", "--help"], cwd=ROOT,
                                   env=environment(), stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)  # this child's own peak, not the largest of all children's
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            sys.exit(f"`flask --app app --help` failed:\n{errors.read().decode(errors='replace')}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kB on Linux


def loaded_libraries(code):
    """The heavy libraries a run of `code` had imported when it exited."""
    result = subprocess.run([sys.executable, "-c", LOADED.format(heavy=HEAVY) + code, "--app", "app", "--help"],
                            cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, check=True)
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    return line.split()[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    baseline_code = f"import {', '.join(OLD_START_UP)}; {FLASK_HELP}"
    samples = {"baseline": [], "now": []}
    measure(baseline_code)  # warm-up: the first run compiles every module and reads every file from disk
    for _ in range(runs):
        samples["baseline"].append(measure(baseline_code))
        samples["now"].append(measure(FLASK_HELP))
    medians = {name: [statistics.median(column) for column in zip(*pairs, strict=True)]
               for name, pairs in samples.items()}
    saved = [before - now for before, now in zip(medians["baseline"], medians["now"], strict=True)]
    loaded = loaded_libraries(FLASK_HELP)

    print(f"`flask --app app --help`, median of {runs} runs each: wall time, CPU time, peak resident memory")
    for label, (wall, cpu, megabytes) in (("baseline (those libraries imported first)", medians["baseline"]),
                                          ("now", medians["now"]), ("saved per call", saved)):
        print(f"  {label:<42} {wall:5.2f} s  {cpu:5.2f} s CPU  {megabytes:5.0f} MB")
    print(f"  heavy libraries loaded now: {', '.join(loaded) or 'none'}")
    checks = [("none of " + ", ".join(HEAVY) + " loaded", not loaded),
              ("less CPU time than the baseline", saved[1] > 0), ("less memory than the baseline", saved[2] > 0)]
    sys.exit(0 if verdicts(checks) else 1)


if __name__ == "__main__":
    main()
