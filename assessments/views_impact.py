"""The impact report page: participation, knowledge, items, subgroups, Likert answers, with charts and filters."""
import platform
from functools import cache
from importlib.metadata import version
from pathlib import Path

import plotly
from flask import render_template, request, send_from_directory

from training.access import country_scope, program_or_404, roles_required
from training.countries import country_name
from training.labels import current_language

from . import bp
from .access import FOLLOWERS
from .charts import PLOT_CONFIG
from .forms import ImpactFilterForm
from .services_impact import impact_report
from .texts_impact import TEMPLATE_HELPERS, figures_for, knowledge_sentence

PLOTLY_FOLDER = Path(plotly.__file__).parent / "package_data"


@bp.route("/programs/<int:program_id>/impact")
@roles_required(*FOLLOWERS)
def impact(program_id):
    program = program_or_404(program_id)
    language = current_language()
    form = ImpactFilterForm(request.args, countries=_country_choices(program, language))
    report = impact_report(program, form.filters())
    fallback = program.languages[0] if program.languages else "es"
    return render_template("assessments/impact.html", program=program, form=form, report=report,
                           summary=knowledge_sentence(report["knowledge"], report["max_score"]),
                           figures=figures_for(report, language, fallback), fallback=fallback,
                           provenance=provenance(), plot_config=PLOT_CONFIG, **TEMPLATE_HELPERS)


def _country_choices(program, language):
    scope = country_scope()
    codes = sorted({d.country_code for d in program.delegations if d.country_code and scope in (None, d.country_code)})
    return sorted(((code, country_name(code, language)) for code in codes), key=lambda choice: choice[1])


@bp.route("/assets/plotly-<plotly_version>.min.js")
def plotly_js(plotly_version):
    """plotly.js from the installed package (never a CDN), cached for a year: its address carries the version."""
    return send_from_directory(PLOTLY_FOLDER, "plotly.min.js", max_age=365 * 24 * 3600, mimetype="text/javascript")


@cache
def provenance():
    """Versions of what computed the figures, for the report's methods section."""
    return {"python": platform.python_version(),
            **{name: version(name) for name in ("scipy", "numpy", "plotly", "Flask", "SQLAlchemy")}}
