"""A lesson's words in one language for its PDF and public page (the secretariat's form's labels), and the lessons'
workbook: one row per lesson, one column per field."""
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from training.countries import country_name
from training.labels import current_language
from training.localized import pick
from training.web import send_pdf

from ..models_lessons import NARRATIVE_FIELDS
from .frameworks import GCM_OBJECTIVES, GCM_PRINCIPLES, SDGS, objective_label, principle_label, sdg_label
from .layout import LessonDocument

# The form's labels (seed 004 has them in Spanish: "Área a la que corresponde", "Hallazgo"…).
LABELS = {
    "area": _l("Area it belongs to"),
    "code": _l("Code"),
    "finding": _l("Finding"),
    "description": _l("Description of the lesson"),
    "context": _l("Context and related preconditions"),
    "goals": _l("Project goals"),
    "beneficiaries": _l("Beneficiaries"),
    "sdgs": _l("Relation to the SDGs"),
    "gcm": _l("Relation to the Global Compact for Safe, Orderly and Regular Migration"),
    "principles": _l("Guiding principles"),
    "objectives": _l("Objectives"),
    "kind": _l("Type of lesson"),
    "positive": _l("Positive lesson"),
    "negative": _l("Negative lesson"),
    "successes": _l("Success / positive aspects"),
    "challenges": _l("Challenges, difficulties, problems"),
    "learned": _l("Lesson learned"),
    "not_learned": _l("Lesson not learned"),
    "territory": _l("Territory"),
    "actors": _l("Actors involved"),
    "actors_hint": _l("(NGO, government, business)"),
    "added_value": _l("Differentiating factors"),
    "added_value_hint": _l("(Added value)"),
    "effectiveness": _l("Effectiveness"),
    "important": _l("Important"),
    "useful": _l("Useful"),
    "equitable": _l("Equitable"),
    "economic": _l("Economic"),
    "keywords": _l("Keywords"),
    "page": _l("Page %(page)s of %(pages)s"),
}


def document_language(lesson, wanted=None):
    """The language a lesson's document is written in: `wanted` or the reader's when the program offers it, else
    the program's default."""
    offered = lesson.program.offered_languages
    return next((language for language in (wanted, current_language()) if language in offered), offered[0])


def lesson_document(lesson, language):
    """The lesson as lessons.pdf draws it (and the public page shows it), every word in `language`: the record's
    texts (else in the program's default language), the form's labels, the SDGs and the Compact's links."""
    program = lesson.program
    with force_locale(language):
        labels = {key: str(label) for key, label in LABELS.items()}
        links = framework_labels(lesson)
        footer = f"{program.title_in(language)} · {program.code}"
    texts = {name: pick(getattr(lesson, name), language, program.default_language) for name in NARRATIVE_FIELDS}
    return LessonDocument(lesson.code, lesson.kind, texts, *links, program=footer, labels=labels)


def send_lesson_pdf(lesson, wanted_language):
    """The lesson's PDF in `wanted_language` when its program offers it (else the reader's, else the default)."""
    from .pdf import lesson_pdf

    document = lesson_document(lesson, document_language(lesson, wanted_language))
    name = secure_filename(f"{lesson.program.code}-{lesson.code}") or "lesson"
    return send_pdf(lesson_pdf(document), f"{name}.pdf")


def framework_labels(lesson):
    """(SDGs, principles, objectives) as the form writes them, in the current language: "4. Quality education",
    "a) People-centred", "Objective 7: Address and reduce vulnerabilities in migration"."""
    return (tuple(sdg_label(number) for number in lesson.sdgs or () if number in SDGS),
            tuple(principle_label(letter) for letter in lesson.gcm_principles or () if letter in GCM_PRINCIPLES),
            tuple(_("Objective %(number)s: %(objective)s", number=number, objective=GCM_OBJECTIVES[number])
                  for number in lesson.gcm_objectives or () if number in GCM_OBJECTIVES))


def link_tags(lesson):
    """[(tag, its full wording)] of the lesson's SDGs and Global Compact objectives, for a result card: "SDG 4"
    beside "4. Quality education" (the record, its PDF and the filters give the full wording)."""
    return [*((_("SDG %(number)s", number=number), sdg_label(number)) for number in lesson.sdgs or ()
              if number in SDGS),
            *((_("GCM objective %(number)s", number=number), objective_label(number))
              for number in lesson.gcm_objectives or () if number in GCM_OBJECTIVES)]


def workbook(lessons, language):
    """(headers, rows) of the lessons' workbook in `language`: the program, the code and type, every narrative
    field (in the program's default language where the record lacks `language`), the links as readable labels."""
    headers = [_("Program"), _("Program title"), str(LABELS["code"]), str(LABELS["kind"]),
               *(str(LABELS[name]) for name in NARRATIVE_FIELDS), _("Sustainable Development Goals"),
               str(LABELS["principles"]), _("Global Compact objectives"), _("Countries"), _("Shared publicly")]
    return headers, [_row(lesson, language) for lesson in lessons]


def _row(lesson, language):
    program = lesson.program
    sdgs, principles, objectives = framework_labels(lesson)
    return [program.code, program.title_in(language), lesson.code, str(LABELS[lesson.kind]),
            *(pick(getattr(lesson, name), language, program.default_language) for name in NARRATIVE_FIELDS),
            "; ".join(sdgs), "; ".join(principles), "; ".join(objectives),
            "; ".join(country_name(code, language) for code in lesson.countries or ()),
            _("Yes") if lesson.shared else _("No")]
