"""The demo program's bilingual pre-test and post-test, and a deterministic plan of who answered what (pure)."""
import copy
import math
import random
import statistics

from training.demo_data import ENGLISH_SPEAKING

AGREEMENT = {"es": ["Totalmente en desacuerdo", "Totalmente de acuerdo"], "en": ["Strongly disagree", "Strongly agree"]}


def _question(kind, dimension, es, en, *, item_key=None, options=(), correct=(), points=0, required=False,
              scale_labels=None):
    """One question in the plain shape `questionnaire_files.load` returns (every field present)."""
    return {"type": kind, "text": {"es": es, "en": en}, "dimension": dimension, "item_key": item_key,
            "options": [{"key": key, "es": option_es, "en": option_en} for key, option_es, option_en in options],
            "correct": list(correct), "points": points, "required": required,
            "scale_labels": copy.deepcopy(scale_labels or {})}


def _knowledge(item_key, kind, es, en, correct, options=()):
    return _question(kind, "knowledge", es, en, item_key=item_key, options=options, correct=correct, points=1,
                     required=True)


def _likert(dimension, es, en, labels=AGREEMENT):
    return _question("likert", dimension, es, en, required=True, scale_labels=labels)


def _scale(dimension, es, en, labels):
    return _question("scale", dimension, es, en, required=True, scale_labels=labels)


