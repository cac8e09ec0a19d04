"""Questionnaire files (pure): a written file reads back the same; every problem is named by its place."""
import json

from assessments.questionnaire_files import dump, load

PRE_TEST = {
    "kind": "pre",
    "title": {"es": "Prueba inicial", "en": "Pre-test"},
    "intro": {"es": "Responda con calma."},
    "sections": [{
        "title": {"es": "Conocimientos", "en": "Knowledge"},
        "questions": [
            {"type": "single_choice", "text": {"es": "¿Qué es la contratación ética?", "en": "Ethical recruitment?"},
             "dimension": "knowledge", "item_key": "K1", "points": 1, "correct": ["b"], "required": True,
             "options": [{"key": "a", "es": "Cobrar a quien busca empleo", "en": "Charging workers"},
                         {"key": "b", "es": "Sin cobro a la persona trabajadora", "en": "No fees to workers"}],
             "scale_labels": {}},
            {"type": "likert", "text": {"es": "Espero aplicar lo aprendido"}, "dimension": "expectations",
             "item_key": None, "points": 0, "correct": [], "required": False, "options": [],
             "scale_labels": {"es": ["Nada", "Mucho"]}},
        ],
    }],
}


def test_a_written_file_reads_back_the_same():
    questionnaire, problems = load(dump(PRE_TEST))
    assert problems == []
    assert questionnaire == PRE_TEST


def test_a_file_in_french_and_portuguese_reads_back_the_same():
    """Every text of a questionnaire written in French and Portuguese only (accents, ç, œ, « », ’) survives."""
    french_portuguese = {
        "kind": "post", "title": {"fr": "Post-test « bilan »", "pt": "Pós-teste"},
        "intro": {"fr": "Répondez sans hâte ; vos réponses sont enregistrées.", "pt": "Responda com calma."},
        "sections": [{"title": {"fr": "Connaissances", "pt": "Conhecimentos"}, "questions": [
            {"type": "single_choice", "text": {"fr": "Qui paie les frais d’œuvre ?", "pt": "Quem paga a mão de obra?"},
             "dimension": "knowledge", "item_key": "K1", "points": 1, "correct": ["b"], "required": True,
             "options": [{"key": "a", "fr": "Le travailleur", "pt": "O trabalhador"},
                         {"key": "b", "fr": "L’employeur", "pt": "O empregador"}], "scale_labels": {}},
            {"type": "likert", "text": {"fr": "J’appliquerai ce que j’ai appris", "pt": "Vou aplicar o que aprendi"},
             "dimension": "expectations", "item_key": None, "points": 0, "correct": [], "required": False,
             "options": [], "scale_labels": {"fr": ["Pas du tout", "Tout à fait"], "pt": ["Nada", "Muito"]}},
        ]}],
    }
    questionnaire, problems = load(dump(french_portuguese))
    assert problems == [] and questionnaire == french_portuguese
    assert "Qui paie les frais d’œuvre ?".encode() in dump(french_portuguese)  # written as UTF-8, not \\u escapes


def test_files_that_are_not_questionnaires():
    assert load(b"\xff\xfe garbage")[1] == [("file", "not_json")]
    assert load(b'{"format": "other"}')[1] == [("file", "not_a_questionnaire")]
    assert load(json.dumps({"format": "capacita-questionnaire", "version": 9}).encode())[1] == \
        [("file", "unknown_version")]
    assert load(b"[" * 100_000)[1] == [("file", "not_json")]
    # JSON, but holding a lone UTF-16 surrogate: stored, it would break every page showing the questionnaire.
    for text in ('"\\ud800"', '"a \\udfff b"', '"\\ud83d x"'):
        document = json.dumps({**json.loads(dump(PRE_TEST)), "title": {"es": "T"}})
        assert load(document.replace('"T"', text).encode())[1] == [("file", "not_json")], text
    assert load(dump({**PRE_TEST, "title": {"es": "Prueba 😀"}}))[1] == []  # a surrogate pair is one character


def test_every_problem_is_named_by_its_place():
    document = json.loads(dump(PRE_TEST))
    questions = document["sections"][0]["questions"]
    questions[0]["correct"] = ["z"]
    questions[0]["options"].append({"key": "a", "es": "Repetida"})
    questions[1]["type"] = "essay"
    questions.append({"type": "true_false", "text": {"es": "V/F"}, "item_key": "K1", "correct": ["true"],
                      "points": -1})
    questions.append({"type": "likert", "text": {"es": "Opinión"}, "correct": ["5"]})  # opinions have no key
    questions.append({"type": "multiple_choice", "text": {"es": "Una sola"}, "options": [{"key": "a", "es": "A"}]})
    document["kind"] = "mid"
    _questionnaire, problems = load(json.dumps(document).encode())
    assert problems == [
        ("kind", "invalid"),
        ("sections[1].questions[1].options[3]", "invalid_key"),
        ("sections[1].questions[1].correct", "invalid"),
        ("sections[1].questions[2]", "unknown_type"),
        ("sections[1].questions[3].item_key", "duplicate"),
        ("sections[1].questions[3].points", "invalid"),
        ("sections[1].questions[4].correct", "invalid"),
        ("sections[1].questions[5].options", "too_few"),
    ]
