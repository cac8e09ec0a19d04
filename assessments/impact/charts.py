"""Plotly figures of the impact report, built from plain values and already-translated texts (pure)."""
import math
import re
import textwrap
from collections import defaultdict
from functools import cache

import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import diverging, hex_to_rgb, sample_colorscale, sequential, unlabel_rgb

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency, and in greyscale by lightness.
BLUE, VERMILLION, ORANGE, GREY, BLACK = "#0072B2", "#D55E00", "#E69F00", "#999999", "#000000"
PRE_COLOUR, POST_COLOUR = ORANGE, BLUE
# How each kind of change looks in the slope chart: never colour alone, so print and colour-blind readers still tell.
CHANGE_STYLES = {
    "improved": {"color": BLUE, "dash": "solid", "symbol": "circle"},
    "unchanged": {"color": GREY, "dash": "dot", "symbol": "square"},
    "declined": {"color": VERMILLION, "dash": "dash", "symbol": "x"},
}
LIKERT_NEUTRAL_COLOUR = "#BDBDBD"  # ColorBrewer's PuOr centre is near white: invisible on a white page
LIKERT_BARGAP = 0.55  # room above each bar for its label
# ColorBrewer YlGnBu (colour-blind safe), without its palest end: a near-white segment vanishes on a white page.
SCALE_COLOURS_FROM = 0.15
KEY_SQUARE, KEY_END_WIDTH = 22, 22  # the 0–10 key: a point's square (px); characters per line of an end's words
DEFAULT_SEPARATORS = ".,"  # plotly's layout.separators: decimal mark, then thousands mark ("," + "." for Spanish)
# Characters per line: a 360 px phone fits about 42 at the title's size, 50 across the plot at the labels' size.
TITLE_WIDTH, TICK_LABEL_WIDTH, ROW_LABEL_WIDTH = 40, 22, 46
LONG_WORD = 24  # a word longer than this is broken, at this width: even 24 wide letters fit 360 px
SHORT_TEXT = 40  # an item's name on a chart: its wording cut to about this many characters (one line at 360 px)
HOVER_WIDTH, HOVER_LINES = 50, 12  # the full wording on hover, wrapped (and only cut when absurdly long)
MAX_NAMES_IN_HOVER = 8
# Config for Plotly.newPlot in the page: the width follows the container; no link to plotly's site.
PLOT_CONFIG = {"responsive": True, "displaylogo": False}

# Which keys of `texts` each function reads; every one is shown as plain text (escaped here).
TEXT_KEYS = {
    "paired_slopes": ("title", "pre", "post", "score", "improved", "unchanged", "declined", "mean", "empty"),
    "score_distributions": ("title", "pre", "post", "score", "empty"),
    "forest": ("title", "x_title", "mean_diff", "ci", "too_small", "empty"),
    "item_dumbbell": ("title", "x_title", "pre", "post", "significant", "empty"),
    "likert_diverging": ("title", "x_title", "empty"),
    "scale_stacked": ("title", "x_title", "mean", "median", "empty"),
    "participation_funnel": ("title", "empty"),
}
# JSON inside <script type="application/json">: nothing in it may close the element or read as markup.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def plain_label(text):
    """`text` as plotly shows it literally: its HTML subset (<b>, <br>, <a href>, entities) is escaped."""
    if text is None:
        return ""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure_json(fig):
    """The figure as JSON that is safe inside an HTML <script type="application/json"> element."""
    return pio.to_json(fig, pretty=False).translate(_SCRIPT_SAFE)


# --- formatting helpers -------------------------------------------------------------------------------------------

def _wrapped(text, width=TICK_LABEL_WIDTH, max_lines=2):
    """User text escaped and broken into at most `max_lines` lines of about `width` characters (… when cut).

    Lines break at ASCII spaces only, so a no-break space keeps "(n = 12)" whole.
    """
    lines, _width = _lines(text, width, max_lines)
    return "<br>".join(plain_label(line) for line in lines)


def _wrapped_with(text, suffix, width=ROW_LABEL_WIDTH, max_lines=2):
    """Like _wrapped, then `suffix` (plain text, e.g. " (n = 12)" or " *"): never cut, on the last line or the
    next one."""
    lines, width = _lines(text, width, max_lines)
    if not lines:
        return plain_label(suffix.lstrip())
    if len(lines[-1]) + len(suffix) > width:
        if len(lines) < max_lines:
            lines.append("")
            suffix = suffix.lstrip()
        else:
            lines[-1] = short_text(lines[-1], max(2, width - len(suffix)))
    return "<br>".join(plain_label(line) for line in lines[:-1] + [lines[-1] + suffix])