# The concept note's themes: labour migration figures, fair and ethical recruitment, rights-based approach, gender,
# vulnerability and referral, what employment counseling offers, and migration governance in the region.
KNOWLEDGE = [
    _knowledge(
        "K01", "single_choice",
        "Según las estimaciones mundiales de la OIT, ¿qué proporción de la fuerza de trabajo mundial eran personas "
        "trabajadoras migrantes en 2019?",
        "According to the ILO global estimates, what share of the world's workforce were migrant workers in 2019?",
        ["b"],
        [("a", "Alrededor de 1 de cada 100 (1 %)", "About 1 in 100 (1%)"),
         ("b", "Alrededor de 1 de cada 20 (5 %)", "About 1 in 20 (5%)"),
         ("c", "Alrededor de 1 de cada 5 (20 %)", "About 1 in 5 (20%)"),
         ("d", "Alrededor de 1 de cada 3 (33 %)", "About 1 in 3 (33%)")]),
    _knowledge(
        "K02", "single_choice",
        "Según los Principios generales y directrices prácticas de la OIT para una contratación equitativa, ¿qué "
        "se aplica a las comisiones de contratación y los gastos conexos?",
        "According to the ILO General principles and operational guidelines for fair recruitment, what applies to "
        "recruitment fees and related costs?",
        ["c"],
        [("a", "Pueden cobrarse a la persona trabajadora si se descuentan de su primer salario",
          "They may be charged to the worker if deducted from their first wages"),
         ("b", "Pueden repartirse a partes iguales entre la persona trabajadora y el empleador",
          "They may be split equally between the worker and the employer"),
         ("c", "No deben cobrarse a las personas trabajadoras ni a quienes buscan empleo, ni correr por su cuenta "
               "de ninguna otra forma",
          "They should not be charged to, or otherwise borne by, workers or jobseekers"),
         ("d", "Pueden cobrarse a la persona trabajadora siempre que no superen un mes de salario",
          "They may be charged to the worker as long as they do not exceed one month's wages")]),
    _knowledge(
        "K03", "true_false",
        "IRIS, el Sistema Internacional de Integridad en la Contratación de la OIM, permite que una agencia de "
        "contratación certificada cobre una comisión a la persona trabajadora siempre que se lo informe por "
        "escrito de antemano.",
        "IRIS, IOM's International Recruitment Integrity System, allows a certified recruitment agency to charge "
        "the worker a fee as long as it informs them in writing beforehand.",
        ["false"]),
    _knowledge(
        "K04", "single_choice",
        "¿Qué caracteriza al enfoque basado en derechos humanos en la atención a personas trabajadoras migrantes?",
        "What characterizes a human-rights-based approach to serving migrant workers?",
        ["a"],
        [("a", "Reconoce a las personas migrantes como titulares de derechos, cualquiera que sea su situación "
               "migratoria, y a las instituciones del Estado como titulares de obligaciones",
          "It sees migrants as rights holders, whatever their migration status, and State institutions as duty "
          "bearers"),
         ("b", "Reserva los servicios de empleo a las personas con situación migratoria regular",
          "It reserves employment services for people with a regular migration status"),
         ("c", "Da prioridad a la colocación rápida por encima de las condiciones de trabajo",
          "It puts quick job placement ahead of working conditions"),
         ("d", "Entiende la atención como una ayuda voluntaria que se presta según los recursos disponibles",
          "It treats services as voluntary assistance, provided as resources allow")]),
    _knowledge(
        "K05", "true_false",
        "Aplicar la perspectiva de género en la consejería de empleo implica analizar cómo los roles y las "
        "desigualdades de género influyen en las oportunidades y los riesgos laborales de las personas migrantes, "
        "y adaptar los servicios en consecuencia.",
        "Applying a gender perspective in employment counseling means analysing how gender roles and inequalities "
        "shape migrants' job opportunities and risks at work, and adapting services accordingly.",
        ["true"]),
    _knowledge(
        "K06", "single_choice",
        "Según el modelo de determinantes de la vulnerabilidad de las personas migrantes de la OIM, ¿en qué "
        "niveles se analizan los factores de riesgo y de protección?",
        "In IOM's Determinants of Migrant Vulnerability model, at which levels are risk and protective factors "
        "analysed?",
        ["a"],
        [("a", "Individual, del hogar y la familia, de la comunidad y estructural",
          "Individual, household and family, community, and structural"),
         ("b", "Solo el individual: edad, sexo y estado de salud", "Only the individual level: age, sex and health"),
         ("c", "Solo la situación migratoria: regular o irregular", "Only migration status: regular or irregular"),
         ("d", "País de origen, de tránsito y de destino", "Country of origin, transit and destination")]),
    _knowledge(
        "K07", "single_choice",
        "En una entrevista de orientación, una persona migrante cuenta que su empleador anterior le retuvo el "
        "pasaporte y no le pagó el salario. ¿Cuál es la actuación más adecuada de la persona consejera de empleo?",
        "In a counseling interview, a migrant says that their previous employer kept their passport and did not "
        "pay their wages. What is the most appropriate response from the employment counselor?",
        ["b"],
        [("a", "Seguir con la búsqueda de vacantes, porque el caso no es competencia del servicio de empleo",
          "Carry on with the job search: the case is not a matter for the employment service"),
         ("b", "Informarle sobre sus derechos y, con su consentimiento, referirla a los servicios de protección y a "
               "la inspección del trabajo",
          "Inform them of their rights and, with their consent, refer them to protection services and the labour "
          "inspectorate"),
         ("c", "Notificar el caso a la autoridad migratoria sin consultarle",
          "Report the case to the migration authorities without consulting them"),
         ("d", "Llamar al empleador para negociar la devolución del pasaporte",
          "Call the employer to negotiate the return of the passport")]),
    _knowledge(
        "K08", "multiple_choice",
        "¿Cuáles de los siguientes servicios corresponden a una consejería de empleo? Marque todas las opciones "
        "correctas.",
        "Which of the following are services of an employment counseling office? Select all that apply.",
        ["a", "b", "c"],
        [("a", "Orientar sobre dónde y cómo buscar trabajo", "Advising on where and how to look for work"),
         ("b", "Apoyar en la elaboración del currículum y la preparación de entrevistas",
          "Helping to prepare a CV and get ready for interviews"),
         ("c", "Recomendar opciones de formación para desarrollar y certificar habilidades",
          "Recommending training to develop and certify skills"),
         ("d", "Otorgar permisos de trabajo o resolver la situación migratoria",
          "Granting work permits or settling migration status"),
         ("e", "Cobrar una comisión a la persona por colocarla en un empleo",
          "Charging the person a fee for placing them in a job")]),
    _knowledge(
        "K09", "single_choice",
        "¿Qué es la Conferencia Regional sobre Migración (CRM)?",
        "What is the Regional Conference on Migration (RCM)?",
        ["a"],
        [("a", "Un foro regional en el que los Países Miembros dialogan y se coordinan sobre migración; sus "
               "acuerdos no son jurídicamente vinculantes",
          "A regional forum where Member Countries hold dialogue and coordinate on migration; its agreements are "
          "not legally binding"),
         ("b", "Un tratado que obliga a sus Países Miembros a adoptar una misma ley migratoria",
          "A treaty that requires its Member Countries to adopt the same migration law"),
         ("c", "Un organismo especializado de las Naciones Unidas con sede en Ginebra",
          "A specialized United Nations agency based in Geneva"),
         ("d", "Un tribunal regional que resuelve denuncias de personas migrantes",
          "A regional court that rules on complaints from migrants")]),
    _knowledge(
        "K10", "single_choice",
        "¿Qué instrumento internacional, adoptado en 2018, incluye entre sus objetivos «facilitar la contratación "
        "equitativa y ética y salvaguardar las condiciones que garantizan el trabajo decente»?",
        "Which international instrument, adopted in 2018, includes among its objectives \"facilitate fair and "
        "ethical recruitment and safeguard conditions that ensure decent work\"?",
        ["a"],
        [("a", "El Pacto Mundial para la Migración Segura, Ordenada y Regular",
          "The Global Compact for Safe, Orderly and Regular Migration"),
         ("b", "El Pacto Mundial sobre los Refugiados", "The Global Compact on Refugees"),
         ("c", "El Convenio sobre los trabajadores migrantes (revisado), 1949 (núm. 97), de la OIT",
          "The ILO Migration for Employment Convention (Revised), 1949 (No. 97)"),
         ("d", "La Declaración Universal de Derechos Humanos", "The Universal Declaration of Human Rights")]),
]


