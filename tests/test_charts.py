"""The impact report's plotly figures (assessments/charts.py): values drawn, styles, empty input, hostile labels."""
import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.colors import unlabel_rgb

from assessments.impact import charts
from assessments.impact.charts import (
    BLUE,
    TEXT_KEYS,
    VERMILLION,
    figure_json,
    forest,
    item_dumbbell,
    likert_diverging,
    likert_segments,
    paired_slopes,
    participation_funnel,
    plain_label,
    scale_stacked,
    score_distributions,
    short_text,
)

TEXTS = {
    "title": "Knowledge before and after", "pre": "Pre-test", "post": "Post-test", "score": "Score (out of 10)",
    "improved": "Improved", "unchanged": "Unchanged", "declined": "Declined", "mean": "Mean",
    "empty": "No answers yet", "x_title": "Difference (post − pre)", "mean_diff": "Mean difference",
    "ci": "95% CI", "too_small": "n too small", "significant": "Post-test, significant change",
    "median": "Median",
}
NBSP = "\u00a0"
NAMES = ["Ana", "Ben", "Cy", "Di", "Ed"]
HOSTILE = ['<a href="javascript:alert(1)">x</a>', "<b>bold</b>", "</script><script>alert(1)</script>",
           "{{7*7}}", '=HYPERLINK("x")', "R&D &lt;i&gt;", "<span style='font-size:90px'>big</span>"]
RAW_MARKUP = ("<a ", "<b>", "</script", "<script", "<span", "<i>")
ELEVEN = [str(point) for point in range(11)]


def only(keys):
    return {key: TEXTS[key] for key in keys}


