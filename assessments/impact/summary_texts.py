"""The one-page summary in the reader's language: each finding's sentence, its caveats, and chart titles that say
what the chart shows."""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from training.localized import pick

from .findings import LOW_RELIABILITY, MIN_PAIRS, SMALL_N, summary_findings
from .texts import EFFECT_WORDS, figures_for, group_label, number, percent
from .texts_use import use_sentence

SUMMARY_CHART_WIDTH = 640  # pixels
SHORT_TEXT = 70  # characters of a statement quoted in a sentence (cut at a word, with an ellipsis)
DIMENSION_HEADINGS = {
    "participation": _l("Who took part"), "knowledge": _l("Knowledge"),
    "expectations": _l("Expectations met"), "satisfaction": _l("Satisfaction"),
    "application": _l("Intended use at work"), "use": _l("Reported use at work"),
}
LEVEL_LABELS = {"high": _l("High agreement"), "mixed": _l("Mixed agreement"), "low": _l("Low agreement")}
TONES = {"rose": "new", "high": "new", "fell": "error", "low": "error", "above": "new", "below": "error"}
USE_VERDICTS = {"above": _l("More than intended"), "below": _l("Less than intended"),
                "unclear": _l("No clear difference"), "same": _l("As intended")}
DIRECTION_LABELS = {"rose": _l("Rose"), "fell": _l("Fell"), "unclear": _l("No clear change"),
                    "same": _l("No change")}


@dataclass(frozen=True)
class SummaryLine:
    """A finding as the reader gets it: heading, a short verdict (or ''), the sentence, caveats, its chart."""
    dimension: str
    code: str
    heading: str
    verdict: str
    tone: str  # how the verdict's badge looks: "new" (good news), "update" (mixed), "error" (bad news)
    sentence: str
    caveats: tuple
    chart: str | None
    share: float | None = None  # of those agreeing, for a Likert/0–10 dimension


def summary_lines(report, language, fallback, likert_charts=None):
    """The summary's lines in the current language, one per dimension the questionnaires measure."""
    return [_line(finding, report, language, fallback) for finding in summary_findings(report, likert_charts)]


def _line(finding, report, language, fallback):
    writer = _KnowledgeWriter if finding.dimension == "knowledge" else (
        _ParticipationWriter if finding.dimension == "participation" else _LikertWriter)
    if finding.dimension == "use" and "completers" in finding.values:  # intended against reported (use_at_work)
        writer = _UseWriter
    words = writer(finding, report, language, fallback)
    heading = str(DIMENSION_HEADINGS[finding.dimension])
    if finding.dimension == "expectations" and finding.values.get("test") == "pre":
        heading = _("Expectations before the program")
    return SummaryLine(finding.dimension, finding.code, heading, words.verdict(),
                       TONES.get(finding.values.get("level") or finding.code, "update"), words.sentence(),
                       tuple(words.caveat(code) for code in finding.caveats), finding.chart,
                       finding.values.get("share"))


class _Writer:
    def __init__(self, finding, report, language, fallback):
        self.finding, self.values, self.report = finding, finding.values, report
        self.language, self.fallback = language, fallback

    def verdict(self):
        return ""


class _ParticipationWriter(_Writer):
    def sentence(self):
        v = self.values
        if self.finding.code == "nobody_registered":
            return _("Nobody is registered in this population yet.")
        registered = ngettext("%(num)s person was registered", "%(num)s people were registered", v["registered"])
        both = _("%(both)s of them (%(share)s) took both the pre-test and the post-test.", both=v["both"],
                 share=percent(v["both"] / v["registered"]))
        return f"{registered} {self._where()}; {both}"

    def _where(self):
        countries = [code for code in self.report.get("composition", {}).get("country", {}) if code]
        if len(countries) == 1:
            return _("from %(country)s", country=group_label("country", countries[0], self.language))
        return ngettext("from %(num)s country", "from %(num)s countries", len(countries))

    def caveat(self, code):
        return _("%(share)s of those who took the pre-test did not take the post-test: the results describe those "
                 "who stayed.", share=percent(self.values["attrition_share"]))


