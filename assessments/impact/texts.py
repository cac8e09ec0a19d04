"""The impact report in words and charts for the reader's language: plain-language findings, chart texts."""
from datetime import date

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import format_date, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from training.countries import country_name
from training.labels import GENDER_LABELS, PROFILE_LABELS
from training.localized import pick

from ..question_types import question_type
from ..texts import DIMENSION_LABELS, KIND_LABELS
from .findings import effect_size
from .texts_annex import ANNEX_HELPERS, annex_texts, method_conventions
from .texts_base import REASONS, number, p_short, p_value, percent, reason_text  # noqa: F401  (re-exported)
from .texts_use import use_figure, use_labels, use_pdf_texts
from .verdicts import ALPHA

# charts (plotly), pdf (reportlab) and workbook (openpyxl) are imported by the functions that draw with them: the app
# imports this module at start-up, and only the report's pages and command should pay for those libraries.

# Cohen (1988): the conventional reading of a standardized mean difference.
# Cohen's reading of d_z: the thresholds are findings.EFFECT_SIZES, the words these.
EFFECT_WORDS = {"negligible": _l("negligible"), "small": _l("small"), "medium": _l("medium"), "large": _l("large")}
def chart_separators(language):
    """plotly's layout.separators for `language` (CLDR): its decimal mark, then its thousands mark (",." in Spanish
    and Portuguese, ".," in English, "," and a narrow space in French)."""
    return get_decimal_symbol(language) + get_group_symbol(language)


def effect_word(d):
    return str(EFFECT_WORDS[effect_size(d)])


def knowledge_sentence(result, max_score):
    """The paired result in plain words, the way a donor reads it first."""
    n = result["n_pairs"]
    if result["mean_diff"] is None or result["t"] is None:
        return _("Among the %(n)s participants who took both tests, the knowledge comparison cannot be made: "
                 "%(reason)s.", n=n, reason=reason_text(result["reason"]))
    verb = _("rose") if result["mean_diff"] > 0 else _("fell") if result["mean_diff"] < 0 else _("stayed")
    return _("Among the %(n)s participants who took both tests, the knowledge score %(verb)s from %(pre)s to "
             "%(post)s out of %(max)s (%(diff)s; %(level)s%% CI %(low)s to %(high)s; %(p)s; %(effect)s effect, "
             "d_z = %(d)s).", n=n, verb=verb, pre=number(result["mean_pre"], 1), post=number(result["mean_post"], 1),
             max=number(max_score, 0), diff=("+" if result["mean_diff"] > 0 else "") + number(result["mean_diff"]),
             level=number(100 * result["confidence"], 0), low=number(result["ci_low"]),
             high=number(result["ci_high"]), p=p_value(result["p_value"]), effect=effect_word(result["cohen_dz"]),
             d=number(result["cohen_dz"]))


def group_label(attribute, value, language):
    """A subgroup's name: the country, the gender or the profile in the reader's language."""
    if attribute == "country":
        return country_name(value, language) if value else _("Observer organizations")
    labels = GENDER_LABELS if attribute == "gender" else PROFILE_LABELS
    return str(labels.get(value, value))


def filters_text(filters, language):
    """Who a report covers, in words ('All participants', or 'Country: Mexico · Gender: Women')."""
    if not filters:
        return _("All participants")
    return " · ".join(f"{ATTRIBUTE_LABELS[name]}: {group_label(name, value, language)}"
                      for name, value in filters.items())


def overall_label(filters, language):
    """The whole report's row among its countries: every country, or the one it covers (a focal point's)."""
    country = filters.get("country")
    return _("%(country)s, overall", country=group_label("country", country, language)) if country \
        else _("All countries")


def item_text(row, language, fallback):
    return pick(row["text"], language, fallback) or row["item_key"]


