"""The impact report's PDF summary (assessments/impact_pdf.py): real figures in the reader's number format,
literal text whatever the data holds, charts placed when given, and a report with no pairs still renders."""
import io
import re
import socket
import struct
import zlib

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from assessments.impact import report as impact
from assessments.impact.pdf import MARGIN, TEXT_KEYS, summary_pdf
from assessments.impact.report import Item, Respondent, TakenTest
from assessments.question_types import QuestionSpec

CHOICE = QuestionSpec("single_choice", ("a", "b"), ("b",), 1.0, True)
LIKERT = QuestionSpec("likert", (), (), 0.0, False)
PAYLOAD = '<font color="[[[getattr(pow, Word(\'__globals__\'))[\'os\'].system(\'true\')]]]">exploit</font>'
IMG = '<img src="http://127.0.0.1:9/x.png" width="9"/>'
COUNTRIES = {"MX": "México", "GT": "Guatemala <b>y & </para>"}

# Pre and post scores out of 4 (the first `score` items right) of the 14 participants who take both tests:
# every one improves, so the paired t-test's p is far below 0.001.
PRE = [0, 1, 0, 1, 2, 0, 1, 0, 1, 2, 1, 0, 1, 2]
POST = [3, 3, 2, 4, 4, 3, 3, 2, 4, 4, 3, 3, 2, 3]


def _report(with_post=True):
    pre_items = tuple(Item(index, f"K{index}", "knowledge", CHOICE, {"es": f"Pregunta {index}", "en": f"Q {index}"})
                      for index in range(1, 5))
    pre_items = (Item(1, "K1", "knowledge", CHOICE, {"es": "¿<b>Quién</b> & <i>cuándo?", "en": "Who?"}),
                 *pre_items[1:])
    post_items = (*(Item(10 + index, f"K{index}", "knowledge", CHOICE) for index in range(1, 5)),
                  Item(20, None, "satisfaction", LIKERT, {"es": f"Me gustó {PAYLOAD}"}))
    people = [Respondent(n, "MX" if n <= 12 else "GT", "female", "other") for n in range(1, 16)]

    def answers(score, offset):
        return {offset + index: "b" if index <= score else "a" for index in range(1, 5)}
    pre = TakenTest(pre_items, {n: answers(score, 0) for n, score in enumerate(PRE, 1)} | {15: answers(1, 0)})
    post = TakenTest(post_items if with_post else (), {
        n: answers(score, 10) | {20: "5" if n % 3 else "3"} for n, score in enumerate(POST, 1)} if with_post else {})
    return impact.report(people, pre, post)


def _texts(**changes):
    texts = {key: key.replace("_", " ").capitalize() for key in TEXT_KEYS}
    texts.update({
        "findings": ["Entre las 14 personas que hicieron ambas pruebas, el puntaje subió de 0,9 a 3,1 sobre 4.",
                     f"Texto de usuario: {PAYLOAD} {IMG} <b>sin cerrar & &amp; &nbsp;"],
        "page": "Página %(page)s de %(pages)s", "heading_items": "Preguntas <i>", "pairs": "Pares",
        "country": "País", "small_n": "n pequeña", "empty_pairs": "Nadie ha hecho ambas pruebas todavía.",
        "empty_items": "Las pruebas no comparten preguntas de conocimiento.",
        "methods": "Diferencias: final menos inicial.\nMcNemar exacta por pregunta.",
    })
    texts.update(changes)
    return texts


def _render(report=None, language="es", **options):
    options.setdefault("title", "Informe de impacto")
    options.setdefault("group_name", lambda attribute, value: COUNTRIES.get(value, value))
    texts = options.pop("texts", None) or _texts()
    return summary_pdf(_report() if report is None else report, texts, language, "es", **options)


def _pages_and_text(data):
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_summary_shows_the_findings_and_the_real_figures_in_spanish():
    data = _render(subtitle="CRM-CE-2021 · todos los países", texts=_texts(date="3 de mayo de 2025"))
    assert data.startswith(b"%PDF")
    pages, text = _pages_and_text(data)
    assert "Entre las 14 personas que hicieron ambas pruebas, el puntaje subió de 0,9 a 3,1 sobre 4." in text
    assert "CRM-CE-2021 · todos los países" in text and "3 de mayo de 2025" in text
    assert "Pares 14" in text  # the paired sample
    # K1 right before for the 9 whose pre score is at least 1 of 14: 64.3 %; K4 right after for 4 of 14: 28.6 %.
    assert "64,3 %" in text and "100,0 %" in text and "28,6 %" in text
    assert "< 0,001" in text and "< 0.001" not in text
    assert "+2,21" in text  # mean change: 31 points gained by 14 people
    assert "México" in text and "n pequeña" in text  # Guatemala has 2 pairs: a small n
    assert f"Página 1 de {pages}" in text and f"Página {pages} de {pages}" in text
    assert "Diferencias: final menos inicial. McNemar exacta por pregunta." in text


