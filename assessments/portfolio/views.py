"""The portfolio page, its workbook, the feed's tokens and the feed a BI tool reads with one."""
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from extensions import configured_limit, db, limiter
from training.access import actor_id, no_store, permission_required
from training.exporting import SEPARATORS as SEPARATORS_BY_NAME
from training.exporting import table_bytes
from training.labels import current_language
from training.web import send_table
from transactions import begin_writes, catches_up, reads_then_writes, writes

from .. import bp
from ..impact.provenance import provenance
from ..impact.texts import chart_separators, number, percent
from ..models_feed import FeedToken
from .forms import FeedTokenForm, PortfolioFilterForm
from .indicators import COUNTS, DIMENSIONS, breakdown, distinct_people, tally
from .services import (
    feed_tokens,
    make_token,
    mark_used,
    read,
    revoke_token,
    scopes,
    token_reader,
    token_scopes,
)
from .texts import (
    DIMENSION_LABELS,
    FEED_KINDS,
    FIGURE_LABELS,
    count_labels,
    feed_table,
    forest_figure,
    value_label,
    workbook,
)


@bp.route("/portfolio")
@permission_required("portfolio.view")
def portfolio():
    language = current_language()
    reading = read(scopes(current_user), request.args)
    form = _filter_form(reading, language, request.args)
    for name in reading.refused:
        form[name].errors = [_("Not one of the values shown: left out.")]
    return render_template("assessments/portfolio.html", **_page(reading, language), form=form,
                           token_form=_token_form(reading.scoped), tokens=feed_tokens(current_user), new_token=None)


def _page(reading, language):
    chosen, figures = reading.chosen, reading.figures
    return {"total": tally(chosen), "distinct": distinct_people(chosen),
            "tables": {name: breakdown(chosen, name) for name in DIMENSIONS},
            "figures": figures, "filters": reading.filters, "counts": COUNTS, "count_labels": count_labels(),
            "dimension_labels": DIMENSION_LABELS, "figure_labels": FIGURE_LABELS, "value_label": value_label,
            "language": language, "forest": forest_figure(figures, language, chart_separators(language)),
            "provenance": provenance(), "feed_kinds": FEED_KINDS, "number": number, "percent": percent}


def _filter_form(reading, language, arguments=None):
    form = PortfolioFilterForm(arguments)
    form.offer({name: [(value, value_label(name, value, language)) for value in values]
                for name, values in reading.available.items()})
    return form


def _token_form(scoped, formdata=None):
    form = FeedTokenForm(formdata=formdata)
    form.programs.choices = [(program.id, program.code) for program, _country in scoped]
    return form


@bp.route("/portfolio.xlsx")
@permission_required("portfolio.view")
def portfolio_workbook():
    reading = read(scopes(current_user), request.args)
    return send_table(workbook(reading.chosen, reading.figures, current_language()), "xlsx", "portfolio.xlsx")


@bp.route("/portfolio/tokens", methods=["POST"])
@permission_required("portfolio.view")
@reads_then_writes
def portfolio_token():
    """A new feed token: shown on this answer only (never kept, never in a redirect or a cookie, never cached).
    The page's figures are read before the write lock is taken."""
    scoped = scopes(current_user)
    form = _token_form(scoped, request.form)
    if not form.validate():
        flash(_("The token was not made: give it a name, and choose only programs listed."), "error")
        return redirect(url_for("assessments.portfolio"))
    language = current_language()
    reading = read(scoped, {})
    page = _page(reading, language)
    begin_writes()
    token, row = make_token(current_user, form.label.data, form.programs.data)
    return no_store(render_template("assessments/portfolio.html", **page, form=_filter_form(reading, language),
                                    token_form=_token_form(scoped), tokens=feed_tokens(current_user),
                                    new_token=(row, token)))


@bp.route("/portfolio/tokens/<int:token_id>/revoke", methods=["POST"])
@permission_required("portfolio.view")
@writes
def portfolio_token_revoke(token_id):
    row = db.session.get(FeedToken, token_id)
    if row is None or not (current_user.is_admin or row.created_by_id == current_user.id):
        abort(404)
    revoke_token(row, actor_id())
    flash(_("Token “%(label)s” revoked: it reads nothing any more.", label=row.label), "success")
    return redirect(url_for("assessments.portfolio"))


@bp.route("/feed/<any(people, programs):kind>.<any(json, csv):file_format>")
@limiter.limit(configured_limit("FEED_RATE_LIMIT"))
@catches_up
def feed(kind, file_format):
    """The indicators as rows for a BI tool: `?token=…` or `Authorization: Bearer …`; what the token's programs
    and its creator's current scope allow, with the page's filters."""
    row = token_reader(_presented_token())
    if row is None:
        return _refused()
    reading = read(token_scopes(row), request.args)
    if reading.refused:
        return jsonify(error="unknown filter value", filters=reading.refused), 400
    begin_writes()
    mark_used(row)  # when it was last read: bookkeeping of the token's own, not a decision to audit
    headers, rows = feed_table(kind, reading.chosen, reading.figures)
    if file_format == "csv":
        # A BI tool reads it, not a double click: "," unless the address asks for ";" (part of every CSV's choice).
        separator = SEPARATORS_BY_NAME.get(request.args.get("sep"), ",")
        response = current_app.response_class(table_bytes("csv", headers, rows, numbers=True, separator=separator),
                                              mimetype="text/csv; charset=utf-8")
    else:
        response = jsonify([dict(zip(headers, values, strict=True)) for values in rows])
    response.headers["Cache-Control"] = "no-store"
    return response


def _presented_token():
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.args.get("token", "").strip()


def _refused():
    response = jsonify(error="invalid or revoked token")
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="capacita-feed"'
    response.headers["Cache-Control"] = "no-store"
    return response