def figures_for(report, language, fallback, titles=None):
    """chart name → plotly figure of the report (every visible text in the reader's language).

    `titles` (chart name → title) overrides a chart's default title: summary_texts.report_figures titles the
    charts the summary's findings point to with their finding ("Knowledge rose in every country").
    """
    from . import charts

    def title(name, default):
        return (titles or {}).get(name) or default

    separators = chart_separators(language)
    knowledge = report["knowledge"]
    paired = report["paired"]
    country_rows = next(block["rows"] for block in report["subgroups"] if block["attribute"] == "country")
    figures = {
        "funnel": charts.participation_funnel(_funnel_stages(report["participation"]), _texts(
            title=title("funnel", _("Participation")), empty=_("Nobody is registered yet.")), separators=separators),
        "slopes": charts.paired_slopes(
            [(_("Participant %(n)s", n=index), row["pre"], row["post"]) for index, row in enumerate(paired, 1)],
            _texts(title=title("slopes", _("Knowledge score of each participant")), pre=_("Pre-test"),
                   post=_("Post-test"), score=_("Score"), improved=_("Improved"), unchanged=_("Unchanged"),
                   declined=_("Declined"), mean=_("Mean"), empty=_("Nobody has taken both tests yet.")),
            max_score=report["max_score"] or None, separators=separators),
        "distributions": charts.score_distributions(
            [row["pre"] for row in paired], [row["post"] for row in paired],
            _texts(title=title("distributions", _("Scores before and after")), pre=_("Pre-test"),
                   post=_("Post-test"), score=_("Score"), empty=_("Nobody has taken both tests yet.")),
            max_score=report["max_score"] or None, separators=separators),
        "forest": charts.forest(
            [(group_label("country", row["value"], language), row["result"]["n_pairs"], row["result"]["mean_diff"],
              row["result"]["ci_low"], row["result"]["ci_high"]) for row in country_rows],
            (overall_label(report["filters"], language), knowledge["n_pairs"], knowledge["mean_diff"],
             knowledge["ci_low"], knowledge["ci_high"]),
            _texts(title=title("forest", _("Mean change by country, %(level)s%% CI",
                                            level=number(100 * report["confidence"], 0))),
                   x_title=_("Change in score (post − pre)"), mean_diff=_("Mean change"), ci=_("CI"),
                   too_small=_("n too small"), empty=_("Nobody has taken both tests yet.")), separators=separators),
        "items": charts.item_dumbbell(
            [(item_text(row, language, fallback), row["facility_pre"], row["facility_post"],
              row["p_holm"] is not None and row["p_holm"] < ALPHA) for row in report["items"]],
            _texts(title=title("items", _("Share of right answers per item")), x_title=_("Right answers"),
                   pre=_("Pre-test"), post=_("Post-test"), significant=_("Post-test, significant change (Holm)"),
                   empty=_("The tests share no knowledge items.")), separators=separators),
    }
    for index, block in enumerate(report["likert"]):
        for name, group in zip(likert_chart_names(index, block, language, fallback),
                               _scale_groups(block, language, fallback), strict=True):
            figures[name] = _scale_figure(block["dimension"], group, language, fallback, separators,
                                          title=title(name, None))
    figures.update(use_figure(report, separators, title))
    return figures


def likert_chart_names(index, block, language, fallback):
    """The names of the charts of the report's Likert/0–10 block number `index`, in order: one chart per scale
    (kind, points and legend), "likert-<index>" first, then "likert-<index>-1", "likert-<index>-2"…"""
    count = len(_scale_groups(block, language, fallback))
    return [f"likert-{index}" + (f"-{position}" if position else "") for position in range(count)]


def likert_charts(index, block, language, fallback):
    """[(chart name, whether its scale runs from none to most)] of a block, for the page's captions."""
    kinds = [question_type(group[0]["type"]).unipolar for group in _scale_groups(block, language, fallback)]
    return list(zip(likert_chart_names(index, block, language, fallback), kinds, strict=True))


def likert_chart_questions(report, language, fallback):
    """Chart name → the question rows each Likert or 0–10 chart draws, named and grouped as figures_for does (the
    charts' data tables follow it)."""
    return {name: questions for index, block in enumerate(report["likert"])
            for name, questions in zip(likert_chart_names(index, block, language, fallback),
                                       _scale_groups(block, language, fallback), strict=True)}


