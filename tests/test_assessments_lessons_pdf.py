"""A lesson's PDF in the shape of seed 004 (pure layout), and the library's search words (pure)."""
import io
import subprocess

import pytest
from pypdf import PdfReader

from assessments.lessons.layout import LABEL_KEYS, LessonDocument
from assessments.lessons.library import entry, filtered, like_pattern, options, terms
from assessments.lessons.pdf import lesson_pdf

# The seed's labels, as the Spanish catalog gives them (documents.LABELS).
LABELS = {
    "area": "Área a la que corresponde", "code": "Código", "finding": "Hallazgo",
    "description": "Descripción de la lección", "context": "Contexto y condiciones previas relacionadas",
    "goals": "Metas del proyecto", "beneficiaries": "Beneficiarios", "sdgs": "Relación con ODS",
    "gcm": "Relación con el Pacto Mundial para la Migración Segura", "principles": "Principios rectores",
    "objectives": "Objetivos", "kind": "Tipo de lección", "positive": "Lección positiva",
    "negative": "Lección negativa", "successes": "Éxito / Cuestiones positivas",
    "challenges": "Desafíos, dificultades, problemas", "learned": "Lección aprendida",
    "not_learned": "Lección no aprendida", "territory": "Territorio", "actors": "Actores involucrados",
    "actors_hint": "(ONG, Gobierno, Empresa)", "added_value": "Factores diferenciadores",
    "added_value_hint": "(Valor agregado)", "effectiveness": "Efectividad", "important": "Importante",
    "useful": "Útil", "equitable": "Equitativo", "economic": "Económico", "keywords": "Palabras clave",
    "page": "Página %(page)s de %(pages)s",
}
SEED = {
    "area": "Inclusión económica y social",
    "finding": "Las redes de apoyo entre los y las participantes de los procesos de capacitación crean entornos de "
               "apoyo mutuo para solventar problemas en el mediano plazo.",
    "territory": "Quito, Manta, Tulcán, Cuenca, Guayaquil, Machala e Ibarra.",
    "learned": "LA2_ISE: Se fomenta la creación de redes de apoyo y equipos de trabajo.",
    "economic": "La creación de las redes de apoyo no tiene un impacto económico en el proyecto.",
    "keywords": "Red de apoyo, Habilidades técnicas, Habilidades prácticas.",
}


def document(texts=SEED, kind="positive", program="Programa de prueba · CRM-CE-2021", labels=LABELS):
    return LessonDocument("LA2_ISE", kind, dict(texts), sdgs=("4. Educación de calidad",),
                          principles=("a) Centrarse en las personas", "j) Enfoque pansocial"),
                          objectives=("Objetivo 7: Abordar y reducir las vulnerabilidades en la migración",
                                      "Objetivo 16: Empoderar a los migrantes y las sociedades para lograr la plena "
                                      "inclusión y la cohesión social."),
                          program=program, labels=labels)


