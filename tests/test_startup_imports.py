"""Start-up cost: building the app, and serving pages that draw nothing, load none of the libraries only reports,
charts, PDFs, workbooks and calendar files use (each checked in a fresh process: this one has loaded them all)."""
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SECRET
from tests.helpers import link_for, open_pre_test, path_of

ROOT = Path(__file__).resolve().parent.parent
# Loaded by the code that needs them (a report, a chart file, a PDF, a workbook, an .ics file), never up front.
HEAVY = ("scipy", "numpy", "plotly", "kaleido", "reportlab", "openpyxl", "icalendar", "PIL", "zxingcpp")
LOADED = f"sorted(name for name in {HEAVY!r} if name in sys.modules)"

BUILD = f"""
import json, sys
from app import create_app
app = create_app(json.loads(sys.argv[1]))
print(json.dumps({LOADED}))
"""

# Opens each personal link given (the page, then its "continue" button) and keeps the participant's page it leads to.
PARTICIPANT_PAGES = f"""
import json, re, sys
from app import create_app
app = create_app(json.loads(sys.argv[1]))
pages = []
for path in sys.argv[2:]:
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)
    page = client.post(path, data={{"csrf_token": token}}, follow_redirects=True)
    pages.append([page.status_code, page.request.path, page.get_data(as_text=True)])
print(json.dumps({{"pages": pages, "loaded": {LOADED}}}))
"""


def run_fresh(script, config, *args):
    """What `script` printed (JSON), run by a new Python process in the checkout."""
    result = subprocess.run([sys.executable, "-c", script, json.dumps(config), *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_building_the_app_loads_no_report_chart_or_pdf_library(tmp_path):
    config = {"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    assert run_fresh(BUILD, config) == []


def test_a_participants_page_loads_no_report_chart_or_pdf_library(app, course):
    # Every card shows: the agenda, an open pre-test, mx1's eligibility, gt1's certificate, each one's group.
    open_pre_test(app, course["ids"]["program"])
    paths = [path_of(link_for(app, course["ids"][key])) for key in ("mx1", "gt1")]
    config = {"TESTING": True, "CAPACITA_ENV": "test", "SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": "memory://",
              "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    result = run_fresh(PARTICIPANT_PAGES, config, *paths)
    (status_mx1, where_mx1, mx1), (status_gt1, where_gt1, gt1) = result["pages"]
    assert (status_mx1, where_mx1, status_gt1, where_gt1) == (200, "/me", 200, "/me")
    assert "Hola, José Ángel." in mx1 and "Prueba previa" in mx1
    assert "Para recibir el certificado todavía le falta" in mx1
    assert "Hola, Ixchel." in gt1 and "Su certificado está listo." in gt1 and "Descargar la agenda (PDF)" in gt1
    assert result["loaded"] == []