def _lines(text, width, max_lines):
    """(lines, width): `text` in at most `max_lines` lines of about `width` characters, narrower when a word is
    very long (a URL, a hostile label) so that no line runs off a phone."""
    text = _one_line(text)
    if any(len(word) > LONG_WORD for word in text.split(" ")):
        width = min(width, LONG_WORD)
    lines = textwrap.wrap(text, width)
    if max_lines and len(lines) > max_lines:  # the last line kept says what follows, up to "…"
        lines[max_lines - 1:] = [short_text(" ".join(lines[max_lines - 1:]), width)]
    return lines, width


def _one_line(text):
    return re.sub(r"[ \t\r\n\f\v]+", " ", "" if text is None else str(text)).strip()


def short_text(text, limit=SHORT_TEXT):
    """`text` cut at a word boundary to at most `limit` characters, "…" included (plain text, not escaped).

    When the last space comes too early (a very long word), the word itself is cut.
    """
    text = _one_line(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]  # "…" takes the place of the space (or of the character) after what is kept
    space = cut.rfind(" ")
    kept = cut[:space] if space > limit // 3 else text[:limit - 1]
    return kept.rstrip(" ,;:.?!–—-") + "…"


def _number(value, separators, digits=2, signed=False):
    """'6.3', '+0.98', '−1' or '6,3' (Spanish separators): at most `digits` decimals, trailing zeros dropped."""
    text = f"{abs(value):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    text = text.translate(str.maketrans({".": separators[0], ",": separators[1]}))
    if value < 0 and text.strip("0" + separators[0]):
        return "−" + text
    return ("+" if signed and value > 0 else "") + text


def _percent(value, separators, digits=0):
    return _number(value, separators, digits) + "%"


def _with_n(label, n):
    """'Guatemala (n = 12)', with no-break spaces so that the count never wraps away from its label."""
    return f"{'' if label is None else label}" + ("" if n is None else f" (n\u00a0=\u00a0{n})")