def scale_legend(question, language, fallback):
    """The legend's names of a scale question's points in the reader's language.

    A question that keeps its type's ends gets the type's words for every point when it has them (Likert:
    "Strongly disagree" … "Strongly agree"); otherwise the ends are named: "1 · Not useful", "2", …, "5 · Useful".
    """
    kind = question_type(question["type"])
    ends, own = scale_end_labels(question, language, fallback)
    if not own and kind.point_labels:
        return [_(label) for label in kind.point_labels]
    names = [str(point) for point in question["points"]]
    if len(names) >= 2:
        names[0], names[-1] = _end(names[0], ends[0]), _end(names[-1], ends[1])
    return names


def scale_end_labels(question, language, fallback):
    """([lowest point's words, highest point's words], whether they are the question's own) in the reader's
    language: the question's own in `language`, else in `fallback` (as the test page shows them), else its
    type's. Own words that only repeat the type's count as the type's."""
    kind = question_type(question["type"])
    labels = question.get("scale_labels") or {}
    ends = labels.get(language) or labels.get(fallback) or []
    defaults = [_(label) for label in kind.end_labels] or ["", ""]
    own = (len(ends) == 2 and all(ends) and not _same_words(ends, defaults)
           and not _same_words(ends, kind.end_labels))
    return ([str(end) for end in ends] if own else defaults), own


def _same_words(ends, defaults):
    return [str(end).strip().casefold() for end in ends] == [str(word).casefold() for word in defaults]


def _end(point, label):
    return f"{point} · {label}" if label else point


def _scale_groups(block, language, fallback):
    """The block's questions grouped by scale (type, points, legend), in the order of their first question: every
    question is charted, each with the legend that names its points."""
    groups = {}
    for question in block["questions"]:
        key = (question["type"], tuple(question["points"]), tuple(scale_legend(question, language, fallback)))
        groups.setdefault(key, []).append(question)
    return list(groups.values())


def _scale_figure(dimension, questions, language, fallback, separators, title=None):
    from . import charts

    first = questions[0]
    rows = [(pick(question["text"], language, fallback) or "", question["counts"]) for question in questions]
    empty = _("Nobody has answered these questions yet.")
    if question_type(first["type"]).unipolar:
        default = _("%(dimension)s, from %(low)s to %(high)s", dimension=_dimension_title(dimension),
                    low=first["points"][0], high=first["points"][-1])
        return charts.scale_stacked(
            rows, first["points"], scale_end_labels(first, language, fallback)[0],
            _texts(title=title or default, x_title=_("Share of respondents"), mean=_("Mean"), median=_("Median"),
                   empty=empty), separators=separators)
    return charts.likert_diverging(
        rows, scale_legend(first, language, fallback),
        _texts(title=title or _dimension_title(dimension), x_title=_("Share of respondents"), empty=empty),
        separators=separators)


def _dimension_title(dimension):
    return str(DIMENSION_LABELS[dimension])


def _funnel_stages(participation):
    return [(_("Registered"), participation["registered"]), (_("Took the pre-test"), participation["pre"]),
            (_("Took the post-test"), participation["post"]), (_("Took both"), participation["both"])]


def _texts(**texts):
    return {key: str(value) for key, value in texts.items()}


METHOD_LABELS = {"exact": _l("exact"), "normal_approximation": _l("normal approximation")}
ATTRIBUTE_LABELS = {"country": _l("Country"), "gender": _l("Gender"), "profile": _l("Profile")}
CEILING_FACILITY = 0.9  # nearly everyone right: the item cannot show learning


def method_label(method):
    return str(METHOD_LABELS.get(method, "—"))


def attribute_label(attribute):
    return str(ATTRIBUTE_LABELS[attribute])