def strings_in(value):
    """Every string of a decoded figure (plotly's own JSON already writes < as \\u003c, so decode first)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def trace(fig, group):
    matches = [t for t in fig.data if t.legendgroup == group]
    assert len(matches) == 1, [t.legendgroup for t in fig.data]
    return matches[0]


def assert_renders(fig):
    """Validation happens on construction; serializing and re-building must not raise either."""
    assert isinstance(fig, go.Figure)
    go.Figure(fig.to_dict())
    json.loads(pio.to_json(fig))


def assert_empty(fig):
    assert_renders(fig)
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == [TEXTS["empty"]]
    assert fig.layout.xaxis.visible is False


def sample_figure(kind, labels, texts=TEXTS):
    """A figure of `kind` with `labels` (at least five) wherever a user-supplied label can go."""
    first, second = labels[0], labels[1]
    build = {
        "paired_slopes": lambda: paired_slopes([(label, 3, 5) for label in labels] + [(second, 6, 4)], texts),
        "score_distributions": lambda: score_distributions([1, 2, 3], [4, 5, 6], texts, 10),
        "forest": lambda: forest([(label, 10, 1.0, 0.5, 1.5) for label in labels] + [(second, 2, 1, None, None)],
                                 (first, 40, 1.0, 0.6, 1.4), texts),
        "item_dumbbell": lambda: item_dumbbell([(label, 0.4, 0.8, i % 2 == 0) for i, label in enumerate(labels)],
                                               texts),
        "likert_diverging": lambda: likert_diverging([(label, [1, 1, 2, 3, 3]) for label in labels], labels[:5],
                                                     texts),
        "participation_funnel": lambda: participation_funnel([(label, 100 - i) for i, label in enumerate(labels)],
                                                             texts),
        "scale_stacked": lambda: scale_stacked([(label, list(range(11))) for label in labels], ELEVEN,
                                               (first, second), texts),
    }
    return build[kind]()


# --- plain labels and embedding ----------------------------------------------------------------------------------

def test_plain_label_escapes_plotlys_html_subset_and_keeps_the_rest():
    assert plain_label('<a href="javascript:alert(1)">x</a>') == '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'
    assert plain_label("<b>") == "&lt;b&gt;"
    assert plain_label("</script>") == "&lt;/script&gt;"
    assert plain_label("R&D &lt;i&gt;") == "R&amp;D &amp;lt;i&amp;gt;"  # an entity in a name is shown as typed
    assert plain_label("{{7*7}}") == "{{7*7}}"
    assert plain_label('=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert plain_label(None) == ""
    assert plain_label(42) == "42"


@pytest.mark.parametrize("kind", list(TEXT_KEYS))
def test_hostile_labels_and_texts_are_shown_as_text_in_every_chart(kind):
    hostile_texts = {key: f"{value} <b>{key}</b>" for key, value in TEXTS.items()}
    fig = sample_figure(kind, HOSTILE, hostile_texts)
    assert_renders(fig)
    strings = list(strings_in(json.loads(fig.to_json())))
    for markup in RAW_MARKUP:
        assert not [s for s in strings if markup in s], markup
    shown = "\n".join(strings)
    assert "&lt;b&gt;" in shown  # the texts' payload, escaped rather than dropped
    if kind != "score_distributions":  # the only chart without user labels
        assert "&lt;/script&gt;" in shown and "&lt;a href=" in shown
        assert "{{7*7}}" in shown and '=HYPERLINK("x")' in shown  # not markup for plotly: left as typed


def test_hostile_participant_name_is_escaped_in_the_slope_hover():
    fig = paired_slopes([('<a href="javascript:alert(1)">x</a>', 3, 5)], TEXTS)
    hover = trace(fig, "improved").hovertext[0]
    assert hover.startswith('&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;<br>')
    assert "<a " not in hover


def test_figure_json_is_safe_inside_a_script_element_and_round_trips():
    label = "</script><script>alert(1)</script> & \u2028 \u2029 <!--"
    fig = forest([(label, 12, 1.0, 0.5, 1.5)], None, {**TEXTS, "title": label})
    text = figure_json(fig)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert "\\u003c" in text and "\\u0026" in text and "\\u2028" in text
    decoded = json.loads(text)
    assert decoded == fig.to_dict()
    assert decoded["layout"]["yaxis"]["ticktext"][0].startswith("&lt;/script&gt;&lt;script&gt;")


# --- 1. paired slopes --------------------------------------------------------------------------------------------

PAIRS = [("Ana", 3, 5), ("Ben", 6, 4), ("Cy", 5, 5), ("Di", 2, 7), ("Ed", None, 4), ("Flo", float("nan"), 1)]


def test_paired_slopes_draws_one_line_per_participant_by_kind_of_change():
    fig = paired_slopes(PAIRS, TEXTS, max_score=10)
    assert_renders(fig)
    assert len(fig.data) == 4
    improved, unchanged, declined = (trace(fig, group) for group in ("improved", "unchanged", "declined"))
    assert list(improved.x) == [0, 1, None, 0, 1, None]
    assert list(improved.y) == [3, 5, None, 2, 7, None]
    assert list(declined.y) == [6, 4, None]
    assert list(unchanged.y) == [5, 5, None]
    assert (improved.name, unchanged.name, declined.name) == ("Improved (2)", "Unchanged (1)", "Declined (1)")


def test_improved_and_declined_differ_in_colour_and_line_style_and_marker():
    fig = paired_slopes(PAIRS, TEXTS)
    improved, declined = trace(fig, "improved"), trace(fig, "declined")
    assert (improved.line.color, improved.line.dash, improved.marker.symbol) == (BLUE, "solid", "circle")
    assert (declined.line.color, declined.line.dash, declined.marker.symbol) == (VERMILLION, "dash", "x")
    assert trace(fig, "unchanged").line.dash == "dot"


def test_paired_slopes_draws_the_two_means_bold():
    fig = paired_slopes(PAIRS, TEXTS)
    mean = trace(fig, "mean")
    assert list(mean.y) == [pytest.approx(4.0), pytest.approx(5.25)]  # complete pairs only
    assert mean.name == "Mean"
    assert mean.line.width > 2 * trace(fig, "improved").line.width


def test_paired_slopes_axes_run_from_pre_to_post_and_to_the_maximum_score():
    fig = paired_slopes(PAIRS, TEXTS, max_score=10)
    assert list(fig.layout.xaxis.ticktext) == ["Pre-test", "Post-test"]
    assert list(fig.layout.yaxis.range) == [pytest.approx(-0.4), pytest.approx(10.4)]
    assert fig.layout.yaxis.title.text == "Score (out of 10)"
    assert paired_slopes(PAIRS, TEXTS).layout.yaxis.range is None


def test_slope_hover_names_everyone_on_the_same_line_in_the_viewers_number_format():
    fig = paired_slopes([("Ana", 6.5, 8), ("Ben", 6.5, 8)], TEXTS, separators=",.")
    hover = trace(fig, "improved").hovertext[0]
    assert hover == "Ana<br>Ben<br>Pre-test: 6,5 → Post-test: 8"
    assert fig.layout.separators == ",."


def test_slope_hover_lists_a_few_names_then_how_many_more():
    fig = paired_slopes([(f"P{i}", 1, 2) for i in range(12)], TEXTS)
    hover = trace(fig, "improved").hovertext[0]
    assert hover == "P0<br>P1<br>P2<br>P3<br>P4<br>P5<br>P6<br>P7<br>(+4)<br>Pre-test: 1 → Post-test: 2"


# --- 2. distributions --------------------------------------------------------------------------------------------

def test_score_distributions_show_every_score_with_n_and_the_scale():
    fig = score_distributions([1, 2, None, 3], [4, 5, 6, 7], TEXTS, max_score=10)
    assert_renders(fig)
    pre, post = fig.data
    assert (pre.type, list(pre.y), pre.name) == ("box", [1, 2, 3], f"Pre-test (n{NBSP}={NBSP}3)")
    assert (list(post.y), post.name) == ([4, 5, 6, 7], f"Post-test (n{NBSP}={NBSP}4)")
    assert pre.boxpoints == "all" and pre.boxmean is True
    assert pre.marker.color != post.marker.color and pre.marker.symbol != post.marker.symbol
    assert list(fig.layout.yaxis.range) == [pytest.approx(-0.4), pytest.approx(10.4)]


def test_score_distributions_with_one_side_missing_still_draw_the_other():
    fig = score_distributions([], [4, 5], TEXTS)
    assert_renders(fig)
    assert [len(t.y) for t in fig.data] == [0, 2]
    assert fig.layout.yaxis.range is None


# --- 3. forest ---------------------------------------------------------------------------------------------------

FOREST_ROWS = [("Mexico", 24, 1.2, 0.6, 1.8), ("Belize", 2, 3.0, None, None), ("El Salvador", 9, -0.3, -1.4, 0.8)]
OVERALL = ("All countries", 35, 0.9, 0.5, 1.3)


def test_forest_draws_each_interval_and_mean_with_n_in_the_label():
    fig = forest(FOREST_ROWS, OVERALL, TEXTS)
    assert_renders(fig)
    intervals, means, overall_interval, overall_mean = fig.data
    assert list(intervals.x) == [0.6, 1.8, None, -1.4, 0.8, None]
    assert list(intervals.y) == [0, 0, None, 2, 2, None]
    assert (list(means.x), list(means.y)) == ([1.2, -0.3], [0, 2])
    assert list(overall_interval.x) == [0.5, 1.3, None] and list(overall_mean.x) == [0.9]
    assert overall_mean.y[0] > 2  # below the subgroups, set apart
    assert list(fig.layout.yaxis.ticktext) == [f"Mexico (n{NBSP}={NBSP}24)", f"Belize (n{NBSP}={NBSP}2)",
                                              f"El Salvador (n{NBSP}={NBSP}9)", f"All countries (n{NBSP}={NBSP}35)"]
    assert "Mean difference: +1.2<br>95% CI: 0.6 – 1.8" in means.hovertext[0]
    assert "Mean difference: −0.3" in means.hovertext[1]


def test_forest_writes_n_too_small_instead_of_a_bar_and_draws_the_zero_line():
    fig = forest(FOREST_ROWS, OVERALL, TEXTS)
    [note] = fig.layout.annotations
    assert (note.text, note.y) == ("n too small", 1)
    assert 3.0 not in [x for t in fig.data for x in t.x]  # Belize's mean is not drawn either
    [zero] = fig.layout.shapes
    assert (zero.type, zero.x0, zero.x1) == ("line", 0, 0)
    low, high = fig.layout.xaxis.range
    assert low < -1.4 and high > 1.8


def test_forest_without_overall_and_with_only_positive_intervals_still_shows_zero():
    fig = forest([("Mexico", 24, 1.2, 0.6, 1.8)], None, TEXTS)
    assert_renders(fig)
    assert len(fig.data) == 2
    assert fig.layout.xaxis.range[0] < 0


def test_forest_where_every_row_is_too_small_has_notes_and_no_bars():
    fig = forest([("Belize", 1, None, None, None)], None, TEXTS)
    assert_renders(fig)
    assert len(fig.data) == 0 and [a.text for a in fig.layout.annotations] == ["n too small"]


# --- 4. item dumbbell --------------------------------------------------------------------------------------------

ITEMS = [("Q1", 0.4, 0.8, True), ("Q2", 0.7, 0.65, False), ("Q3", None, 0.5, False)]


def test_item_dumbbell_shows_facilities_as_percentages_in_the_given_order():
    fig = item_dumbbell(ITEMS, TEXTS)
    assert_renders(fig)
    pre, post, significant = trace(fig, "pre"), trace(fig, "post"), trace(fig, "significant")
    assert (list(pre.x), list(pre.y)) == ([pytest.approx(40), pytest.approx(70)], [0, 1])
    assert (list(post.x), list(post.y)) == ([pytest.approx(65), pytest.approx(50)], [1, 2])
    assert (list(significant.x), list(significant.y)) == ([pytest.approx(80)], [0])
    assert [a.text for a in fig.layout.annotations] == [f"Q1{NBSP}*", "Q2", "Q3"]
    assert list(fig.layout.xaxis.ticktext) == ["0%", "25%", "50%", "75%", "100%"]
    assert "Pre-test: 40%<br>Post-test: 80%<br>Post-test, significant change" in significant.hovertext[0]


def test_significant_items_get_a_filled_marker_and_an_asterisk_in_the_legend():
    fig = item_dumbbell(ITEMS, TEXTS)
    significant, post = trace(fig, "significant"), trace(fig, "post")
    assert significant.marker.symbol == "circle" and post.marker.symbol == "circle-open"
    assert significant.name == "Post-test, significant change *" and post.name == "Post-test"


def test_item_dumbbell_connectors_tell_rises_from_falls_by_colour_and_dash():
    fig = item_dumbbell(ITEMS, TEXTS)
    rose, fell = trace(fig, "rose"), trace(fig, "fell")
    assert (list(rose.x), rose.line.color, rose.line.dash) == ([pytest.approx(40), pytest.approx(80), None],
                                                               BLUE, "solid")
    assert (list(fell.x), fell.line.color, fell.line.dash) == ([pytest.approx(70), pytest.approx(65), None],
                                                               VERMILLION, "dash")


# The demo's first items: far longer than a label's two lines, so a mark written after them used to be cut off.
LONG_ITEMS = [
    "According to the ILO global estimates, what share of the world's workforce were migrant workers in 2019?",
    "According to the ILO General principles and operational guidelines for fair recruitment, what applies to "
    "recruitment fees and related costs?",
    "IRIS, IOM's International Recruitment Integrity System, allows a certified recruiter to do what exactly?",
    "What characterizes a human-rights-based approach to serving migrant workers?",
    "Applying a gender perspective in employment counseling means analysing how gender roles shape migration",
]


def test_every_significant_item_keeps_its_mark_however_long_its_text():
    significant = [True, True, False, True, True]
    fig = item_dumbbell([(text, 0.4, 0.8, flag) for text, flag in zip(LONG_ITEMS, significant, strict=True)],
                        TEXTS)
    labels = [a.text for a in fig.layout.annotations]
    assert [label.endswith(f"{NBSP}*") for label in labels] == significant
    assert list(trace(fig, "significant").y) == [0, 1, 3, 4]  # and each has its filled marker
    assert list(trace(fig, "post").y) == [2]


def test_items_are_named_by_their_short_text_with_the_full_text_on_hover():
    fig = item_dumbbell([(text, 0.4, 0.8, False) for text in LONG_ITEMS], TEXTS)
    labels = [a.text for a in fig.layout.annotations]
    assert labels[0] == "According to the ILO global estimates…"
    assert labels[3] == "What characterizes a human-rights-based…"
    assert all(len(label) <= 40 and "<br>" not in label for label in labels)  # one line at 360 px
    hover = trace(fig, "pre").hovertext[1].replace("<br>", " ")
    assert hover.startswith(LONG_ITEMS[1] + " Pre-test: 40%")


def test_short_text_cuts_at_a_word_boundary_to_forty_characters():
    assert short_text("What is the Regional Conference on Migration (RCM)?") == "What is the Regional Conference on…"
    assert short_text("  Short   enough\n") == "Short enough"
    assert short_text("x" * 60) == "x" * 39 + "…"  # one very long word: cut inside it
    assert short_text("Is it, really, a question; about fees? Yes") == "Is it, really, a question; about fees…"
    assert all(len(short_text(text)) <= 40 for text in LONG_ITEMS)


# --- 5. Likert ---------------------------------------------------------------------------------------------------

def test_likert_segments_split_the_neutral_point_half_on_each_side():
    assert likert_segments([1, 1, 2, 3, 3]) == [(2, -10.0), (2, 10.0), (1, -10.0), (3, 30.0), (0, -10.0),
                                                (4, 30.0)]
    assert likert_segments([1, 2, 3, 4]) == [(1, -20.0), (2, 30.0), (0, -10.0), (3, 40.0)]  # even: no neutral
    assert likert_segments([0, 0, 0]) == [(1, 0.0), (1, 0.0), (0, 0.0), (2, 0.0)]


def test_likert_bars_diverge_in_percent_of_respondents():
    fig = likert_diverging([("Useful", [1, 1, 2, 3, 3])], ["SD", "D", "N", "A", "SA"], TEXTS)
    assert_renders(fig)
    assert fig.layout.barmode == "relative"
    x = {(t.name, t.showlegend is not False): t.x[0] for t in fig.data}
    disagree = x[("SD", True)] + x[("D", True)]
    agree = x[("A", True)] + x[("SA", True)]
    assert (disagree, agree) == (pytest.approx(-20), pytest.approx(60))
    assert (x[("N", True)], x[("N", False)]) == (pytest.approx(-10), pytest.approx(10))
    assert sum(t.x[0] for t in fig.data if t.x[0] < 0) == pytest.approx(-30)
    assert sum(t.x[0] for t in fig.data if t.x[0] > 0) == pytest.approx(70)
    shown = [t for t in fig.data if t.showlegend is not False]
    assert sorted((t.legendrank, t.name) for t in shown) == [(1, "SD"), (2, "D"), (3, "N"), (4, "A"), (5, "SA")]
    assert [t.text for t in fig.data if t.name == "A"] == [("30%",)]
    assert all(t.text is None for t in fig.data if t.name == "N")  # a half would read as the whole
    assert [a.text for a in fig.layout.annotations] == [f"Useful (n{NBSP}={NBSP}10)"]
    low, high = fig.layout.xaxis.range
    assert low == -high and high >= 70


def test_likert_colours_are_diverging_with_a_grey_neutral():
    fig = likert_diverging([("Useful", [1, 1, 2, 3, 3])], ["SD", "D", "N", "A", "SA"], TEXTS)
    colour = {t.name: t.marker.color for t in fig.data}
    assert colour["N"] == charts.LIKERT_NEUTRAL_COLOUR
    assert len(set(colour.values())) == 5


def test_likert_hover_gives_the_whole_neutral_share_and_the_count():
    fig = likert_diverging([("Useful", [1, 1, 2, 3, 3])], ["SD", "D", "N", "A", "SA"], TEXTS)
    assert {t.hovertext[0] for t in fig.data if t.name == "N"} == {"Useful<br>N: 20% (2)"}


def test_likert_even_scale_and_rows_without_answers():
    fig = likert_diverging([("Useful", [1, 2, 3, 4]), ("Nobody", [0, 0, 0, 0])], ["1", "2", "3", "4"], TEXTS)
    assert_renders(fig)
    assert len(fig.data) == 4
    assert sorted(t.x[0] for t in fig.data) == [pytest.approx(-20), pytest.approx(-10), pytest.approx(30),
                                                pytest.approx(40)]
    assert [t.x[1] for t in fig.data] == [0, 0, 0, 0]


def test_likert_rejects_rows_whose_counts_do_not_match_the_scale():
    with pytest.raises(ValueError):
        likert_diverging([("Useful", [1, 2, 3])], ["1", "2", "3", "4", "5"], TEXTS)


def test_a_likert_label_keeps_its_n_when_its_text_is_cut():
    fig = likert_diverging([(LONG_ITEMS[1], [1, 1, 2, 3, 3])], ["1", "2", "3", "4", "5"], TEXTS)
    [label] = [a.text for a in fig.layout.annotations]
    assert label.endswith(f"… (n{NBSP}={NBSP}10)") and label.count("<br>") == 1
    assert LONG_ITEMS[1] in {t.hovertext[0].replace("<br>", " ").split(" 1: ")[0] for t in fig.data if t.name == "1"}


# --- 5b. 0–10 scales --------------------------------------------------------------------------------------------

SCALE_COUNTS = [0, 0, 0, 0, 1, 3, 3, 10, 32, 22, 22]  # the demo's "how useful" question: 93 answers


def test_scale_stacked_draws_each_points_share_of_respondents_in_order():
    fig = scale_stacked([("How useful?", SCALE_COUNTS), ("Nobody", [0] * 11)], ELEVEN,
                        ("Not at all", "Completely"), TEXTS)
    assert_renders(fig)
    assert fig.layout.barmode == "stack" and len(fig.data) == 11
    assert [t.name for t in fig.data] == ["0 · Not at all", *ELEVEN[1:10], "10 · Completely"]
    assert [t.x[0] for t in fig.data] == [pytest.approx(100 * count / 93) for count in SCALE_COUNTS]
    assert sum(t.x[0] for t in fig.data) == pytest.approx(100)
    assert [t.x[1] for t in fig.data] == [0] * 11
    assert list(fig.layout.xaxis.range) == [0, 100]
    assert fig.data[8].hovertext[0] == "How useful?<br>8: 34.4% (32)"


def test_scale_stacked_writes_the_mean_and_median_under_each_question():
    fig = scale_stacked([("How useful?", SCALE_COUNTS), ("Two", [0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0])], ELEVEN,
                        ("Not at all", "Completely"), TEXTS, separators=",.")
    labels = [a.text for a in fig.layout.annotations if "n" + NBSP in a.text]
    # 4·1 + 5·3 + 6·3 + 7·10 + 8·32 + 9·22 + 10·22 = 781; 781 / 93 = 8.40; the 47th answer is an 8
    assert labels[0] == f"How useful? (n{NBSP}={NBSP}93)<br>Mean: 8,4 · Median: 8"
    assert labels[1] == f"Two (n{NBSP}={NBSP}2)<br>Mean: 5 · Median: 5"


def test_scale_key_numbers_every_point_and_names_both_ends():
    fig = scale_stacked([("How useful?", SCALE_COUNTS)], ELEVEN, ("Not useful at all", "Extremely useful"), TEXTS)
    texts = [a.text for a in fig.layout.annotations]
    assert [text for text in texts if text in ELEVEN] == ELEVEN
    assert "Not useful at all" in texts and "Extremely useful" in texts
    squares = [shape.fillcolor for shape in fig.layout.shapes]
    assert squares == [t.marker.color for t in fig.data]
    assert fig.layout.showlegend is False  # the key stands for the legend: eleven long entries do not fit 360 px


def test_scale_colours_are_sequential_from_light_to_dark():
    lightness = [sum(c * w for c, w in zip(unlabel_rgb(colour), (0.299, 0.587, 0.114), strict=True))
                 for colour in charts.scale_colours(11)]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == 11
    assert lightness[0] < 245  # the palest point still shows on a white page


def test_scale_stacked_rejects_rows_whose_counts_do_not_match_the_scale():
    with pytest.raises(ValueError):
        scale_stacked([("Useful", [1, 2, 3])], ELEVEN, ("a", "b"), TEXTS)


# --- hostile texts: RTL and very long words ---------------------------------------------------------------------

RTL = "ما مدى فائدة هذا البرنامج لعملك اليومي في خدمات التوظيف والهجرة؟"
LONG_WORD = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"


@pytest.mark.parametrize("text", [RTL, LONG_WORD, f'"{LONG_WORD}" <b>{RTL}</b>'])
def test_rtl_and_very_long_words_stay_literal_and_within_a_phones_width(text):
    figures = [item_dumbbell([(text, 0.4, 0.8, True)], TEXTS),
               likert_diverging([(text, [1, 1, 2, 3, 3])], ["1", "2", "3", "4", "5"], TEXTS),
               scale_stacked([(text, SCALE_COUNTS)], ELEVEN, (text, text), TEXTS)]
    for fig in figures:
        assert_renders(fig)
        labels = [a.text for a in fig.layout.annotations if a.text not in ELEVEN]
        for label in labels:
            assert "<b>" not in label
            assert all(len(line.replace("&lt;", "<").replace("&gt;", ">")) <= charts.ROW_LABEL_WIDTH + 10
                       for line in label.split("<br>"))
        hover = next(t.hovertext[0] for t in fig.data if t.hovertext)  # lines break at spaces or in long words
        assert plain_label(text).replace(" ", "") in hover.replace("<br>", "").replace(" ", "")
    if text == RTL:  # a right-to-left text is kept in its order, never reversed or dropped
        assert RTL[:30] in figures[1].layout.annotations[0].text


# --- 6. funnel ---------------------------------------------------------------------------------------------------

def test_participation_funnel_shows_counts_and_share_of_the_first_stage():
    stages = [("Registered", 1200), ("Took the pre-test", 1100), ("Took the post-test", 1010), ("Both", 980)]
    fig = participation_funnel(stages, TEXTS, separators=",.")
    assert_renders(fig)
    [funnel] = fig.data
    assert funnel.type == "funnel"
    assert list(funnel.x) == [1200, 1100, 1010, 980]
    assert list(funnel.text) == ["1.200 (100%)", "1.100 (92%)", "1.010 (84%)", "980 (82%)"]
    assert list(fig.layout.yaxis.ticktext) == ["Registered", "Took the pre-test", "Took the post-test", "Both"]
    assert fig.layout.yaxis.autorange == "reversed"  # the widest stage on top


# --- empty input, text keys, layout --------------------------------------------------------------------------------

@pytest.mark.parametrize("build", [
    lambda: paired_slopes([], TEXTS),
    lambda: paired_slopes([("Ana", None, 3)], TEXTS),
    lambda: score_distributions([], [None], TEXTS, 10),
    lambda: forest([], None, TEXTS),
    lambda: item_dumbbell([], TEXTS),
    lambda: item_dumbbell([("Q1", None, None, False)], TEXTS),
    lambda: likert_diverging([], ["1", "2", "3"], TEXTS),
    lambda: likert_diverging([("Useful", [0, 0, 0])], ["1", "2", "3"], TEXTS),
    lambda: participation_funnel([], TEXTS),
    lambda: participation_funnel([("Registered", 0)], TEXTS),
    lambda: scale_stacked([("Useful", [0] * 11)], ELEVEN, ("Not at all", "Completely"), TEXTS),
], ids=["slopes", "slopes-incomplete", "distributions", "forest", "dumbbell", "dumbbell-none", "likert",
        "likert-zero", "funnel", "funnel-zero", "scale-zero"])
def test_empty_input_gives_a_figure_that_says_so(build):
    assert_empty(build())


EMPTY_CALLS = {
    "paired_slopes": lambda texts: paired_slopes([], texts),
    "score_distributions": lambda texts: score_distributions([], [], texts),
    "forest": lambda texts: forest([], None, texts),
    "item_dumbbell": lambda texts: item_dumbbell([], texts),
    "likert_diverging": lambda texts: likert_diverging([], ["1", "2", "3"], texts),
    "participation_funnel": lambda texts: participation_funnel([], texts),
    "scale_stacked": lambda texts: scale_stacked([], ELEVEN, ("Not at all", "Completely"), texts),
}


@pytest.mark.parametrize("kind", list(TEXT_KEYS))
def test_each_chart_needs_only_the_text_keys_it_documents(kind):
    assert_renders(sample_figure(kind, NAMES, only(TEXT_KEYS[kind])))
    assert_empty(EMPTY_CALLS[kind](only(TEXT_KEYS[kind])))


@pytest.mark.parametrize("kind", list(TEXT_KEYS))
def test_every_chart_fits_a_phone(kind):
    layout = sample_figure(kind, NAMES).layout
    assert layout.autosize is True
    assert (layout.legend.orientation, layout.legend.yref, layout.legend.y) == ("h", "container", 0)
    assert layout.margin.l <= 20 and layout.margin.r <= 20
    assert layout.title.text == "Knowledge before and after"


def test_long_titles_and_labels_wrap_instead_of_overflowing():
    long_title = "Knowledge before and after the regional programme on employment counselling services"
    fig = item_dumbbell([("What does a competency-based employment counselling service offer to a job seeker "
                          "who has just lost their job?", 0.5, 0.6, False)], {**TEXTS, "title": long_title})
    assert fig.layout.title.text.count("<br>") == 2
    assert fig.layout.annotations[0].text == "What does a competency-based employment…"  # its short text