def _finite(value):
    """The value as a float, or None when missing or not a finite number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _finite_values(values):
    return [number for number in map(_finite, values or ()) if number is not None]


def _score_range(max_score):
    """0 to max_score with a little room so that markers at the ends are not cut in half; None → autorange."""
    if _finite(max_score) is None or max_score <= 0:
        return None
    pad = max_score * 0.04
    return [-pad, max_score + pad]


# --- layout shared by every figure ----------------------------------------------------------------------------------

# The kinds of traces drawn here. Their figures take plotly_white's look from its layout and these kinds' defaults
# only: the whole template also carries defaults for twenty other kinds, which plotly would validate and copy into
# every figure (a third of the time the report's charts take to build, and 4 KB of each chart's JSON).
TRACE_KINDS = ("scatter", "bar", "box", "funnel")


@cache
def _template():
    white = pio.templates["plotly_white"].to_plotly_json()
    return {"layout": white["layout"],
            "data": {kind: white["data"][kind] for kind in TRACE_KINDS if kind in white["data"]}}


def _layout(texts, separators, height, **extra):
    """Readable at 360 px: full-width autosize, small margins, horizontal legend under the plot."""
    title = _wrapped(texts["title"], TITLE_WIDTH, max_lines=3)
    title_lines = title.count("<br>") + 1
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "xref": "container", "pad": {"l": 10},
                  "font": {"size": 16}},
        "template": _template(), "autosize": True, "height": height + 22 * (title_lines - 1),
        "separators": separators, "font": {"size": 13},
        "margin": {"l": 10, "r": 16, "t": 36 + 22 * title_lines, "b": 10, "autoexpand": True},
        # Placed on the container, the legend pushes the bottom margin: it never covers the x axis title.
        "legend": {"orientation": "h", "xref": "container", "x": 0, "xanchor": "left",
                   "yref": "container", "y": 0, "yanchor": "bottom"},
        "hoverlabel": {"align": "left"}, "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def _empty_figure(texts, separators):
    """A figure that says there is nothing to show (instead of failing or drawing empty axes)."""
    fig = go.Figure(layout=_layout(texts, separators, height=240, showlegend=False))
    fig.add_annotation(text=_wrapped(texts["empty"], TITLE_WIDTH, max_lines=4), showarrow=False,
                       xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14, "color": "#555555"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _row_axis(fig, labels):
    """Rows top to bottom in the given order, on numeric positions: equal or number-like labels never merge."""
    fig.update_yaxes(tickvals=list(range(len(labels))), ticktext=labels, autorange="reversed",
                     automargin=True, showgrid=False, zeroline=False)


def _labels_above_rows(fig, labels, half_height, shift=3):
    """Each row's label above it across the whole width (long item texts stay readable at 360 px).

    Rows sit at 0, 1, 2 … top to bottom; a label starts `half_height` rows above its row's centre (the top of
    the bar) plus `shift` pixels.
    """
    added = [{"text": label, "x": 0, "xref": "paper", "xanchor": "left", "y": position - half_height, "yref": "y",
              "yanchor": "bottom", "yshift": shift, "align": "left", "showarrow": False,
              "bgcolor": "rgba(255,255,255,0.85)"} for position, label in enumerate(labels)]
    fig.update_layout(annotations=[*fig.layout.annotations, *added])  # at once: plotly checks them all on each add
    fig.update_yaxes(range=[len(labels) - 1 + 0.45, -0.95], showticklabels=False, showgrid=False, zeroline=False)


def _percent_ticks(low, high, step):
    ticks = list(range(low, high + 1, step))
    return {"tickvals": ticks, "ticktext": [f"{abs(tick)}%" for tick in ticks]}


# --- 1. paired slopes -----------------------------------------------------------------------------------------------

def change_of(pre, post):
    """'improved', 'unchanged' or 'declined' (post − pre, rounded so that float noise is no change)."""
    difference = round(post - pre, 9)
    return "improved" if difference > 0 else "declined" if difference < 0 else "unchanged"


def _hover_for_shared_lines(pairs, texts, separators):
    """One hover text per (pre, post): the names of everyone drawn on that very line, then the two scores."""
    names = defaultdict(list)
    for label, pre, post in pairs:
        names[(pre, post)].append(plain_label(label))
    hover = {}
    for (pre, post), people in names.items():
        shown = "<br>".join(people[:MAX_NAMES_IN_HOVER])
        more = f"<br>(+{len(people) - MAX_NAMES_IN_HOVER})" if len(people) > MAX_NAMES_IN_HOVER else ""
        hover[(pre, post)] = (f"{shown}{more}<br>{plain_label(texts['pre'])}: {_number(pre, separators)}"
                              f" → {plain_label(texts['post'])}: {_number(post, separators)}")
    return hover


def _slope_trace(change, pairs, hover, texts, rank):
    style = CHANGE_STYLES[change]
    x, y, hovertext = [], [], []
    for _label, pre, post in pairs:
        x += [0, 1, None]
        y += [pre, post, None]
        hovertext += [hover[(pre, post)]] * 2 + [""]
    return go.Scatter(
        x=x, y=y, mode="lines+markers", name=f"{plain_label(texts[change])} ({len(pairs)})",
        legendgroup=change, legendrank=rank, opacity=0.55, hovertext=hovertext, hoverinfo="text",
        line={"color": style["color"], "dash": style["dash"], "width": 1.5},
        marker={"color": style["color"], "symbol": style["symbol"], "size": 7})


def paired_slopes(pairs, texts, *, max_score=None, separators=DEFAULT_SEPARATORS):
    """One line per participant from pre-test to post-test, by kind of change, with the two means in bold.

    `pairs`: (label, pre, post) scores; pairs with a missing score are left out. Texts: TEXT_KEYS["paired_slopes"]
    ("improved", "unchanged" and "declined" become legend names followed by their counts).
    """
    complete = [(label, pre, post) for label, pre, post in
                ((label, _finite(pre), _finite(post)) for label, pre, post in pairs or ())
                if pre is not None and post is not None]
    if not complete:
        return _empty_figure(texts, separators)
    hover = _hover_for_shared_lines(complete, texts, separators)
    fig = go.Figure(layout=_layout(texts, separators, height=440))
    for rank, change in enumerate(CHANGE_STYLES, start=1):
        group = [pair for pair in complete if change_of(pair[1], pair[2]) == change]
        fig.add_trace(_slope_trace(change, group, hover, texts, rank))
    mean_pre = sum(pair[1] for pair in complete) / len(complete)
    mean_post = sum(pair[2] for pair in complete) / len(complete)
    mean_hover = (f"{plain_label(texts['mean'])}<br>{plain_label(texts['pre'])}: {_number(mean_pre, separators)}"
                  f" → {plain_label(texts['post'])}: {_number(mean_post, separators)}")
    fig.add_trace(go.Scatter(
        x=[0, 1], y=[mean_pre, mean_post], mode="lines+markers", name=plain_label(texts["mean"]),
        legendgroup="mean", legendrank=4, line={"color": BLACK, "width": 5},
        marker={"color": BLACK, "symbol": "diamond", "size": 13}, hovertext=[mean_hover] * 2, hoverinfo="text"))
    fig.update_xaxes(tickvals=[0, 1], ticktext=[plain_label(texts["pre"]), plain_label(texts["post"])],
                     range=[-0.12, 1.12], showgrid=False, zeroline=False)
    fig.update_yaxes(title={"text": plain_label(texts["score"])}, range=_score_range(max_score), zeroline=False)
    return fig


# --- 2. score distributions -----------------------------------------------------------------------------------------

def score_distributions(pre, post, texts, max_score=None, *, separators=DEFAULT_SEPARATORS):
    """Pre-test and post-test scores side by side: box (with the mean dashed) and every score as a point.

    `pre`, `post`: scores (None is left out); the y axis runs from 0 to `max_score` when given.
    Texts: TEXT_KEYS["score_distributions"] (the names carry n).
    """
    samples = {"pre": _finite_values(pre), "post": _finite_values(post)}
    if not samples["pre"] and not samples["post"]:
        return _empty_figure(texts, separators)
    fig = go.Figure(layout=_layout(texts, separators, height=420, showlegend=False))
    for key, colour, symbol in (("pre", PRE_COLOUR, "circle"), ("post", POST_COLOUR, "diamond")):
        fig.add_trace(go.Box(
            y=samples[key], name=plain_label(_with_n(texts[key], len(samples[key]))), legendgroup=key,
            boxpoints="all", jitter=0.5, pointpos=0, boxmean=True, fillcolor="rgba(0,0,0,0)",
            line={"color": colour, "width": 2}, marker={"color": colour, "symbol": symbol, "size": 6,
                                                          "opacity": 0.6}))
    fig.update_xaxes(type="category", showgrid=False)
    fig.update_yaxes(title={"text": plain_label(texts["score"])}, range=_score_range(max_score),
                     rangemode="tozero", zeroline=False)
    return fig


# --- 3. forest plot -------------------------------------------------------------------------------------------------

def _forest_hover(row, texts, separators):
    label, n, mean_diff, low, high = row
    return (f"{plain_label(_with_n(label, n))}<br>{plain_label(texts['mean_diff'])}: "
            f"{_number(mean_diff, separators, signed=True)}<br>{plain_label(texts['ci'])}: "
            f"{_number(low, separators)} – {_number(high, separators)}")


def _interval_traces(rows, positions, texts, separators, colour, overall):
    """The CI segments (one trace, gaps between rows) and the mean markers of `rows` at `positions`."""
    x, y, hovertext, means = [], [], [], []
    for row, position in zip(rows, positions, strict=True):
        x += [row[3], row[4], None]
        y += [position, position, None]
        hover = _forest_hover(row, texts, separators)
        hovertext += [hover, hover, ""]
        means.append((row[2], position, hover))
    group = "overall" if overall else "rows"
    yield go.Scatter(x=x, y=y, mode="lines", line={"color": colour, "width": 5 if overall else 3},
                     hovertext=hovertext, hoverinfo="text", legendgroup=group, showlegend=False)
    yield go.Scatter(x=[m[0] for m in means], y=[m[1] for m in means], mode="markers",
                     marker={"color": colour, "symbol": "diamond" if overall else "square",
                             "size": 15 if overall else 10, "line": {"color": "white", "width": 1}},
                     hovertext=[m[2] for m in means], hoverinfo="text", legendgroup=group, showlegend=False)


def _has_interval(row):
    return all(_finite(value) is not None for value in row[2:5])


def _forest_range(rows):
    values = [0.0] + [float(value) for row in rows if _has_interval(row) for value in row[2:5]]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or 1.0
    return [low - pad, high + pad]


def forest(rows, overall, texts, *, separators=DEFAULT_SEPARATORS):
    """Mean difference (post − pre) with its confidence interval per subgroup, and overall, around a zero line.

    `rows`, `overall`: (label, n, mean_diff, ci_low, ci_high); `overall` may be None. A row whose interval is
    None is written texts["too_small"] instead of drawn. Texts: TEXT_KEYS["forest"].
    """
    entries = list(rows or ()) + ([overall] if overall else [])
    if not entries:
        return _empty_figure(texts, separators)
    positions = list(range(len(entries)))
    if overall:
        positions[-1] += 0.5  # a little gap sets the overall result apart from the subgroups
    fig = go.Figure(layout=_layout(texts, separators, height=150 + 38 * len(entries), showlegend=False))
    subgroups = len(entries) - (1 if overall else 0)
    for is_overall, part in ((False, slice(0, subgroups)), (True, slice(subgroups, None))):
        drawn = [(row, pos) for row, pos in zip(entries[part], positions[part], strict=True) if _has_interval(row)]
        if drawn:
            colour = BLACK if is_overall else BLUE
            fig.add_traces(list(_interval_traces(*zip(*drawn, strict=True), texts, separators, colour, is_overall)))
    for row, position in zip(entries, positions, strict=True):
        if not _has_interval(row):
            fig.add_annotation(text=plain_label(texts["too_small"]), x=0.5, xref="paper", y=position, yref="y",
                               showarrow=False, font={"color": "#555555"}, bgcolor="rgba(255,255,255,0.9)")
    fig.add_vline(x=0, line={"color": "#444444", "width": 1.5, "dash": "dot"})
    fig.update_xaxes(title={"text": plain_label(texts["x_title"])}, range=_forest_range(entries), zeroline=False)
    fig.update_yaxes(tickvals=positions, ticktext=[_wrapped(_with_n(row[0], row[1])) for row in entries],
                     range=[positions[-1] + 0.7, -0.7], automargin=True, showgrid=False, zeroline=False)
    return fig


# --- 4. item facility dumbbell --------------------------------------------------------------------------------------

def _dumbbell_connectors(rows, positions):
    """Pre → post segments: rises solid blue, falls dashed vermillion (colour and line style both tell)."""
    segments = {"rose": ([], [], BLUE, "solid"), "fell": ([], [], VERMILLION, "dash")}
    for (_label, pre, post, _significant), position in zip(rows, positions, strict=True):
        if pre is None or post is None or pre == post:
            continue
        x, y, _colour, _dash = segments["rose" if post > pre else "fell"]
        x += [pre, post, None]
        y += [position, position, None]
    for name, (x, y, colour, dash) in segments.items():
        if x:
            yield go.Scatter(x=x, y=y, mode="lines", line={"color": colour, "dash": dash, "width": 3},
                             hoverinfo="skip", showlegend=False, legendgroup=name)


def _dumbbell_hover(label, pre, post, significant, texts, separators):
    lines = [_wrapped(label, HOVER_WIDTH, HOVER_LINES)]
    for key, value in (("pre", pre), ("post", post)):
        lines.append(f"{plain_label(texts[key])}: {'–' if value is None else _percent(value, separators)}")
    if significant:
        lines.append(plain_label(texts["significant"]))
    return "<br>".join(lines)


def _dumbbell_markers(rows, positions, texts, separators):
    """Pre markers (orange diamonds), post markers (blue circles: filled when the change is significant)."""
    hover = [_dumbbell_hover(*row, texts, separators) for row in rows]
    markers = {"pre": {"color": PRE_COLOUR, "symbol": "diamond", "size": 11},
               "post": {"color": POST_COLOUR, "symbol": "circle-open", "size": 12, "line": {"width": 2.5}},
               "significant": {"color": POST_COLOUR, "symbol": "circle", "size": 12}}
    kinds = (("pre", 1, 1, lambda row: True), ("post", 2, 2, lambda row: not row[3]),
             ("significant", 2, 3, lambda row: row[3]))
    for name, column, rank, keep in kinds:
        chosen = [i for i, row in enumerate(rows) if keep(row) and row[column] is not None]
        if chosen:
            yield go.Scatter(
                x=[rows[i][column] for i in chosen], y=[positions[i] for i in chosen], mode="markers",
                name=plain_label(texts[name]) + (" *" if name == "significant" else ""), legendgroup=name,
                legendrank=rank, marker=markers[name], hovertext=[hover[i] for i in chosen], hoverinfo="text")


def item_dumbbell(rows, texts, *, separators=DEFAULT_SEPARATORS):
    """Facility (% correct) of each item before and after, in the order given; significant items marked.

    `rows`: (label, facility_pre, facility_post, significant), facilities from 0 to 1 (None when not asked).
    Each item is named by its short text (short_text), the full text on hover. Significant items get a filled
    post marker and " *" after their name (added after the cut, so never cut off). Texts:
    TEXT_KEYS["item_dumbbell"] (texts["significant"] names the filled marker, e.g. "Post-test, significant change").
    """
    rows = [(label, _percent_of(pre), _percent_of(post), bool(significant))
            for label, pre, post, significant in rows or ()]
    if not any(pre is not None or post is not None for _label, pre, post, _sig in rows):
        return _empty_figure(texts, separators)
    positions = list(range(len(rows)))
    fig = go.Figure(layout=_layout(texts, separators, height=230 + 56 * len(rows)))
    fig.add_traces(list(_dumbbell_connectors(rows, positions)))
    fig.add_traces(list(_dumbbell_markers(rows, positions, texts, separators)))
    _labels_above_rows(fig, [_wrapped_with(short_text(label), "\u00a0*" if significant else "")
                             for label, _pre, _post, significant in rows], half_height=0, shift=9)
    fig.update_xaxes(title={"text": plain_label(texts["x_title"])}, range=[-4, 104], zeroline=False,
                     automargin=True, **_percent_ticks(0, 100, 25))
    return fig


def _percent_of(facility):
    value = _finite(facility)
    return None if value is None else value * 100


# --- 5. diverging Likert bars ---------------------------------------------------------------------------------------

def likert_colours(points):
    """ColorBrewer PuOr (colour-blind safe): disagreement orange, agreement purple, the neutral point grey."""
    if points == 1:
        return [LIKERT_NEUTRAL_COLOUR]
    colours = sample_colorscale(diverging.PuOr, [i / (points - 1) for i in range(points)])
    if points % 2:
        colours[points // 2] = LIKERT_NEUTRAL_COLOUR
    return colours


def likert_segments(counts):
    """Signed percentages of respondents per point, for bars stacked outwards from zero.

    Points below the middle go left (negative), above it right; with an odd number of points the neutral one is
    split half left, half right, so that the bar is centred on neutral. Returns [(point index, signed %), …],
    nearest to zero first — the order plotly stacks relative bars in.
    """
    total = sum(counts)
    share = [100 * count / total if total else 0.0 for count in counts]
    points, middle = len(counts), len(counts) // 2
    segments = []
    if points % 2:
        segments += [(middle, -share[middle] / 2), (middle, share[middle] / 2)]
    for distance in range(1, middle + 1):
        left, right = middle - distance, (points + 1) // 2 + distance - 1
        segments += [(left, -share[left]), (right, share[right])]
    return segments


def _likert_axis(fig, segments):
    """Symmetric around 0 %, as far as the longest side of any bar (in tens), ticks without a sign."""
    extent = max(max(sum(-x for _point, x in row if x < 0), sum(x for _point, x in row if x > 0)) for row in segments)
    extent = min(100, max(10, math.ceil(extent / 10) * 10))
    step = 50 if extent > 50 else 25 if extent > 20 else 10  # five ticks at most: they must fit in 360 px
    pad = extent * 0.04  # so that the end ticks' labels are not clipped
    fig.update_xaxes(range=[-extent - pad, extent + pad], zeroline=True, zerolinecolor=BLACK, zerolinewidth=1.5,
                     automargin=True, ticklabeloverflow="allow",
                     **_percent_ticks(-(extent // step) * step, extent, step))


def likert_diverging(rows, point_labels, texts, *, separators=DEFAULT_SEPARATORS):
    """Diverging stacked bars of Likert answers, % of each row's respondents, centred on the neutral point.

    `rows`: (label, counts) with one count per point 1..k; `point_labels`: the k scale labels (disagreement
    first). The neutral point of an odd scale is split half on each side (see likert_segments).
    Texts: TEXT_KEYS["likert_diverging"]. Raises ValueError when a row has not k counts.
    """
    rows = [(label, [int(count or 0) for count in counts]) for label, counts in rows or ()]
    if any(len(counts) != len(point_labels or ()) for _label, counts in rows):
        raise ValueError("every row needs one count per scale point")
    if not any(sum(counts) for _label, counts in rows):
        return _empty_figure(texts, separators)
    colours = likert_colours(len(point_labels))
    segments = [likert_segments(counts) for _label, counts in rows]
    fig = go.Figure(layout=_layout(texts, separators, height=260 + 72 * len(rows), barmode="relative",
                                   bargap=LIKERT_BARGAP, uniformtext={"minsize": 10, "mode": "hide"}))
    fig.add_traces([_likert_trace(rows, segments, order, point_labels, colours, separators)
                    for order in range(len(segments[0]))])
    _labels_above_rows(fig, [_wrapped_with(label, _with_n("", sum(counts))) for label, counts in rows],
                       half_height=(1 - LIKERT_BARGAP) / 2)
    _likert_axis(fig, segments)
    fig.update_xaxes(title={"text": plain_label(texts["x_title"])})
    return fig


def _likert_trace(rows, segments, order, point_labels, colours, separators):
    """The bar segment number `order` (from zero outwards) of every row: one scale point, or half the neutral."""
    point = segments[0][order][0]
    is_second_half = order > 0 and segments[0][order - 1][0] == point
    is_neutral_half = is_second_half or (order + 1 < len(segments[0]) and segments[0][order + 1][0] == point)
    x = [row_segments[order][1] for row_segments in segments]
    full = [100 * counts[point] / sum(counts) if sum(counts) else 0.0 for _label, counts in rows]
    hover = [_point_hover(label, point_labels[point], share, counts[point], separators)
             for (label, counts), share in zip(rows, full, strict=True)]
    return go.Bar(
        x=x, y=list(range(len(rows))), orientation="h", name=plain_label(point_labels[point]),
        legendgroup=f"point{point + 1}", legendrank=point + 1, showlegend=not is_second_half,
        marker={"color": colours[point], "line": {"color": "white", "width": 1}},
        text=None if is_neutral_half else [_percent(share, separators) if share else "" for share in full],
        textposition="inside", insidetextanchor="middle", textangle=0,
        textfont={"color": "white" if _is_dark(colours[point]) else BLACK},
        hovertext=hover, hoverinfo="text")


def _point_hover(label, point_label, share, count, separators):
    """The question's full wording, then one point's share and count: "Useful<br>Agree: 30% (3)"."""
    return (f"{_wrapped(label, HOVER_WIDTH, HOVER_LINES)}<br>{plain_label(point_label)}: "
            f"{_percent(share, separators, 1)} ({count})")


def _is_dark(colour):
    """Whether white text reads better than black on `colour` ('#rrggbb' or 'rgb(r, g, b)')."""
    red, green, blue = hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue < 140


# --- 6. 0–10 scales: 100% stacked bars --------------------------------------------------------------------------

def scale_colours(points):
    """ColorBrewer YlGnBu (colour-blind safe, ordered by lightness): the lowest point palest, the highest darkest."""
    if points == 1:
        return [BLUE]
    return sample_colorscale(sequential.YlGnBu, [SCALE_COLOURS_FROM + (1 - SCALE_COLOURS_FROM) * i / (points - 1)
                                                 for i in range(points)])


def _mean_and_median(counts, values):
    """Mean and median of the answers, from how many chose each point (None, None when nobody answered)."""
    answers = [value for value, count in zip(values, counts, strict=True) for _ in range(count)]
    if not answers:
        return None, None
    middle = len(answers) // 2
    median = answers[middle] if len(answers) % 2 else (answers[middle - 1] + answers[middle]) / 2
    return sum(answers) / len(answers), median


def _scale_label(label, counts, values, texts, separators):
    """The question (with n) above its bar, then its mean and median: the answers' centre in numbers."""
    mean, median = _mean_and_median(counts, values)
    question = _wrapped_with(label, _with_n("", sum(counts)))
    if mean is None:
        return question
    return (f"{question}<br>{plain_label(texts['mean'])}: {_number(mean, separators, 1)} · "
            f"{plain_label(texts['median'])}: {_number(median, separators, 1)}")