def item_flag(stat):
    """What a test author should look at in an item's statistics ('' when nothing); a negative or weak
    discrimination is explained next to its number (texts_annex.discrimination_text)."""
    flags = []
    if stat["facility"] is not None and stat["facility"] >= CEILING_FACILITY:
        flags.append(_("ceiling: nearly everyone right"))
    if stat["discrimination_index"] is None:
        flags.append(_("discrimination cannot be computed"))
    return "; ".join(flags)


# The impact workbook's sheet names, headers and row labels (assessments/impact_workbook.py takes them in).
WORKBOOK_LABELS = {
    "sheet_summary": _l("Summary"), "sheet_paired": _l("Paired comparison"), "sheet_items": _l("Items"),
    "sheet_quality_pre": _l("Quality pre-test"), "sheet_quality_post": _l("Quality post-test"),
    "sheet_country": _l("By country"), "sheet_gender": _l("By gender"), "sheet_likert": _l("Likert"),
    "sheet_open_answers": _l("Open answers"), "sheet_raw": _l("Paired data"), "sheet_methods": _l("Methods"),
    "figure": _l("Figure"), "value": _l("Value"), "program": _l("Program"), "all": _l("All"),
    "attribute_country": _l("Country"), "attribute_gender": _l("Gender"), "attribute_profile": _l("Profile"),
    "section_participation": _l("Participation"), "section_knowledge": _l("Knowledge"),
    "section_test": _l("Whole test"), "section_kr20": _l("KR-20"), "section_difference": _l("Do the gains differ?"),
    "section_versions": _l("Versions"),
    "participation_registered": _l("Registered"), "participation_pre": _l("Took the pre-test"),
    "participation_post": _l("Took the post-test"), "participation_both": _l("Took both"),
    "participation_pre_only": _l("Only the pre-test"), "participation_post_only": _l("Only the post-test"),
    "participation_none": _l("Neither"), "attrition_mean_both": _l("Pre-test mean of those who took both"),
    "attrition_mean_pre_only": _l("Pre-test mean of those who took only the pre-test"),
    "max_score": _l("Maximum score"), "n_pairs": _l("Pairs"), "n_pre_only": _l("Only the pre-test"),
    "n_post_only": _l("Only the post-test"), "confidence": _l("Confidence level"), "mean_pre": _l("Pre-test mean"),
    "sd_pre": _l("Pre-test SD"), "mean_post": _l("Post-test mean"), "sd_post": _l("Post-test SD"),
    "correlation": _l("Correlation pre–post"), "mean_diff": _l("Mean change"), "sd_diff": _l("SD of the changes"),
    "se_diff": _l("Standard error of the mean change"), "ci_low": _l("CI low"), "ci_high": _l("CI high"),
    "t": _l("t"), "df": _l("Degrees of freedom"), "p_value": _l("p (two-sided)"),
    "p_greater": _l("p (post greater)"), "p_less": _l("p (post smaller)"), "cohen_dz": _l("Cohen's d_z"),
    "cohen_dz_ci_low": _l("d_z CI low"), "cohen_dz_ci_high": _l("d_z CI high"), "hedges_gz": _l("Hedges' g_z"),
    "cohen_dav": _l("Cohen's d_av"), "shapiro_w": _l("Shapiro–Wilk W"), "shapiro_p": _l("Shapiro–Wilk p"),
    "wilcoxon_v": _l("Wilcoxon V"), "wilcoxon_n": _l("Wilcoxon n (non-zero changes)"),
    "wilcoxon_p": _l("Wilcoxon p"), "wilcoxon_method": _l("Wilcoxon method"),
    "wilcoxon_p_exact_conditional": _l("Exact conditional p (ties kept)"),
    "rank_biserial": _l("Rank-biserial correlation"), "hodges_lehmann": _l("Hodges–Lehmann estimate"),
    "n_improved": _l("Improved"), "n_unchanged": _l("Unchanged"), "n_declined": _l("Declined"),
    "sign_test_p": _l("Sign test p"), "hake_gain": _l("Normalized gain (Hake, class average)"),
    "individual_gain_mean": _l("Individual normalized gain, mean"),
    "individual_gain_median": _l("Individual normalized gain, median"),
    "n_gain_excluded": _l("Left out of the gains (maximum in the pre-test)"), "reason": _l("Not computed because"),
    "method_exact": _l("exact"), "method_normal_approximation": _l("normal approximation"),
    "item": _l("Item"), "text": _l("Text"), "n": _l("n"), "b": _l("Right → wrong"), "c": _l("Wrong → right"),
    "p_exact": _l("Exact p"), "p_midp": _l("Mid-p"), "chi2_cc": _l("χ² (continuity corrected)"),
    "p_cc": _l("p (χ², corrected)"), "p_holm": _l("Holm"), "p_bh": _l("Benjamini–Hochberg"),
    "small_n": _l("small n"), "facility": _l("Facility"), "facility_pre": _l("Facility pre-test"),
    "facility_post": _l("Facility post-test"), "sd": _l("SD"), "discrimination_index": _l("Discrimination"),
    "discriminative_efficiency": _l("Discriminative efficiency"), "effective_weight": _l("Effective weight"),
    "n_attempts": _l("Attempts"), "n_excluded": _l("Left out (incomplete)"), "mean": _l("Mean"),
    "median": _l("Median"), "skewness": _l("Skewness"), "kurtosis": _l("Kurtosis"),
    "cic": _l("Coefficient of internal consistency"), "error_ratio": _l("Error ratio"),
    "standard_error": _l("Standard error"), "kr20": _l("KR-20"), "alpha": _l("Cronbach's alpha"),
    "n_respondents": _l("Respondents"), "n_items": _l("Items"), "welch_t": _l("Welch's t"),
    "welch_df": _l("Welch's degrees of freedom"), "welch_p": _l("Welch's p"), "anova_f": _l("ANOVA F"),
    "anova_df_between": _l("ANOVA df between"), "anova_df_within": _l("ANOVA df within"),
    "anova_p": _l("ANOVA p"), "kruskal_h": _l("Kruskal–Wallis H"), "kruskal_df": _l("Kruskal–Wallis df"),
    "kruskal_p": _l("Kruskal–Wallis p"), "q1": _l("First quartile"), "q3": _l("Third quartile"),
    "agreeing": _l("Agreeing"), "dimension": _l("Dimension"),
    **{f"dimension_{name}": label for name, label in DIMENSION_LABELS.items()},
    "test": _l("Test"), "pre": KIND_LABELS["pre"], "post": KIND_LABELS["post"], "question": _l("Question"),
    "respondent": _l("Participant"),
    "pre_score": _l("Pre-test score"), "post_score": _l("Post-test score"), "change": _l("Change"),
}


