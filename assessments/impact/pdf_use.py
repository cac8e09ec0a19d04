"""The impact PDF's "use at work" section: intended against reported use, its figures and statements (pure)."""
from training.localized import pick

# Texts the section needs besides the report's own (pdf.TEXT_KEYS holds these too): "use_sentences" is the list of
# already-worded sentences (the donor's sentence, the non-response check), the rest are labels.
USE_TEXT_KEYS = frozenset({"heading_use", "use_sentences", "use_completers", "use_respondents", "use_response_rate",
                           "use_intended", "use_reported"})
ITEM_LINES = 2


def use_section(summary, block):
    """The section's flowables, built with pdf._Summary's helpers (`summary`); none when the report has no block."""
    if not block:
        return []
    t = summary.texts
    sentences = t["use_sentences"]
    paragraphs = [summary.para(sentence) for sentence in ([sentences] if isinstance(sentences, str) else sentences)
                  if str(sentence).strip()]
    if block["reason"] or not block["comparison"]["n_pairs"]:
        return summary.section("use", *paragraphs)
    return summary.section("use", *paragraphs, summary.grid(_figures(summary, block)), _items(summary, block),
                           *summary.chart("use"), keep=len(paragraphs))


def _figures(summary, block):
    t, result = summary.texts, block["comparison"]
    test = "—" if result["t"] is None else f"t({summary.count(result['df'])}) = {summary.number(result['t'])}"
    return [(t["use_completers"], summary.count(block["completers"])),
            (t["use_respondents"], summary.count(block["respondents"])),
            (t["use_response_rate"], summary.percent(block["response_rate"])),
            (t["pairs"], summary.count(result["n_pairs"])),
            (t["use_intended"], summary.mean_sd(result["mean_pre"], result["sd_pre"])),
            (t["use_reported"], summary.mean_sd(result["mean_post"], result["sd_post"])),
            (t["mean_change"], summary.number(result["mean_diff"], sign=True)),
            (t["ci"], summary.interval(result["ci_low"], result["ci_high"])),
            (t["t_df"], test), (t["p_value"], summary.p(result["p_value"])),
            (t["wilcoxon_p"], summary.p(result["wilcoxon_p"]))]


def _items(summary, block):
    t = summary.texts
    head = [t["item"], t["text"], t["pairs"], t["use_intended"], t["use_reported"], t["wilcoxon_p"], t["p_holm"]]
    widths = summary.columns(17, 75, 14, 20, 20, 18, 18)
    body = [[row["item_key"], summary.fit(pick(row["text"], summary.language, summary.fallback) or row["item_key"],
                                          widths[1] - 8, ITEM_LINES),
             summary.count(row["result"]["n_pairs"]), summary.number(row["result"]["mean_pre"]),
             summary.number(row["result"]["mean_post"]), summary.p(row["result"]["wilcoxon_p"]),
             summary.p(row["p_holm"])] for row in block["items"]]
    return summary.table(head, body, widths, numeric=(2, 3, 4, 5, 6))