def text_of(data):
    """The PDF's text as pdftotext lays it out (poppler, not the library that wrote it)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout \
        .decode()


def test_the_pdf_reads_like_the_seeds_form_in_its_order():
    text = text_of(lesson_pdf(document()))
    flat = " ".join(text.split())
    order = ["ÁREA A LA QUE CORRESPONDE", "CÓDIGO", "INCLUSIÓN ECONÓMICA Y SOCIAL", "LA2_ISE", "Hallazgo",
             "Las redes de apoyo entre los y las participantes", "Descripción de la lección", "Contexto y condiciones",
             "Metas del proyecto", "Beneficiarios", "Relación con ODS", "4. Educación de calidad",
             "Relación con el Pacto Mundial", "Principios rectores", "a) Centrarse en las personas",
             "j) Enfoque pansocial", "Objetivos", "Objetivo 7: Abordar y reducir las vulnerabilidades en la migración",
             "Objetivo 16:", "Tipo de lección", "☒ Lección positiva", "☐ Lección negativa",
             "Éxito / Cuestiones positivas", "Desafíos, dificultades, problemas", "Lección aprendida",
             "LA2_ISE: Se fomenta", "Lección no aprendida", "Territorio", "Quito, Manta", "Actores involucrados",
             "(ONG, Gobierno, Empresa)", "Factores diferenciadores", "(Valor agregado)", "Efectividad", "IMPORTANTE",
             "ÚTIL", "EQUITATIVO", "ECONÓMICO", "La creación de las redes de apoyo no tiene", "Palabras clave",
             "Red de apoyo, Habilidades técnicas"]
    positions = [flat.find(part) for part in order]
    assert -1 not in positions, [part for part, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    assert "Programa de prueba · CRM-CE-2021" in text and "Página 1 de 2" in text and "Página 2 de 2" in text


def test_the_negative_box_is_the_crossed_one_for_a_negative_lesson():
    flat = " ".join(text_of(lesson_pdf(document(kind="negative"))).split())
    assert "☐ Lección positiva ☒ Lección negativa" in flat


def test_long_texts_flow_over_numbered_pages():
    long = {**SEED, "description": "\n\n".join(f"Párrafo {n}: " + "texto largo de la descripción " * 40
                                               for n in range(1, 31))}
    data = lesson_pdf(document(long))
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    assert pages >= 4
    text = text_of(data)
    assert "Párrafo 1:" in text and "Párrafo 30:" in text and f"Página {pages} de {pages}" in text
    assert all("Programa de prueba · CRM-CE-2021" in page.extract_text() for page in reader.pages)


def test_markup_in_the_texts_is_printed_not_obeyed():
    hostile = '<b>negrita</b> <font size="60" color="red">X</font> &amp; <br/> <a href="http://evil">y</a>'
    data = lesson_pdf(document({**SEED, "finding": hostile, "area": "<i>Área</i>"}, program="<b>Programa</b>"))
    flat = " ".join(text_of(data).split())
    assert hostile in flat and "<I>ÁREA</I>" in flat and "<b>Programa</b>" in flat


def test_a_missing_label_is_an_error_not_a_blank():
    with pytest.raises(KeyError, match="keywords"):
        lesson_pdf(document(labels={key: LABELS[key] for key in LABEL_KEYS - {"keywords"}}))


def test_the_search_words_are_folded_once_each():
    assert terms("  Económica  ECONOMICA  redes\tÑandú ") == ["economica", "redes", "nandu"]
    assert terms("") == [] and terms(None) == []
    assert len(terms(" ".join(f"w{n}" for n in range(30)))) == 10


def test_like_patterns_take_wildcards_literally():
    assert like_pattern("100%") == "%100\\%%"
    assert like_pattern("a_b\\c") == "%a\\_b\\\\c%"


def test_filters_keep_the_lessons_holding_every_chosen_value():
    lessons = [entry(1, area="Inclusión económica", sdgs=[4, 8], objectives=[7], kind="positive",
                     countries=["MX"], program="A"),
               entry(2, area="Gobernanza", sdgs=[16], objectives=[23, 7], kind="negative", countries=["GT"],
                     program="B")]
    available = options(lessons)
    assert available["sdg"] == ["4", "8", "16"] and available["objective"] == ["7", "23"]
    assert available["area"] == ["gobernanza", "inclusion economica"]
    assert [item.id for item in filtered(lessons, {"objective": "7"})] == [1, 2]
    assert [item.id for item in filtered(lessons, {"objective": "7", "kind": "negative"})] == [2]
    assert [item.id for item in filtered(lessons, {"area": "inclusion economica", "country": "GT"})] == []


def test_texts_of_thousands_of_short_lines_are_drawn_in_seconds_every_line_kept():
    # 2,500 lines in each of the 19 fields (the form's 5,000 characters, one per line) took a minute to lay out
    # as one paragraph per field: a public page's PDF must not hold a worker that long.
    import time

    from assessments.models_lessons import NARRATIVE_FIELDS

    lines = [f"L{n}" for n in range(2500)]
    started = time.monotonic()
    data = lesson_pdf(document({name: "\n".join(lines) for name in NARRATIVE_FIELDS}))
    assert time.monotonic() - started < 25
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert text.count("L2499") >= len(NARRATIVE_FIELDS) - 2  # area and keywords are drawn too (as typed here)
