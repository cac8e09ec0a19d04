"""A questionnaire as a JSON file, to reuse it in another program: write it, and read one back with every
problem named by where it is (pure)."""
import json

from training.localized import SUPPORTED_LANGUAGES as LANGUAGES
from training.unicode_text import holds_lone_surrogate

from .question_types import DIMENSIONS, QUESTIONNAIRE_KINDS, REGISTRY

FORMAT = "capacita-questionnaire"
VERSION = 1
MAX_BYTES = 1024 * 1024
MAX_QUESTIONS = 500


def dump(questionnaire):
    """`questionnaire` as plain values: kind, title, intro, sections [{title, questions [...]}] → UTF-8 JSON."""
    document = {"format": FORMAT, "version": VERSION, **questionnaire}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def load(data):
    """(questionnaire, problems): the plain values of a file, or the list of (where, code) that keep it out."""
    if len(data) > MAX_BYTES:
        return None, [("file", "too_large")]
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None, [("file", "not_json")]
    if holds_lone_surrogate(document):  # "\ud800": JSON, but no text a page could show
        return None, [("file", "not_json")]
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None, [("file", "not_a_questionnaire")]
    if document.get("version") != VERSION:
        return None, [("file", "unknown_version")]
    problems = []
    if document.get("kind") not in QUESTIONNAIRE_KINDS:
        problems.append(("kind", "invalid"))
    title = _texts(document.get("title"), "title", problems, required=True)
    intro = _texts(document.get("intro", {}), "intro", problems)
    sections = _sections(document.get("sections"), problems)
    if problems:
        return None, problems
    return {"kind": document["kind"], "title": title, "intro": intro, "sections": sections}, []


def _texts(value, where, problems, required=False):
    """{language: text} (es, en, fr, pt) with strings only; at least one language when required."""
    if not isinstance(value, dict) or any(not isinstance(value.get(k, ""), str) for k in LANGUAGES):
        problems.append((where, "invalid_text"))
        return {}
    texts = {k: value[k].strip() for k in LANGUAGES if value.get(k, "").strip()}
    if required and not texts:
        problems.append((where, "missing_text"))
    return texts


def _sections(value, problems):
    if not isinstance(value, list) or not value:
        problems.append(("sections", "missing"))
        return []
    sections, keys, count = [], set(), 0
    for s_index, section in enumerate(value, start=1):
        where = f"sections[{s_index}]"
        if not isinstance(section, dict) or not isinstance(section.get("questions"), list):
            problems.append((where, "invalid"))
            continue
        questions = []
        for q_index, question in enumerate(section["questions"], start=1):
            count += 1
            questions.append(_question(question, f"{where}.questions[{q_index}]", keys, problems))
        sections.append({"title": _texts(section.get("title", {}), f"{where}.title", problems),
                         "questions": questions})
    if count > MAX_QUESTIONS:
        problems.append(("sections", "too_many_questions"))
    return sections


def _question(value, where, keys, problems):
    if not isinstance(value, dict) or value.get("type") not in REGISTRY:
        problems.append((where, "unknown_type"))
        return {}
    kind = REGISTRY[value["type"]]
    question = {"type": value["type"], "text": _texts(value.get("text"), f"{where}.text", problems, required=True),
                "dimension": value.get("dimension", "knowledge"), "item_key": value.get("item_key"),
                "options": _options(value.get("options", []), where, problems),
                "correct": value.get("correct", []), "points": value.get("points", 0),
                "required": bool(value.get("required", False)), "scale_labels": value.get("scale_labels", {})}
    if question["dimension"] not in DIMENSIONS:
        problems.append((f"{where}.dimension", "invalid"))
    _check_item_key(question["item_key"], where, keys, problems)
    allowed = set(kind.fixed_options) if kind.fixed_options else {o["key"] for o in question["options"]}
    if not isinstance(question["correct"], list) or not set(map(str, question["correct"])) <= allowed \
            or (question["correct"] and not kind.scorable):
        problems.append((f"{where}.correct", "invalid"))
    points = question["points"]
    if isinstance(points, bool) or not isinstance(points, int | float) or not 0 <= points <= 1000:
        problems.append((f"{where}.points", "invalid"))
    if kind.needs_options and len(question["options"]) < 2:
        problems.append((f"{where}.options", "too_few"))
    return question


def _options(value, where, problems):
    if not isinstance(value, list):
        problems.append((f"{where}.options", "invalid"))
        return []
    options, seen = [], set()
    for index, option in enumerate(value, start=1):
        key = option.get("key") if isinstance(option, dict) else None
        if not isinstance(key, str) or not key.strip() or len(key) > 20 or key in seen:
            problems.append((f"{where}.options[{index}]", "invalid_key"))
            continue
        seen.add(key)
        texts = _texts({k: option.get(k, "") for k in LANGUAGES}, f"{where}.options[{index}]", problems,
                       required=True)
        options.append({"key": key, **texts})
    return options


def _check_item_key(item_key, where, keys, problems):
    if item_key is None:
        return
    if not isinstance(item_key, str) or not item_key.strip() or len(item_key) > 40:
        problems.append((f"{where}.item_key", "invalid"))
    elif item_key in keys:
        problems.append((f"{where}.item_key", "duplicate"))
    else:
        keys.add(item_key)