def point_names(points, end_labels):
    """The names of a scale's points when only its ends have words: "0 · Not at all", "1", …, "10 · Completely"."""
    names = [str(point) for point in points]
    for index, label in ((0, end_labels[0]), (-1, end_labels[-1])):
        if names and label:
            names[index] = f"{names[index]} · {label}"
    return names


def scale_stacked(rows, points, end_labels, texts, *, separators=DEFAULT_SEPARATORS):
    """One 100% stacked bar per question of a 0–10 (unipolar) scale, a sequential colour per point, with each
    question's mean and median written under its wording.

    `rows`: (label, counts) with one count per point; `points`: the points' numbers, lowest first ("0" … "10");
    `end_labels`: the words of the lowest and the highest point. A key above the bars (a numbered square per
    point, the ends' words under the first and the last) stands for the legend: eleven long legend entries do
    not fit a phone. Texts: TEXT_KEYS["scale_stacked"]. Raises ValueError when a row has not one count per point.
    """
    points = [str(point) for point in points or ()]
    names = point_names(points, end_labels)
    rows = [(label, [int(count or 0) for count in counts]) for label, counts in rows or ()]
    if any(len(counts) != len(points) for _label, counts in rows):
        raise ValueError("every row needs one count per scale point")
    if not any(sum(counts) for _label, counts in rows):
        return _empty_figure(texts, separators)
    colours = scale_colours(len(points))
    fig = go.Figure(layout=_layout(texts, separators, height=190 + 96 * len(rows), barmode="stack",
                                   bargap=LIKERT_BARGAP, uniformtext={"minsize": 10, "mode": "hide"},
                                   showlegend=False))
    fig.add_traces([_scale_trace(rows, point, name, colour, separators)
                    for point, (name, colour) in enumerate(zip(names, colours, strict=True))])
    values = [float(point) for point in points]
    _labels_above_rows(fig, [_scale_label(label, counts, values, texts, separators) for label, counts in rows],
                       half_height=(1 - LIKERT_BARGAP) / 2)
    fig.update_yaxes(range=[len(rows) - 1 + 0.45, -0.95])  # room for three lines above the first bar
    fig.update_xaxes(title={"text": plain_label(texts["x_title"])}, range=[0, 100], zeroline=False,
                     automargin=True, ticklabeloverflow="allow", **_percent_ticks(0, 100, 25))
    _scale_key(fig, points, end_labels, colours)
    return fig