def workbook_labels():
    # "Answer" is also a button (the verb, "Responder"); the column heading is the noun ("Respuesta").
    return {**{key: str(label) for key, label in WORKBOOK_LABELS.items()}, "answer": pgettext("column", "Answer"),
            **annex_texts(), **use_labels()}


def report_workbook(report, language, fallback, provenance=None):
    """The report as an XLSX workbook in the reader's language (the current locale)."""
    from .workbook import workbook_bytes

    return workbook_bytes(report, workbook_labels(), language, fallback, provenance=provenance,
                          methods=method_conventions(report["confidence"]),
                          group_name=lambda attribute, value: group_label(attribute, value, language),
                          reason_text=reason_text)


def attrition_sentence(attrition):
    """Whether those who took only the pre-test started differently, in words (the report's attrition check)."""
    if attrition["welch_p"] is None:
        if attrition["reason"] in (None, "fewer_than_2_groups"):
            return _("Attrition check: not enough participants left after the pre-test to compare.")
        return _("Attrition check: not possible, %(reason)s.", reason=reason_text(attrition["reason"]))
    groups = {group["name"]: group for group in attrition["groups"]}
    check = _("Attrition check: those who took only the pre-test scored %(left)s on average in it, those who took "
              "both %(stayed)s (Welch's t = %(t)s, %(p)s).", left=number(groups["pre_only"]["mean"], 1),
              stayed=number(groups["both"]["mean"], 1), t=number(attrition["welch_t"]),
              p=p_value(attrition["welch_p"]))
    verdict = (_("They started differently: the paired result may not describe everyone who began.")
               if attrition["welch_p"] < ALPHA else _("No sign that they started differently."))
    return f"{check} {verdict}"