def test_english_uses_the_decimal_point_and_the_english_question_texts():
    _pages, text = _pages_and_text(_render(language="en"))
    assert "64.3 %" in text and "< 0.001" in text and "+2.21" in text
    assert "Who?" in text and "Quién" not in text


def test_markup_in_user_text_is_printed_literally_without_network(monkeypatch):
    def no_network(*_args, **_kwargs):
        raise AssertionError("the PDF must not reach the network")
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    data = _render(title=f"Programa <b>{IMG}", subtitle="A & B <br/> </para>",
                   texts=_texts(versions={"reportlab <i>": "4 & 5"}))
    _pages, text = _pages_and_text(data)
    for literal in (PAYLOAD, IMG, "<b>sin cerrar & &amp; &nbsp;", f"Programa <b>{IMG}", "A & B <br/> </para>",
                    "¿<b>Quién</b> & <i>cuándo?", "Guatemala <b>y & </para>", "Preguntas <i>",
                    "reportlab <i> 4 & 5", f"Me gustó {PAYLOAD}"):
        assert literal in text, literal
    assert "exploit" in text and not re.search(rb"/Subtype\s*/Image", data)


def test_a_missing_text_is_named():
    texts = _texts()
    del texts["heading_items"], texts["page"]
    with pytest.raises(KeyError, match="heading_items.*page"):
        _render(texts=texts)


def _png(width, height):
    """A real (tiny) PNG, written by hand: 8-bit RGB, one filter byte per row."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\x00" + b"\x0b\x5a\x75" * width for _row in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _placed_images(data):
    """(width, height) in points of every image drawn, read from the pages' content streams."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        images = {name for name, ref in xobjects.items() if ref.get_object()["/Subtype"] == "/Image"}
        content = page.get_contents().get_data().decode("latin-1")
        for width, height, name in re.findall(r"([\d.]+) 0 0 ([\d.]+) [\d.-]+ [\d.-]+ cm\s*(/\S+) Do", content):
            if name in images:
                found.append((float(width), float(height)))
    return found


def test_charts_given_are_placed_at_the_frame_width_keeping_their_proportions():
    frame = A4[0] - 2 * MARGIN
    assert _placed_images(_render()) == []
    placed = _placed_images(_render(charts={"slopes": _png(40, 20), "forest": _png(30, 30), "unknown": _png(5, 5)}))
    assert len(placed) == 2
    assert all(width == pytest.approx(frame, abs=0.1) for width, _height in placed)
    assert sorted(round(height / width, 3) for width, height in placed) == [0.5, 1.0]


def test_a_very_tall_chart_is_shrunk_to_fit_a_page():
    (placed,) = _placed_images(_render(charts={"items": _png(10, 200)}))
    assert placed[1] < A4[1] - 2 * MARGIN and placed[1] / placed[0] == pytest.approx(20, rel=0.01)


def test_a_report_with_no_pairs_still_renders():
    report = _report(with_post=False)
    assert report["knowledge"]["n_pairs"] == 0
    _pages, text = _pages_and_text(_render(report, texts=_texts(findings=[])))
    assert "Nadie ha hecho ambas pruebas todavía." in text
    assert "Las pruebas no comparten preguntas de conocimiento." in text
    assert "México 0 — — — n pequeña" in text  # the country table, figures not computable
    nobody = impact.report([], TakenTest((), {}), TakenTest((), {}))
    _pages, text = _pages_and_text(_render(nobody, texts=_texts(findings=[])))
    assert "Heading findings — " in text and "Participation none 0 0 0 0 0 0 0" in text
    assert "Heading countries Nadie ha hecho ambas pruebas todavía." in text and "Empty likert" in text


def test_long_texts_wrap_or_are_cut_so_rows_stay_short():
    report = _report()
    report["items"][1]["text"] = {"es": "Una pregunta muy larga " * 60}
    report["items"][2]["text"] = {"es": "X" * 3000}
    report["likert"][0]["questions"] *= 40  # a table longer than a page
    long_name = "Organización regional de " * 15  # 375 characters: agenda_pdf cuts cells past 400
    pages, text = _pages_and_text(_render(report, title="Título largo " * 30,
                                group_name=lambda attribute, value: long_name if value == "GT" else value))
    assert pages >= 3
    assert "Una pregunta muy larga Una pregunta" in text and "larga " * 20 not in text and "…" in text
    assert "X" * 3000 not in text
    assert " ".join(long_name.split()) in text  # a long name wraps, whole