def _scale_key(fig, points, end_labels, colours):
    """The key between the title and the bars: a numbered square per point in its colour, the ends' words under
    the first and the last square. Placed in pixels above the plot, so it looks the same whatever the rows."""
    ends = [_wrapped(label, KEY_END_WIDTH, 2) for label in end_labels]
    end_lines = max(end.count("<br>") + 1 if end else 0 for end in ends)
    labels_top = 6 + 16 * end_lines  # pixels above the plot: the ends' words, then the squares above them
    squares = labels_top + 4
    count = len(points)
    shapes, notes = [], []
    for index, (point, colour) in enumerate(zip(points, colours, strict=True)):
        shapes.append({"type": "rect", "xref": "paper", "x0": index / count + 0.002, "x1": (index + 1) / count - 0.002,
                       "yref": "paper", "ysizemode": "pixel", "yanchor": 1, "y0": squares,
                       "y1": squares + KEY_SQUARE, "fillcolor": colour, "line": {"width": 0}})
        notes.append({"text": plain_label(point), "x": (index + 0.5) / count, "xref": "paper", "y": 1,
                      "yref": "paper", "yshift": squares + KEY_SQUARE / 2, "yanchor": "middle", "showarrow": False,
                      "font": {"size": 12, "color": "white" if _is_dark(colour) else BLACK}})
    for end, x, anchor in ((ends[0], 0, "left"), (ends[-1], 1, "right")):
        if end:
            notes.append({"text": end, "x": x, "xref": "paper", "xanchor": anchor, "align": anchor, "y": 1,
                          "yref": "paper", "yshift": labels_top, "yanchor": "top", "showarrow": False,
                          "font": {"size": 12}})
    # At once: plotly checks every shape and annotation again on each one added.
    fig.update_layout(shapes=[*fig.layout.shapes, *shapes], annotations=[*fig.layout.annotations, *notes])
    key = squares + KEY_SQUARE + 6
    fig.update_layout(margin_t=fig.layout.margin.t + key, title={"y": 1, "yref": "container", "yanchor": "top",
                                                                  "pad": {"t": 14, "l": 10}})
    fig.update_layout(height=fig.layout.height + key)