class _KnowledgeWriter(_Writer):
    def verdict(self):
        return str(DIRECTION_LABELS.get(self.finding.code, ""))

    def sentence(self):
        code, v = self.finding.code, self.values
        if code in ("no_shared_items", "too_few_pairs") and not self.report["participation"]["post"]:
            return _("Nobody has taken the post-test yet, so a change in knowledge cannot be measured.")
        if code == "too_few_pairs" and not v["n"]:
            return _("Nobody has taken both tests yet, so a change in knowledge cannot be measured.")
        if code == "no_shared_items":
            return _("The pre-test and the post-test share no knowledge question, so a change in knowledge cannot "
                     "be measured.")
        if code == "too_few_pairs":
            return ngettext("Only %(num)s person took both tests: too few to say whether knowledge changed.",
                            "Only %(num)s people took both tests: too few to say whether knowledge changed.",
                            v["n"])
        if code == "cannot_compare":
            from .texts import reason_text

            return _("The knowledge comparison cannot be made: %(reason)s.", reason=reason_text(v["reason"]))
        return " ".join(part for part in (self._change(), self._countries()) if part)

    def _figures(self):
        v = self.values
        return {"n": v["n"], "pre": number(v["pre"], 1), "post": number(v["post"], 1), "max": number(v["max"], 0),
                "level": number(100 * v["confidence"], 0), "low": number(abs(v["low"]), 1),
                "high": number(abs(v["high"]), 1)}

    def _change(self):
        code, figures = self.finding.code, self._figures()
        if code == "same":
            return _("Among the %(n)s people who took both tests, the average score stayed at %(pre)s out of "
                     "%(max)s.", **figures)
        if code == "rose":
            text = _("Among the %(n)s people who took both tests, the average score rose from %(pre)s to %(post)s "
                     "out of %(max)s; we are %(level)s%% confident that the average gain is between %(low)s and "
                     "%(high)s points.", **figures)
        elif code == "fell":
            figures["low"], figures["high"] = figures["high"], figures["low"]  # a loss: its size, smallest first
            text = _("Among the %(n)s people who took both tests, the average score fell from %(pre)s to %(post)s "
                     "out of %(max)s; we are %(level)s%% confident that the average loss is between %(low)s and "
                     "%(high)s points.", **figures)
        else:
            text = _("Among the %(n)s people who took both tests, the average score went from %(pre)s to %(post)s "
                     "out of %(max)s, a change too small to tell apart from chance (at %(level)s%% confidence it "
                     "lies between %(signed_low)s and %(signed_high)s points).",
                     signed_low=_signed(self.values["low"]), signed_high=_signed(self.values["high"]), **figures)
        return f"{text} {self._effect()}" if code in ("rose", "fell") else text

    def _effect(self):
        v = self.values
        return _("That is a %(effect)s effect; %(improved)s of the %(n)s improved their score.",
                 effect=EFFECT_WORDS[v["effect"]], improved=v["improved"], n=v["n"])

    def _countries(self):
        countries = self.values.get("countries")
        if not countries or self.finding.code != "rose":
            return ""
        if countries["rose"] == countries["of"]:
            return ngettext("It rose in the one country with at least %(min)s pairs.",
                            "It rose in every one of the %(num)s countries with at least %(min)s pairs.",
                            countries["of"], min=MIN_PAIRS)
        return _("It rose in %(rose)s of the %(of)s countries with at least %(min)s pairs.", rose=countries["rose"],
                 of=countries["of"], min=MIN_PAIRS)

    def caveat(self, code):
        if code == "few_pairs":
            return _("Fewer than %(small)s people took both tests: this result may not hold for a larger group.",
                     small=SMALL_N)
        if code == "attrition_bias":
            return _("Those who left after the pre-test had started with different scores, so the gain may not "
                     "describe everyone who began.")
        if code == "low_reliability":
            kr20 = self.report["quality"]["post"]["kr20"]["alpha"]
            return _("The post-test's questions do not measure one consistent thing (KR-20 = %(value)s, below "
                     "%(limit)s): read the scores with caution.", value=number(kr20),
                     limit=number(LOW_RELIABILITY, 1))
        return self._worse_items()

    def _worse_items(self):
        texts = {row["item_key"]: row["text"] for row in self.report["items"]}
        names = [f"“{short_text(pick(texts.get(key), self.language, self.fallback) or key)}”"
                 for key in self.values["worse_items"][:3]]
        return ngettext("Fewer people answered this question correctly after the program than before: %(items)s.",
                        "Fewer people answered these questions correctly after the program than before: "
                        "%(items)s.", len(self.values["worse_items"]), items="; ".join(names))




def _signed(value):
    return ("+" if value > 0 else "") + number(value, 1)


class _LikertWriter(_Writer):
    def verdict(self):
        return str(LEVEL_LABELS.get(self.values.get("level"), ""))

    def sentence(self):
        v = self.values
        if self.finding.code == "no_answers":
            return _("Nobody has answered these questions yet.")
        weakest = short_text(pick(v["weakest"], self.language, self.fallback))
        if self.finding.code == "one_statement":
            return _("%(share)s of the %(n)s people who answered agreed with “%(text)s”.",
                     share=percent(v["share"]), n=v["n"], text=weakest)
        return _("On average %(share)s of the %(n)s people who answered agreed with the %(k)s statements; the "
                 "least agreed with: “%(text)s” (%(weakest)s).", share=percent(v["share"]), n=v["n"],
                 k=v["statements"], text=weakest, weakest=percent(v["weakest_share"]))

    def caveat(self, code):
        if code == "small_sample":
            return _("Fewer than %(small)s people answered: this may not hold for a larger group.", small=SMALL_N)
        alpha = next(block["alpha"]["alpha"] for block in self.report["likert"]
                     if block["dimension"] == _source(self.finding.dimension)
                     and block.get("test") == self.values["test"])
        return _("These statements do not move together (Cronbach's α = %(value)s), so their average is not one "
                 "measure: read them one by one.", value=number(alpha))


