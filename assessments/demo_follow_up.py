"""The demo program's follow-up questionnaire in four languages and a deterministic plan of who answered it (pure)."""
import random

from training.demo_data import texts

from .demo_tests import INTENDED_USE, POST_TEST, _likert, _question, answer_keys, country_language

# When the organizer sends it: two weeks after the program ends, open four weeks.
WEEKS_AFTER_END, WEEKS_OPEN = 2, 4

YES_NO = [("yes", texts("Sí", "Yes", "Oui", "Sim")), ("no", texts("No", "No", "Non", "Não"))]


# The post-test's "which tools will you use" question: the follow-up asks which were used, with the same options.
PLANNED_TOOLS, _TOOLS = next((key, question) for key, question in answer_keys(POST_TEST)
                             if question["type"] == "multiple_choice" and question["dimension"] == "application")


def _tools_options():
    return [(option["key"], {lang: text for lang, text in option.items() if lang != "key"})
            for option in _TOOLS["options"]]


FOLLOW_UP = {
    "kind": "follow_up",
    "title": texts("Cuestionario de seguimiento: lo aprendido, en el trabajo",
                   "Follow-up questionnaire: what you learned, at work",
                   "Questionnaire de suivi : vos acquis, au travail",
                   "Questionário de acompanhamento: o que foi aprendido, no trabalho"),
    "intro": texts(
        "Han pasado algunas semanas desde el programa. Esta breve consulta (unos 5 minutos) pregunta si ha podido "
        "usar lo aprendido en su trabajo y qué lo ha facilitado o dificultado. Sus respuestas se guardan "
        "automáticamente y solo se publican en cifras de conjunto.",
        "A few weeks have passed since the program. This short survey (about 5 minutes) asks whether you have been "
        "able to use what you learned in your work, and what helped or got in the way. Your answers are saved "
        "automatically and only published as overall figures.",
        "Quelques semaines ont passé depuis le programme. Ce court questionnaire (environ 5 minutes) vous demande si "
        "vous avez pu mettre en pratique vos acquis dans votre travail, et ce qui vous y a aidé ou en a empêché. Vos "
        "réponses sont enregistrées automatiquement et ne sont publiées que sous forme de chiffres d'ensemble.",
        "Já se passaram algumas semanas desde o programa. Esta breve consulta (cerca de 5 minutos) pergunta se você "
        "conseguiu usar o que aprendeu no seu trabalho e o que facilitou ou dificultou isso. Suas respostas são "
        "salvas automaticamente e só são divulgadas em números de conjunto."),
    "sections": [
        {"title": texts("Uso en el trabajo", "Use at work", "Mise en pratique au travail", "Uso no trabalho"),
         "questions": [
            _question("single_choice", "application", texts(
                "Desde que terminó el programa, ¿ha aplicado en su trabajo alguna herramienta o conocimiento del "
                "programa?",
                "Since the program ended, have you applied any tool or knowledge from it in your work?",
                "Depuis la fin du programme, avez-vous mis en pratique dans votre travail un outil ou une "
                "connaissance qui en est issu ?",
                "Desde que o programa terminou, você aplicou no seu trabalho alguma ferramenta ou conhecimento do "
                "programa?"), options=YES_NO, required=True),
            # The post-test's intention, asked again as a fact: same key, same five points, so the two pair up.
            _likert("application", texts(
                "He aplicado lo aprendido en mi trabajo desde que terminó el programa.",
                "I have applied what I learned in my work since the program ended.",
                "J'ai appliqué ce que j'ai appris dans mon travail depuis la fin du programme.",
                "Apliquei o que aprendi no meu trabalho desde que o programa terminou."), item_key=INTENDED_USE),
            _question("multiple_choice", "application", texts(
                "¿Qué herramientas del programa ha utilizado? Marque todas las que correspondan.",
                "Which tools from the program have you used? Select all that apply.",
                "Quels outils du programme avez-vous utilisés ? Cochez toutes les réponses qui s'appliquent.",
                "Quais ferramentas do programa você usou? Marque todas as que se aplicam."),
                options=_tools_options()),
            _question("long_text", "application", texts(
                "Cuente un ejemplo de uso en su trabajo: ¿qué situación, qué hizo y qué resultado tuvo?",
                "Tell us about an example of use at work: what situation, what you did and what came of it.",
                "Racontez un exemple de mise en pratique au travail : quelle situation, ce que vous avez fait et "
                "avec quel résultat.",
                "Conte um exemplo de uso no seu trabalho: qual situação, o que você fez e qual foi o resultado.")),
        ]},
        {"title": texts("Apoyos y obstáculos", "Support and obstacles", "Soutiens et obstacles",
                        "Apoios e obstáculos"), "questions": [
            _likert("application", texts(
                "Mi jefatura y mi institución han apoyado que aplique lo aprendido.",
                "My manager and my institution have supported me in applying what I learned.",
                "Ma hiérarchie et mon institution ont soutenu la mise en pratique de mes acquis.",
                "Minha chefia e minha instituição apoiaram que eu aplicasse o que aprendi.")),
            _likert("application", texts(
                "He contado con el tiempo y los recursos necesarios para aplicar lo aprendido.",
                "I have had the time and resources needed to apply what I learned.",
                "J'ai disposé du temps et des moyens nécessaires pour mettre mes acquis en pratique.",
                "Tive o tempo e os recursos necessários para aplicar o que aprendi.")),
            _likert("application", texts(
                "He seguido en contacto con colegas de otros países que conocí en el programa.",
                "I have stayed in touch with colleagues from other countries I met in the program.",
                "J'ai gardé le contact avec des collègues d'autres pays rencontrés pendant le programme.",
                "Continuei em contato com colegas de outros países que conheci no programa.")),
        ]},
    ],
}