def _knowledge_section():
    # A fresh copy for each test, so that editing one questionnaire's plain values never changes the other's.
    return {"title": {"es": "Conocimientos", "en": "Knowledge"}, "questions": copy.deepcopy(KNOWLEDGE)}


PRE_TEST = {
    "kind": "pre",
    "title": {"es": "Evaluación previa (pre-test)", "en": "Prior assessment (pre-test)"},
    "intro": {
        "es": "Esta breve consulta (unos 10 minutos) nos permite conocer su punto de partida y sus expectativas. "
              "No es un examen: el puntaje no cuenta para el certificado, pero debe enviarla para recibirlo. Sus "
              "respuestas se guardan automáticamente.",
        "en": "This short survey (about 10 minutes) tells us where you are starting from and what you expect. It "
              "is not an exam: your score does not count for the certificate, but you must submit it to receive one. "
              "Your answers are saved automatically.",
    },
    "sections": [
        _knowledge_section(),
        {"title": {"es": "Expectativas", "en": "Expectations"}, "questions": [
            _likert("expectations",
                    "Espero ampliar mis conocimientos sobre migración laboral y contratación equitativa.",
                    "I expect to broaden my knowledge of labour migration and fair recruitment."),
            _likert("expectations",
                    "Espero obtener herramientas prácticas para atender a personas trabajadoras migrantes en mi "
                    "servicio.",
                    "I expect to gain practical tools to serve migrant workers in my office."),
            _likert("expectations",
                    "Espero intercambiar experiencias y buenas prácticas con personas consejeras de otros países de "
                    "la región.",
                    "I expect to exchange experiences and good practices with counselors from other countries in "
                    "the region."),
            _scale("expectations",
                   "En una escala del 0 al 10, ¿qué tan útil cree que será este programa para su trabajo?",
                   "On a scale from 0 to 10, how useful do you think this program will be for your work?",
                   {"es": ["Nada útil", "Muy útil"], "en": ["Not useful at all", "Extremely useful"]}),
            _question("short_text", "expectations", "¿Qué es lo que más espera aprender?",
                      "What do you most expect to learn?"),
        ]},
    ],
}