class _UseWriter(_Writer):
    def verdict(self):
        return str(USE_VERDICTS.get(self.finding.code, ""))

    def sentence(self):
        return use_sentence(self.report["use_at_work"])

    def caveat(self, code):
        if code == "few_pairs":
            return _("Fewer than %(small)s people answered the same statements in both tests: this may not hold for "
                     "a larger group.", small=SMALL_N)
        if code == "low_response":
            return _("Only %(share)s of those who completed answered the follow-up: the use they report may not "
                     "describe the others.", share=percent(self.values["rate"]))
        return _("Those who answered the follow-up had intended a different use from those who did not, so the use "
                 "they report may not describe everyone who completed.")


def _source(dimension):
    return "application" if dimension == "use" else dimension


def short_text(text, limit=SHORT_TEXT):
    """`text` on one line, cut at a word boundary to about `limit` characters with an ellipsis."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text.rstrip(".")  # quoted inside a sentence, which has its own full stop
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:.") + "…"


AGREEING_NOTE = _l("“Agreed”: 4 or 5 on a five-point scale, 7 to 10 on a 0–10 scale.")


def report_figures(report, language, fallback):
    """chart name → plotly figure of the report, the charts the summary points to titled with their finding."""
    return figures_for(report, language, fallback, titles=finding_titles(report, language, fallback))


def finding_titles(report, language, fallback):
    """chart name → a title stating what the chart shows, for the charts the summary's findings point to."""
    return chart_titles(summary_lines(report, language, fallback), report)


def chart_titles(lines, report):
    """chart name → a title stating the finding the chart shows (the charts not named keep their own title)."""
    titles = {}
    for line in lines:
        if line.chart and line.dimension == "participation":
            part = report["participation"]
            titles[line.chart] = _("%(both)s of the %(registered)s people registered took both tests",
                                   both=part["both"], registered=part["registered"])
        elif line.chart and line.dimension == "knowledge":
            titles.update(_knowledge_titles(line, report))
        elif line.chart and line.dimension == "use" and line.verdict:
            titles[line.chart] = f"{line.heading}: {line.verdict}"
        elif line.chart and line.share is not None:
            titles[line.chart] = _("%(dimension)s: %(share)s agreed", dimension=line.heading,
                                   share=percent(line.share))
    return titles


KNOWLEDGE_TITLES = {"rose": _l("Knowledge rose"), "fell": _l("Knowledge fell"),
                    "unclear": _l("No clear change in knowledge"), "same": _l("Knowledge did not change")}


def _knowledge_titles(line, report):
    countries = _country_counts(report)
    if line.code == "rose" and countries and countries[0] == countries[1]:
        headline = _("Knowledge rose in every country")
    elif line.code == "rose" and countries:
        headline = _("Knowledge rose in %(rose)s of %(of)s countries", rose=countries[0], of=countries[1])
    elif line.code in KNOWLEDGE_TITLES:
        headline = str(KNOWLEDGE_TITLES[line.code])
    else:
        return {}
    return {name: headline for name in ("forest", "distributions", "slopes")}


def _country_counts(report):
    from .findings import knowledge_finding

    countries = knowledge_finding(report).values.get("countries")
    return (countries["rose"], countries["of"]) if countries else None


def summary_data(report, program, language, fallback, population, likert_charts=None):
    """The summary as the PDF's first page and the slide take it: plain, translated data."""
    from flask_babel import format_date

    lines = summary_lines(report, language, fallback, likert_charts)
    dates = ""
    if program.start_date:
        dates = format_date(program.start_date)
        if program.end_date and program.end_date != program.start_date:
            dates += " – " + format_date(program.end_date)
    return {"title": f"{_('Impact report')} · {program.title_in(language)}",
            "subtitle": " · ".join(part for part in (program.code, dates, population) if part),
            "composition": composition_lines(report.get("composition", {}), language),
            "findings": [{"heading": line.heading, "verdict": line.verdict, "tone": line.tone,
                          "sentence": line.sentence, "caveats": list(line.caveats), "chart": line.chart}
                         for line in lines],
            "note": str(AGREEING_NOTE)}


def summary_charts(report, summary, language, fallback):
    """name → PNG of the charts the summary's findings show, drawn narrower than the report's (1000 pixels) so that
    their words stay legible at a third of a page; {} when this server cannot draw charts."""
    from .chart_images import png_images

    wanted = {finding["chart"] for finding in summary["findings"] if finding["chart"]}
    figures = report_figures(report, language, fallback)
    return png_images({name: figure for name, figure in figures.items() if name in wanted}, width=SUMMARY_CHART_WIDTH)


def composition_lines(composition, language):
    """'By country (registered / took both tests): Mexico 10 / 7 · …' and the same by gender."""
    lines = []
    for attribute, label in (("country", _("By country (registered / took both tests)")),
                             ("gender", _("By gender (registered / took both tests)"))):
        groups = composition.get(attribute) or {}
        if groups:
            parts = [f"{_group_name(attribute, value, language)} {counts['registered']} / {counts['both']}"
                     for value, counts in groups.items()]
            lines.append(f"{label}: {' · '.join(parts)}")
    return lines


def _group_name(attribute, value, language):
    if attribute == "gender" and not value:
        return _("Not recorded")
    return group_label(attribute, value, language)