SHARED_WITH_WORKBOOK = ("max_score", "wilcoxon_p", "hake_gain", "item", "text", "p_exact", "p_holm", "small_n",
                        "question", "n", "median", "agreeing", "alpha")


def pdf_texts(report, versions):
    """Every text of the PDF summary in the current language (assessments/impact_pdf.py takes them in)."""
    level = number(100 * report["confidence"], 0)
    return {
        "findings": [knowledge_sentence(report["knowledge"], report["max_score"]),
                     attrition_sentence(report["participation"]["attrition"])],
        "methods": method_conventions(report["confidence"]), "page": _("Page %(page)s of %(pages)s"),
        "date": _("Generated on %(date)s", date=format_date(date.today())), "versions": versions,
        "heading_findings": _("Findings"), "heading_participation": _("Participation"),
        "heading_knowledge": _("Knowledge"), "heading_items": _("Items"), "heading_countries": _("Countries"),
        "heading_likert": _("Expectations, satisfaction and application"), "heading_methods": _("Methods"),
        # The words the workbook already has, under the same keys.
        **{key: label for key, label in workbook_labels().items()
           if key.startswith(("participation_", "dimension_")) or key in SHARED_WITH_WORKBOOK},
        "pairs": str(WORKBOOK_LABELS["n_pairs"]), "mean_pre": _("Pre-test: mean (SD)"),
        "mean_post": _("Post-test: mean (SD)"), "mean_change": _("Mean change"),
        "ci": _("%(level)s%% confidence interval", level=level),
        "t_df": _("Paired t-test"), "p_value": _("p"), "cohen_dz": _("Effect size d_z [CI]"),
        "changes": _("Improved / unchanged / declined"), "facility_pre": str(KIND_LABELS["pre"]),
        "facility_post": str(KIND_LABELS["post"]), "country": _("Country"),
        "empty_pairs": _("Nobody has taken both tests yet."), "empty_items": _("The tests share no knowledge items."),
        "empty_likert": _("The tests have no Likert or 0–10 questions."), **annex_texts(),
        **use_pdf_texts(report),
    }


def pdf_figures(report, figures):
    """Of the report's `figures`, those the PDF carries: with something to show (paper has no use for an empty
    chart)."""
    paired = report["knowledge"]["n_pairs"] > 0
    has_data = {"funnel": report["participation"]["registered"] > 0, "slopes": paired, "distributions": paired,
                "forest": paired, "items": bool(report["items"]),
                "use": bool((report.get("use_at_work") or {}).get("people"))}
    return {name: figure for name, figure in figures.items()
            if has_data.get(name) or name.startswith("likert-")}


def report_pdf(report, program, language, fallback, filters, charts, versions, overview=None,
               overview_charts=None):
    """The PDF of the report in the current language: the one-page summary (`overview`), then the full figures."""
    from .pdf import summary_pdf

    return summary_pdf(report, pdf_texts(report, versions), language, fallback,
                       title=f"{_('Impact report')} · {program.title_in(language)}",
                       subtitle=f"{program.code} · {filters_text(filters, language)}", charts=charts,
                       group_name=lambda attribute, value: group_label(attribute, value, language),
                       overview=overview, overview_charts=overview_charts)


# What the report's templates call, passed with them (the helpers are for these pages only).
TEMPLATE_HELPERS = {"number": number, "percent": percent, "p_value": p_value, "p_short": p_short,
                    "reason_text": reason_text, "method_label": method_label, "item_text": item_text,
                    "item_flag": item_flag, "attribute_label": attribute_label, "group_label": group_label,
                    "attrition_sentence": attrition_sentence, "likert_charts": likert_charts, **ANNEX_HELPERS}