POST_TEST = {
    "kind": "post",
    "title": {"es": "Evaluación posterior (post-test)", "en": "Final assessment (post-test)"},
    "intro": {
        "es": "Esta consulta final (unos 10 minutos) valora los conocimientos adquiridos, su satisfacción con el "
              "programa y el uso que dará a lo aprendido en su trabajo. El puntaje no cuenta para el certificado, pero "
              "debe enviarla para recibirlo. Sus respuestas se guardan automáticamente.",
        "en": "This final survey (about 10 minutes) looks at what you learned, how satisfied you are with the "
              "program and how you will use it in your work. Your score does not count for the certificate, but you "
              "must submit it to receive one. Your answers are saved automatically.",
    },
    "sections": [
        _knowledge_section(),
        {"title": {"es": "Satisfacción", "en": "Satisfaction"}, "questions": [
            _likert("expectations", "El programa cumplió mis expectativas.", "The program met my expectations."),
            _likert("satisfaction", "La facilitación de las sesiones fue clara y favoreció la participación.",
                    "The sessions were facilitated clearly and encouraged participation."),
            _likert("satisfaction", "Los materiales (presentaciones y cursos en línea) fueron útiles y pertinentes.",
                    "The materials (presentations and online courses) were useful and relevant."),
            _scale("satisfaction",
                   "En una escala del 0 al 10, ¿qué tan probable es que recomiende este programa a colegas de su "
                   "institución?",
                   "On a scale from 0 to 10, how likely are you to recommend this program to colleagues at your "
                   "institution?",
                   {"es": ["Nada probable", "Muy probable"], "en": ["Not at all likely", "Extremely likely"]}),
        ]},
        {"title": {"es": "Aplicación en el trabajo", "en": "Use at work"}, "questions": [
            _likert("application", "Aplicaré lo aprendido en mi trabajo en los próximos tres meses.",
                    "I will apply what I learned in my work within the next three months."),
            _question("multiple_choice", "application",
                      "¿Qué herramientas del programa piensa utilizar en su trabajo? Marque todas las que "
                      "correspondan.",
                      "Which tools from the program do you plan to use in your work? Select all that apply.",
                      options=[("profiles", "Identificación de perfiles ocupacionales de personas migrantes",
                                "Identifying migrants' occupational profiles"),
                               ("vulnerability", "Modelo de determinación de la vulnerabilidad",
                                "The vulnerability determination model"),
                               ("referral", "Referencia de casos a servicios de protección",
                                "Referring cases to protection services"),
                               ("fair_recruitment", "Principios de contratación equitativa (OIT e IRIS)",
                                "Fair recruitment principles (ILO and IRIS)"),
                               ("gender", "Perspectiva de género en la entrevista de orientación",
                                "A gender perspective in counseling interviews")]),
            _question("long_text", "application", "¿Cómo utilizará lo aprendido en su trabajo cotidiano?",
                      "How will you use what you learned in your daily work?"),
        ]},
    ],
}


def answer_key(section_number, question_number, question):
    """How `demo_answers` names a question: its item key, else its place ("2.3": section 2, question 3)."""
    return question.get("item_key") or f"{section_number}.{question_number}"


def answer_keys(questionnaire):
    """[(answer key, question)] of a questionnaire's plain values, in order."""
    return [(answer_key(s, q, question), question)
            for s, section in enumerate(questionnaire["sections"], start=1)
            for q, question in enumerate(section["questions"], start=1)]


# --- who answered what ----------------------------------------------------------------------------------------

# Shares of the people: both tests, only the pre-test, only the post-test; the rest took neither (so a visitor can
# take the pre-test live). Pre-tests left half done (a dropped connection in session 1, never resumed).
BOTH, PRE_ONLY, POST_ONLY = 0.70, 0.15, 0.05
IN_PROGRESS = 3

# Item difficulty on a logit scale (higher is harder) and how much the sessions taught it (added in the post-test).
# The vulnerability model (K06) and the ILO figure (K01) were presented in the sessions; K08 is all-or-nothing.
DIFFICULTY = {"K01": 1.5, "K02": 1.0, "K03": 1.3, "K04": 0.1, "K05": 0.3, "K06": 1.8, "K07": 0.4, "K08": 1.2,
              "K09": 0.9, "K10": 1.3}