def _scale_trace(rows, point, name, colour, separators):
    """Point number `point` of every row: its share of the row's respondents."""
    shares = [100 * counts[point] / sum(counts) if sum(counts) else 0.0 for _label, counts in rows]
    hover = [_point_hover(label, name, share, counts[point], separators)
             for (label, counts), share in zip(rows, shares, strict=True)]
    return go.Bar(
        x=shares, y=list(range(len(rows))), orientation="h", name=plain_label(name),
        legendgroup=f"point{point}", legendrank=point + 1,
        marker={"color": colour, "line": {"color": "white", "width": 1}},
        text=[_percent(share, separators) if share else "" for share in shares], textposition="inside",
        insidetextanchor="middle", textangle=0, textfont={"color": "white" if _is_dark(colour) else BLACK},
        hovertext=hover, hoverinfo="text")


# --- 7. participation funnel ----------------------------------------------------------------------------------------

def participation_funnel(stages, texts, *, separators=DEFAULT_SEPARATORS):
    """How many participants reached each stage (registered, took the pre-test, the post-test, both).

    `stages`: (label, count), widest first; each bar reads "count (share of the first stage)".
    Texts: TEXT_KEYS["participation_funnel"].
    """
    stages = [(label, int(count or 0)) for label, count in stages or ()]
    if not any(count for _label, count in stages):
        return _empty_figure(texts, separators)
    first = stages[0][1]
    texts_in_bars = [_number(count, separators, 0) + (f" ({_percent(100 * count / first, separators)})" if first
                                                      else "") for _label, count in stages]
    labels = [_wrapped(label) for label, _count in stages]
    fig = go.Figure(layout=_layout(texts, separators, height=140 + 56 * len(stages), showlegend=False))
    fig.add_trace(go.Funnel(
        y=list(range(len(stages))), x=[count for _label, count in stages], text=texts_in_bars,
        textinfo="text", textposition="auto", marker={"color": BLUE}, connector={"fillcolor": "#DCE9F2"},
        hovertext=[f"{label}<br>{text}" for label, text in zip(labels, texts_in_bars, strict=True)], hoverinfo="text"))
    _row_axis(fig, labels)
    return fig
