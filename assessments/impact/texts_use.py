"""Use at work in the reader's language: the donor's sentence, the non-response check, and the labels of its tables."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..stats_conventions import NON_RESPONDERS, RESPONDERS
from .findings import MIN_PAIRS
from .texts_base import number, p_value, percent, reason_text
from .verdicts import ALPHA

# The use-at-work sheet's and PDF section's words (the workbook's LABEL_KEYS and the PDF's TEXT_KEYS name them).
USE_LABELS = {
    "sheet_use": _l("Use at work"), "heading_use": _l("Use at work"),
    "section_response": _l("Follow-up response"), "use_completers": _l("Completed (submitted the post-test)"),
    "use_respondents": _l("Answered the follow-up"), "use_response_rate": _l("Response rate"),
    "use_other_respondents": _l("Answered the follow-up, not among those who completed (left out)"),
    "use_intended_responders": _l("Intended use of those who answered the follow-up"),
    "use_intended_non_responders": _l("Intended use of those who did not answer"),
    "section_use": _l("Reported − intended use, per person"), "use_intended": _l("Intended use (post-test)"),
    "use_reported": _l("Reported use (follow-up)"), "use_statements": _l("Statements answered in both"),
    "section_use_items": _l("Per statement"), "section_use_people": _l("Per person"),
    "use_empty": _l("Use at work cannot be compared"),
}


def use_sentence(block):
    """What a donor reads first: who completed, who answered the follow-up, and the use they reported against the
    use they intended, with its interval."""
    if block["reason"]:
        return _("Use at work cannot be compared: %(reason)s.", reason=reason_text(block["reason"]))
    if not block["completers"]:
        return _("Nobody has completed the program (submitted the post-test) yet, so use at work cannot be "
                 "measured.")
    if not block["respondents"]:
        return ngettext("Of the %(num)s person who completed, nobody has answered the follow-up yet.",
                        "Of the %(num)s who completed, nobody has answered the follow-up yet.", block["completers"])
    return f"{_response(block)} {_comparison(block)}"


def _response(block):
    return ngettext("Of the %(num)s person who completed, %(answered)s answered the follow-up (%(rate)s).",
                    "Of the %(num)s who completed, %(answered)s answered the follow-up (%(rate)s).",
                    block["completers"], answered=block["respondents"], rate=percent(block["response_rate"]))


def _comparison(block):
    result = block["comparison"]
    if result["n_pairs"] < MIN_PAIRS or result["mean_diff"] is None:
        return ngettext("Only %(num)s of them answered the same statements in both: too few to compare the use "
                        "they reported with the use they intended.",
                        "Only %(num)s of them answered the same statements in both: too few to compare the use "
                        "they reported with the use they intended.", result["n_pairs"])
    # Two decimals, as the table beside it: with one, "3.6 against 4.4, difference −0.7" reads as a mistake.
    figures = {"n": result["n_pairs"], "reported": number(result["mean_post"], 2),
               "intended": number(result["mean_pre"], 2), "top": block["scale"]["high"],
               "diff": signed(result["mean_diff"], 2), "level": number(100 * block["confidence"], 0),
               "low": signed(result["ci_low"], 2), "high": signed(result["ci_high"], 2)}
    if result["ci_low"] is None:  # everyone changed by the same amount: no interval to give
        return _("The %(n)s who answered the same statements in both report using what they learned at "
                 "%(reported)s of %(top)s, against the %(intended)s they intended (difference %(diff)s).", **figures)
    if result["n_pairs"] == block["respondents"]:
        return _("They report using what they learned at %(reported)s of %(top)s, against the %(intended)s they "
                 "intended (difference %(diff)s, %(level)s%% CI %(low)s to %(high)s).", **figures)
    return _("The %(n)s who answered the same statements in both report using what they learned at %(reported)s of "
             "%(top)s, against the %(intended)s they intended (difference %(diff)s, %(level)s%% CI %(low)s to "
             "%(high)s).", **figures)


def signed(value, digits=1):
    """A difference with its sign: +0.3, −0.3 (a true minus sign), 0.0."""
    if value is None:
        return "—"
    text = number(abs(value), digits)
    rounded = round(value, digits)
    return ("+" if rounded > 0 else "−" if rounded < 0 else "") + text


def non_response_sentence(block):
    """Whether those who answered the follow-up had intended a different use from those who did not, in words
    (like the attrition check); None when the section already says why there are no figures."""
    check = block["non_response"]
    if block["reason"]:
        return None
    if check["welch_p"] is None:
        if check["reason"] in (None, "fewer_than_2_groups", "groups_with_fewer_than_2_values_skipped"):
            return _("Non-response check: too few people answered, or did not answer, the follow-up to compare.")
        return _("Non-response check: not possible, %(reason)s.", reason=reason_text(check["reason"]))
    groups = {group["name"]: group for group in check["groups"]}
    text = _("Non-response check: in the post-test, those who answered the follow-up had intended %(answered)s on "
             "average, those who did not %(others)s (Welch's t = %(t)s, %(p)s).",
             answered=number(groups[RESPONDERS]["mean"], 1), others=number(groups[NON_RESPONDERS]["mean"], 1),
             t=number(check["welch_t"]), p=p_value(check["welch_p"]))
    verdict = (_("They had intended differently: the reported use may not describe everyone who completed.")
               if check["welch_p"] < ALPHA else _("No sign that they had intended differently."))
    return f"{text} {verdict}"


def use_figure(report, separators, title):
    """{"use": the slope chart of each person's intended and reported use} when the report compares use at work,
    else {} (a program without a follow-up gets no empty chart). `title(name, default)` as in texts.figures_for."""
    from . import charts

    block = report.get("use_at_work")
    if not block or block["reason"]:
        return {}
    rows = [(_("Participant %(n)s", n=index), row["intended"], row["reported"])
            for index, row in enumerate(block["people"], 1)]
    texts = {"title": title("use", _("Intended and reported use of each person")), "pre": _("Intended (post-test)"),
             "post": _("Reported (follow-up)"), "score": _("Use at work"), "improved": _("Used more than intended"),
             "unchanged": _("As intended"), "declined": _("Used less than intended"), "mean": _("Mean"),
             "empty": _("Nobody has answered the follow-up yet.")}
    return {"use": charts.paired_slopes(rows, {key: str(value) for key, value in texts.items()},
                                        max_score=block["scale"]["high"], separators=separators)}


def use_labels():
    return {key: str(label) for key, label in USE_LABELS.items()}


def use_pdf_texts(report):
    """The PDF section's labels and sentences (pdf_use.USE_TEXT_KEYS)."""
    block = report.get("use_at_work")
    sentences = [use_sentence(block), non_response_sentence(block)] if block else []
    return {**use_labels(), "use_sentences": [sentence for sentence in sentences if sentence]}


# What the report's templates call for this section (exports.page_context passes them with the others).
USE_HELPERS = {"use_sentence": use_sentence, "non_response_sentence": non_response_sentence,
               "signed": signed}