TAUGHT = {"K01": 0.6, "K06": 0.8, "K02": 0.4, "K03": 0.4}
GUESS = {"single_choice": 0.25, "true_false": 0.5, "multiple_choice": 0.0}

LIKERT_WEIGHTS = {"2": 3, "3": 13, "4": 36, "5": 48}  # lowest first: a better mood picks further along
SCALE_WEIGHTS = {"4": 1, "5": 4, "6": 6, "7": 12, "8": 25, "9": 28, "10": 24}
# How much of a rating is the person's overall mood (the rest is the question): a satisfied person tends to rate
# every statement high, so a block's statements hang together (Cronbach's alpha near 0.7) as in real programs.
MOOD_SHARE = 0.7
TEXT_SHARE = {"pre": 0.4, "post": 0.35}

TEXTS = {
    ("pre", "es"): (
        "Herramientas para identificar los perfiles ocupacionales de las personas migrantes.",
        "Cómo referir a las personas migrantes en situación de vulnerabilidad a los servicios adecuados.",
        "Conocer buenas prácticas de otros países de la región.",
        "Qué es la contratación ética y cómo verificar a las agencias de colocación.",
        "Cómo incorporar la perspectiva de género en la atención.",
        "Datos recientes sobre la migración laboral en Centroamérica, México y el Caribe.",
        "Cómo orientar a personas con experiencia laboral que no pueden acreditar sus estudios.",
    ),
    ("pre", "en"): (
        "Practical tools to assess the skills of migrant jobseekers.",
        "How to refer migrants in vulnerable situations to the right services.",
        "Good practices from other countries in the region.",
        "How to spot unfair recruitment practices and fees charged to workers.",
        "Applying a gender perspective in counseling interviews.",
    ),
    ("post", "es"): (
        "Incorporaré preguntas sobre las condiciones de contratación en la entrevista inicial y referiré los casos "
        "de cobro de comisiones a la inspección del trabajo.",
        "Compartiré el modelo de determinación de la vulnerabilidad con mi equipo para priorizar la atención.",
        "Revisaremos nuestro protocolo para incluir la perspectiva de género y para que la situación migratoria no "
        "sea un obstáculo para recibir orientación.",
        "Voy a coordinarme con la oficina de migración y con organizaciones de la sociedad civil para tener una ruta "
        "de referencia clara.",
        "Aplicaré los principios de contratación equitativa al vincular a empleadores con personas trabajadoras "
        "migrantes.",
        "En los talleres de búsqueda de empleo hablaré de los derechos laborales de las personas migrantes.",
    ),
    ("post", "en"): (
        "I will add questions about recruitment fees and contract conditions to our intake interview.",
        "I plan to share the vulnerability model with my colleagues and build a referral list with local partners.",
        "When I work with employers, I will promote the \"employer pays\" principle.",
        "We will review our job-matching process so that it recognizes the skills migrants bring from abroad.",
    ),
}


def demo_answers(people, seed=2021):
    """Who answered what in the demo: `people` is [(index, country code or None, …)] (extra fields are ignored);
    returns {index: {"pre": plan, "post": plan}} where a plan is {"status": "submitted" | "in_progress" | None,
    "answers": {answer key: raw value as a form sends it}}. The same people and seed give the same plan."""
    rng = random.Random(seed)
    indexes = [person[0] for person in people]
    shuffled = indexes[:]
    rng.shuffle(shuffled)
    count = len(indexes)
    cuts = [round(count * share) for share in (BOTH, PRE_ONLY, POST_ONLY)]
    both = set(shuffled[:cuts[0]])
    pre_only = shuffled[cuts[0]:cuts[0] + cuts[1]]
    post_only = set(shuffled[cuts[0] + cuts[1]:sum(cuts)])
    in_progress = set(pre_only[:IN_PROGRESS])
    plans = {}
    for index, country, *_rest in people:
        language = "en" if country in ENGLISH_SPEAKING else "es"
        # Ability, and how much this person learned: most gain, a few slip back (a bad day, a lucky guess before).
        ability = rng.gauss(0, 0.9) + _country_offset(country, seed)
        gain = rng.gauss(1.7, 0.8)
        mood = random.Random(f"{seed}-mood-{index}").gauss(0, 1)  # its own generator: the rest of the plan stays
        pre_status = "in_progress" if index in in_progress else \
            "submitted" if index in both or index in pre_only else None
        post_status = "submitted" if index in both or index in post_only else None
        plans[index] = {
            "pre": _plan(PRE_TEST, pre_status, (ability, None, mood), language, rng),
            "post": _plan(POST_TEST, post_status, (ability, gain, mood), language, rng),
        }
    return plans