# --- who answered what ----------------------------------------------------------------------------------------

# Most completers answer; the more they meant to use it, the likelier (what the non-response check looks for).
RESPONSE_BASE, RESPONSE_SLOPE = 0.8, 0.06  # chance at intention 4 of 5, and per point of intention
IN_PROGRESS = 2  # opened the link, answered the first questions, never came back
# How far reported use falls below the intention (points of 5): most a little, some not at all, a few report more.
DROP_WEIGHTS = {-1: 6, 0: 30, 1: 50, 2: 14}
# The supports, each relative to the person's reported use: time and resources are the usual obstacle.
SUPPORT_OFFSETS = {"2.1": 0, "2.2": -1, "2.3": 0}
TEXT_SHARE = 0.45
# Open answers by language; Portuguese has as many as Spanish and French as English, so the draws stay the same.
TEXTS = {
    "es": (
        "Agregué a la entrevista inicial preguntas sobre cómo fue contratada la persona y si pagó comisiones; dos "
        "casos se refirieron a la inspección del trabajo.",
        "Usé el modelo de determinación de la vulnerabilidad para priorizar la atención de una familia recién "
        "llegada y coordinar con la oficina de migración.",
        "Con colegas de Guatemala armamos una lista de contactos para referir casos entre los dos servicios de "
        "empleo.",
        "Presenté los principios de contratación equitativa a tres empresas que buscan personal y una de ellas "
        "revisó su aviso de vacantes.",
        "Organizamos un taller de búsqueda de empleo para personas migrantes con información sobre sus derechos "
        "laborales.",
        "Todavía no he podido aplicarlo: la carga de trabajo de la oficina no me ha dejado tiempo.",
    ),
    "en": (
        "I added questions about recruitment fees and contract terms to our intake interview.",
        "I used the vulnerability model to prioritise a newly arrived family and referred them to a local partner.",
        "I shared the fair recruitment principles with two employers we work with.",
        "Not yet: our office is short-staffed and there has been no time to change our procedures.",
    ),
    "fr": (
        "J'ai ajouté à notre entretien d'accueil des questions sur les frais de recrutement et les conditions du "
        "contrat.",
        "J'ai utilisé le modèle de vulnérabilité pour accompagner en priorité une famille nouvellement arrivée et "
        "l'orienter vers un partenaire local.",
        "J'ai présenté les principes du recrutement équitable à deux employeurs avec qui nous travaillons.",
        "Pas encore : notre bureau manque de personnel et nous n'avons pas eu le temps de revoir nos procédures.",
    ),
    "pt": (
        "Incluí na entrevista inicial perguntas sobre como a pessoa foi contratada e se pagou taxas; dois casos "
        "foram encaminhados à inspeção do trabalho.",
        "Usei o modelo de determinação da vulnerabilidade para priorizar o atendimento de uma família recém-chegada "
        "e me coordenar com o escritório de migração.",
        "Com colegas da Guatemala montamos uma lista de contatos para encaminhar casos entre os dois serviços de "
        "emprego.",
        "Apresentei os princípios de recrutamento equitativo a três empresas que buscam pessoal e uma delas revisou "
        "seu anúncio de vagas.",
        "Organizamos uma oficina de busca de emprego para pessoas migrantes com informações sobre seus direitos "
        "trabalhistas.",
        "Ainda não consegui aplicar: a carga de trabalho do escritório não me deixou tempo.",
    ),
}


def follow_up_answers(completers, seed=2021):
    """Who answered the follow-up and what: `completers` is [(index, country, language, post-test answers)] of the
    people who submitted the post-test (extra fields are ignored); returns {index: {"status": "submitted" |
    "in_progress" | None, "answers": {answer key: raw value}, "when": share of the time since it opened}}."""
    rng = random.Random(f"{seed}-follow-up")
    plans = {}
    for index, country, language, post, *_rest in completers:
        intended = int(post[INTENDED_USE])
        responds = rng.random() < RESPONSE_BASE + RESPONSE_SLOPE * (intended - 4)
        when = rng.random() ** 2  # most answer in the first days, the rest after a reminder
        answers = _answers(intended, post, _language(country, language), rng)
        plans[index] = {"status": "submitted" if responds else None, "answers": answers if responds else {},
                        "when": when}
    started = [index for index, plan in plans.items() if plan["status"] is None]
    for index in started[:IN_PROGRESS]:  # the first non-responders by index opened it and stopped
        plans[index] = {"status": "in_progress", "answers": {"1.1": "yes"}, "when": plans[index]["when"]}
    return plans


def _language(country, language):
    default = country_language(country)
    if language in TEXTS and len(TEXTS[language]) == len(TEXTS[default]):
        return language
    return default


def _answers(intended, post, language, rng):
    drop = rng.choices(list(DROP_WEIGHTS), weights=list(DROP_WEIGHTS.values()))[0]
    reported = min(5, max(1, intended - drop))
    applied = rng.random() < (0.95 if reported >= 3 else 0.2)
    answers = {"1.1": "yes" if applied else "no", INTENDED_USE: str(reported)}
    planned = post.get(PLANNED_TOOLS) or []
    used = [key for key in planned if rng.random() < 0.65]
    if applied and (used or planned):
        answers["1.3"] = used or [planned[0]]
    for key, offset in SUPPORT_OFFSETS.items():
        answers[key] = str(min(5, max(1, reported + offset + rng.choice((-1, 0, 0, 1)))))
    if rng.random() < TEXT_SHARE:
        choices = TEXTS[language]
        # The last text says it has not been used yet: only those who say so write it.
        answers["1.4"] = choices[-1] if not applied else rng.choice(choices[:-1])
    return answers