def knowledge_score(answers):
    """Points a plan's answers earn on the knowledge items (1 each; all-or-nothing for multiple choice)."""
    return sum(1 for item in KNOWLEDGE if _is_right(item, answers.get(item["item_key"])))


def _is_right(item, value):
    if item["type"] == "multiple_choice":
        return isinstance(value, list) and set(value) == set(item["correct"])
    return value in item["correct"]


def _country_offset(country, seed):
    # A little between delegations (training history differs), the same on every call.
    return random.Random(f"{seed}-{country}").uniform(-0.3, 0.3)


def _plan(questionnaire, status, person, language, rng):
    if status is None:
        return {"status": None, "answers": {}}
    questions = answer_keys(questionnaire)
    if status == "in_progress":
        # Stopped partway through the knowledge items.
        questions = [(key, q) for key, q in questions if q["dimension"] == "knowledge"][:rng.randint(3, 7)]
    kind = questionnaire["kind"]
    answers = {}
    for key, question in questions:
        value = _value(question, kind, person, language, rng)
        if value is not None:
            answers[key] = value
    return {"status": status, "answers": answers}


def _value(question, kind, person, language, rng):
    ability, gain, mood = person
    if question["dimension"] == "knowledge":
        return _knowledge_value(question, ability, gain, rng)
    if question["type"] == "likert":
        return _rating(LIKERT_WEIGHTS, mood, rng)
    if question["type"] == "scale":
        return _rating(SCALE_WEIGHTS, mood, rng)
    if question["type"] == "multiple_choice":
        keys = [o["key"] for o in question["options"]]
        chosen = [key for key in keys if rng.random() < 0.55]
        return chosen or [rng.choice(keys)]
    if rng.random() < TEXT_SHARE[kind]:
        return rng.choice(TEXTS[(kind, language)])
    return None  # open questions are optional: many leave them blank


def _knowledge_value(question, ability, gain, rng):
    item = question["item_key"]
    learned = 0.0 if gain is None else gain + TAUGHT.get(item, 0.0)  # None: before the program
    guess = GUESS[question["type"]]
    chance = guess + (1 - guess) / (1 + math.exp(-(ability + learned - DIFFICULTY[item])))
    right = rng.random() < chance
    if question["type"] == "true_false":
        return question["correct"][0] if right else ("false" if question["correct"][0] == "true" else "true")
    keys = [o["key"] for o in question["options"]]
    if question["type"] == "multiple_choice":
        if right:
            return list(question["correct"])
        # A near miss: one right option left out, or one wrong option ticked as well.
        if rng.random() < 0.5:
            missing = rng.choice(question["correct"])
            return [key for key in question["correct"] if key != missing]
        wrong = rng.choice([key for key in keys if key not in question["correct"]])
        return [key for key in keys if key in question["correct"] or key == wrong]
    if right:
        return question["correct"][0]
    return rng.choice([key for key in keys if key not in question["correct"]])


def _rating(weights, mood, rng):
    """A point drawn with `weights` overall, pushed up or down by the person's mood (a Gaussian copula: each point's
    share over everyone stays as weighted)."""
    normal = statistics.NormalDist()
    own = normal.inv_cdf(min(max(rng.random(), 1e-9), 1 - 1e-9))
    share = normal.cdf(math.sqrt(MOOD_SHARE) * mood + math.sqrt(1 - MOOD_SHARE) * own)
    target, total = share * sum(weights.values()), 0
    for point, weight in weights.items():
        total += weight
        if total >= target:
            return point
    return point
