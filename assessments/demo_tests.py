"""The demo program's pre-test and post-test in Spanish, English, French and Portuguese, and a deterministic plan of
who answered what (pure)."""
import copy
import math
import random
import statistics

from training.demo_data import ENGLISH_SPEAKING, texts

AGREEMENT = texts(["Totalmente en desacuerdo", "Totalmente de acuerdo"], ["Strongly disagree", "Strongly agree"],
                  ["Pas du tout d'accord", "Tout à fait d'accord"],
                  ["Discordo totalmente", "Concordo totalmente"])


def _question(kind, dimension, text, *, item_key=None, options=(), correct=(), points=0, required=False,
              scale_labels=None):
    """One question in the plain shape `questionnaire_files.load` returns (every field present). `text` and each
    option's texts are {language: text} (see `texts`); options are (key, texts)."""
    return {"type": kind, "text": dict(text), "dimension": dimension, "item_key": item_key,
            "options": [{"key": key, **option} for key, option in options],
            "correct": list(correct), "points": points, "required": required,
            "scale_labels": copy.deepcopy(scale_labels or {})}


def _knowledge(item_key, kind, text, correct, options=()):
    return _question(kind, "knowledge", text, item_key=item_key, options=options, correct=correct, points=1,
                     required=True)


def _likert(dimension, text, labels=AGREEMENT, item_key=None):
    return _question("likert", dimension, text, item_key=item_key, required=True, scale_labels=labels)


def _scale(dimension, text, labels):
    return _question("scale", dimension, text, required=True, scale_labels=labels)


# The concept note's themes: labour migration figures, fair and ethical recruitment, rights-based approach, gender,
# vulnerability and referral, what employment counseling offers, and migration governance in the region.
KNOWLEDGE = [
    _knowledge(
        "K01", "single_choice", texts(
            "Según las estimaciones mundiales de la OIT, ¿qué proporción de la fuerza de trabajo mundial eran "
            "personas trabajadoras migrantes en 2019?",
            "According to the ILO global estimates, what share of the world's workforce were migrant workers in "
            "2019?",
            "Selon les estimations mondiales de l'OIT, quelle part de la main-d'œuvre mondiale était composée de "
            "travailleuses et travailleurs migrants en 2019 ?",
            "Segundo as estimativas globais da OIT, que proporção da força de trabalho mundial era composta por "
            "pessoas trabalhadoras migrantes em 2019?"),
        ["b"],
        [("a", texts("Alrededor de 1 de cada 100 (1 %)", "About 1 in 100 (1%)", "Environ 1 sur 100 (1 %)",
                     "Cerca de 1 em cada 100 (1%)")),
         ("b", texts("Alrededor de 1 de cada 20 (5 %)", "About 1 in 20 (5%)", "Environ 1 sur 20 (5 %)",
                     "Cerca de 1 em cada 20 (5%)")),
         ("c", texts("Alrededor de 1 de cada 5 (20 %)", "About 1 in 5 (20%)", "Environ 1 sur 5 (20 %)",
                     "Cerca de 1 em cada 5 (20%)")),
         ("d", texts("Alrededor de 1 de cada 3 (33 %)", "About 1 in 3 (33%)", "Environ 1 sur 3 (33 %)",
                     "Cerca de 1 em cada 3 (33%)"))]),
    _knowledge(
        "K02", "single_choice", texts(
            "Según los Principios generales y directrices prácticas de la OIT para una contratación equitativa, "
            "¿qué se aplica a las comisiones de contratación y los gastos conexos?",
            "According to the ILO General principles and operational guidelines for fair recruitment, what applies "
            "to recruitment fees and related costs?",
            "Selon les Principes généraux et directives opérationnelles concernant le recrutement équitable de "
            "l'OIT, qu'en est-il des commissions de recrutement et des frais connexes ?",
            "Segundo os Princípios gerais e diretrizes operacionais da OIT para o recrutamento equitativo, o que se "
            "aplica às taxas de recrutamento e aos custos relacionados?"),
        ["c"],
        [("a", texts("Pueden cobrarse a la persona trabajadora si se descuentan de su primer salario",
                     "They may be charged to the worker if deducted from their first wages",
                     "Elles peuvent être facturées à la personne travailleuse si elles sont retenues sur son "
                     "premier salaire",
                     "Podem ser cobradas da pessoa trabalhadora se forem descontadas do seu primeiro salário")),
         ("b", texts("Pueden repartirse a partes iguales entre la persona trabajadora y el empleador",
                     "They may be split equally between the worker and the employer",
                     "Elles peuvent être partagées à parts égales entre la personne travailleuse et l'employeur",
                     "Podem ser divididas em partes iguais entre a pessoa trabalhadora e o empregador")),
         ("c", texts("No deben cobrarse a las personas trabajadoras ni a quienes buscan empleo, ni correr por su "
                     "cuenta de ninguna otra forma",
                     "They should not be charged to, or otherwise borne by, workers or jobseekers",
                     "Elles ne doivent pas être facturées aux travailleuses et travailleurs ni aux personnes en "
                     "recherche d'emploi, ni mises à leur charge de quelque autre manière",
                     "Não devem ser cobradas das pessoas trabalhadoras nem de quem procura emprego, nem ficar a "
                     "cargo delas de nenhuma outra forma")),
         ("d", texts("Pueden cobrarse a la persona trabajadora siempre que no superen un mes de salario",
                     "They may be charged to the worker as long as they do not exceed one month's wages",
                     "Elles peuvent être facturées à la personne travailleuse tant qu'elles ne dépassent pas un mois "
                     "de salaire",
                     "Podem ser cobradas da pessoa trabalhadora desde que não ultrapassem um mês de salário"))]),
    _knowledge(
        "K03", "true_false", texts(
            "IRIS, el Sistema Internacional de Integridad en la Contratación de la OIM, permite que una agencia de "
            "contratación certificada cobre una comisión a la persona trabajadora siempre que se lo informe por "
            "escrito de antemano.",
            "IRIS, IOM's International Recruitment Integrity System, allows a certified recruitment agency to "
            "charge the worker a fee as long as it informs them in writing beforehand.",
            "IRIS, le Système international d'intégrité du recrutement de l'OIM, permet à une agence de recrutement "
            "certifiée de facturer des frais à la personne travailleuse à condition de l'en informer par écrit à "
            "l'avance.",
            "O IRIS, Sistema Internacional de Integridade no Recrutamento da OIM, permite que uma agência de "
            "recrutamento certificada cobre uma taxa da pessoa trabalhadora desde que a informe por escrito com "
            "antecedência."),
        ["false"]),
    _knowledge(
        "K04", "single_choice", texts(
            "¿Qué caracteriza al enfoque basado en derechos humanos en la atención a personas trabajadoras "
            "migrantes?",
            "What characterizes a human-rights-based approach to serving migrant workers?",
            "Qu'est-ce qui caractérise une approche fondée sur les droits humains dans l'accompagnement des "
            "travailleuses et travailleurs migrants ?",
            "O que caracteriza o enfoque baseado em direitos humanos no atendimento a pessoas trabalhadoras "
            "migrantes?"),
        ["a"],
        [("a", texts("Reconoce a las personas migrantes como titulares de derechos, cualquiera que sea su situación "
                     "migratoria, y a las instituciones del Estado como titulares de obligaciones",
                     "It sees migrants as rights holders, whatever their migration status, and State institutions "
                     "as duty bearers",
                     "Elle reconnaît les personnes migrantes comme titulaires de droits, quel que soit leur statut "
                     "migratoire, et les institutions de l'État comme débitrices d'obligations",
                     "Reconhece as pessoas migrantes como titulares de direitos, qualquer que seja sua situação "
                     "migratória, e as instituições do Estado como titulares de obrigações")),
         ("b", texts("Reserva los servicios de empleo a las personas con situación migratoria regular",
                     "It reserves employment services for people with a regular migration status",
                     "Elle réserve les services d'emploi aux personnes en situation migratoire régulière",
                     "Reserva os serviços de emprego às pessoas com situação migratória regular")),
         ("c", texts("Da prioridad a la colocación rápida por encima de las condiciones de trabajo",
                     "It puts quick job placement ahead of working conditions",
                     "Elle fait passer le placement rapide avant les conditions de travail",
                     "Dá prioridade à colocação rápida acima das condições de trabalho")),
         ("d", texts("Entiende la atención como una ayuda voluntaria que se presta según los recursos disponibles",
                     "It treats services as voluntary assistance, provided as resources allow",
                     "Elle conçoit l'accompagnement comme une aide volontaire fournie selon les ressources "
                     "disponibles",
                     "Entende o atendimento como uma ajuda voluntária prestada conforme os recursos disponíveis"))]),
    _knowledge(
        "K05", "true_false", texts(
            "Aplicar la perspectiva de género en la consejería de empleo implica analizar cómo los roles y las "
            "desigualdades de género influyen en las oportunidades y los riesgos laborales de las personas "
            "migrantes, y adaptar los servicios en consecuencia.",
            "Applying a gender perspective in employment counseling means analysing how gender roles and "
            "inequalities shape migrants' job opportunities and risks at work, and adapting services accordingly.",
            "Appliquer une perspective de genre dans le conseil en emploi, c'est analyser comment les rôles et les "
            "inégalités de genre influent sur les possibilités d'emploi et les risques professionnels des personnes "
            "migrantes, et adapter les services en conséquence.",
            "Aplicar a perspectiva de gênero no aconselhamento de emprego implica analisar como os papéis e as "
            "desigualdades de gênero influenciam as oportunidades e os riscos de trabalho das pessoas migrantes, e "
            "adaptar os serviços em consequência."),
        ["true"]),
    _knowledge(
        "K06", "single_choice", texts(
            "Según el modelo de determinantes de la vulnerabilidad de las personas migrantes de la OIM, ¿en qué "
            "niveles se analizan los factores de riesgo y de protección?",
            "In IOM's Determinants of Migrant Vulnerability model, at which levels are risk and protective factors "
            "analysed?",
            "Dans le modèle des déterminants de la vulnérabilité des migrants de l'OIM, à quels niveaux analyse-t-on "
            "les facteurs de risque et de protection ?",
            "Segundo o modelo de determinantes da vulnerabilidade de pessoas migrantes da OIM, em que níveis se "
            "analisam os fatores de risco e de proteção?"),
        ["a"],
        [("a", texts("Individual, del hogar y la familia, de la comunidad y estructural",
                     "Individual, household and family, community, and structural",
                     "Individuel, du ménage et de la famille, communautaire et structurel",
                     "Individual, do domicílio e da família, da comunidade e estrutural")),
         ("b", texts("Solo el individual: edad, sexo y estado de salud",
                     "Only the individual level: age, sex and health",
                     "Seulement le niveau individuel : âge, sexe et état de santé",
                     "Somente o individual: idade, sexo e estado de saúde")),
         ("c", texts("Solo la situación migratoria: regular o irregular",
                     "Only migration status: regular or irregular",
                     "Seulement le statut migratoire : régulier ou irrégulier",
                     "Somente a situação migratória: regular ou irregular")),
         ("d", texts("País de origen, de tránsito y de destino", "Country of origin, transit and destination",
                     "Pays d'origine, de transit et de destination", "País de origem, de trânsito e de destino"))]),
    _knowledge(
        "K07", "single_choice", texts(
            "En una entrevista de orientación, una persona migrante cuenta que su empleador anterior le retuvo el "
            "pasaporte y no le pagó el salario. ¿Cuál es la actuación más adecuada de la persona consejera de "
            "empleo?",
            "In a counseling interview, a migrant says that their previous employer kept their passport and did "
            "not pay their wages. What is the most appropriate response from the employment counselor?",
            "Lors d'un entretien d'orientation, une personne migrante raconte que son ancien employeur a confisqué "
            "son passeport et ne lui a pas versé son salaire. Quelle est la réponse la plus appropriée de la "
            "conseillère ou du conseiller d'emploi ?",
            "Em uma entrevista de orientação, uma pessoa migrante conta que seu empregador anterior reteve seu "
            "passaporte e não pagou seu salário. Qual é a atuação mais adequada da conselheira ou do conselheiro de "
            "emprego?"),
        ["b"],
        [("a", texts("Seguir con la búsqueda de vacantes, porque el caso no es competencia del servicio de empleo",
                     "Carry on with the job search: the case is not a matter for the employment service",
                     "Poursuivre la recherche d'offres d'emploi : le cas ne relève pas du service de l'emploi",
                     "Continuar a busca de vagas, porque o caso não é da competência do serviço de emprego")),
         ("b", texts("Informarle sobre sus derechos y, con su consentimiento, referirla a los servicios de "
                     "protección y a la inspección del trabajo",
                     "Inform them of their rights and, with their consent, refer them to protection services and "
                     "the labour inspectorate",
                     "L'informer de ses droits et, avec son consentement, l'orienter vers les services de protection "
                     "et l'inspection du travail",
                     "Informá-la sobre seus direitos e, com seu consentimento, encaminhá-la aos serviços de proteção "
                     "e à inspeção do trabalho")),
         ("c", texts("Notificar el caso a la autoridad migratoria sin consultarle",
                     "Report the case to the migration authorities without consulting them",
                     "Signaler le cas aux autorités migratoires sans la consulter",
                     "Notificar o caso à autoridade migratória sem consultá-la")),
         ("d", texts("Llamar al empleador para negociar la devolución del pasaporte",
                     "Call the employer to negotiate the return of the passport",
                     "Appeler l'employeur pour négocier la restitution du passeport",
                     "Ligar para o empregador para negociar a devolução do passaporte"))]),
    _knowledge(
        "K08", "multiple_choice", texts(
            "¿Cuáles de los siguientes servicios corresponden a una consejería de empleo? Marque todas las opciones "
            "correctas.",
            "Which of the following are services of an employment counseling office? Select all that apply.",
            "Parmi les services suivants, lesquels relèvent d'un service de conseil en emploi ? Cochez toutes les "
            "réponses correctes.",
            "Quais dos seguintes serviços correspondem a um serviço de aconselhamento de emprego? Marque todas as "
            "opções corretas."),
        ["a", "b", "c"],
        [("a", texts("Orientar sobre dónde y cómo buscar trabajo", "Advising on where and how to look for work",
                     "Conseiller sur où et comment chercher du travail",
                     "Orientar sobre onde e como procurar trabalho")),
         ("b", texts("Apoyar en la elaboración del currículum y la preparación de entrevistas",
                     "Helping to prepare a CV and get ready for interviews",
                     "Aider à rédiger un CV et à se préparer aux entretiens d'embauche",
                     "Apoiar na elaboração do currículo e na preparação para entrevistas")),
         ("c", texts("Recomendar opciones de formación para desarrollar y certificar habilidades",
                     "Recommending training to develop and certify skills",
                     "Recommander des formations pour développer et faire reconnaître des compétences",
                     "Recomendar opções de formação para desenvolver e certificar habilidades")),
         ("d", texts("Otorgar permisos de trabajo o resolver la situación migratoria",
                     "Granting work permits or settling migration status",
                     "Délivrer des permis de travail ou régler le statut migratoire",
                     "Conceder autorizações de trabalho ou resolver a situação migratória")),
         ("e", texts("Cobrar una comisión a la persona por colocarla en un empleo",
                     "Charging the person a fee for placing them in a job",
                     "Facturer des frais à la personne pour lui trouver un emploi",
                     "Cobrar uma taxa da pessoa por colocá-la em um emprego"))]),
    _knowledge(
        "K09", "single_choice", texts(
            "¿Qué es la Conferencia Regional sobre Migración (CRM)?",
            "What is the Regional Conference on Migration (RCM)?",
            "Qu'est-ce que la Conférence régionale sur la migration (CRM) ?",
            "O que é a Conferência Regional sobre Migração (CRM)?"),
        ["a"],
        [("a", texts("Un foro regional en el que los Países Miembros dialogan y se coordinan sobre migración; sus "
                     "acuerdos no son jurídicamente vinculantes",
                     "A regional forum where Member Countries hold dialogue and coordinate on migration; its "
                     "agreements are not legally binding",
                     "Un forum régional où les Pays membres dialoguent et se coordonnent sur la migration ; ses "
                     "accords ne sont pas juridiquement contraignants",
                     "Um fórum regional em que os Países Membros dialogam e se coordenam sobre migração; seus "
                     "acordos não são juridicamente vinculantes")),
         ("b", texts("Un tratado que obliga a sus Países Miembros a adoptar una misma ley migratoria",
                     "A treaty that requires its Member Countries to adopt the same migration law",
                     "Un traité qui oblige ses Pays membres à adopter une même loi sur la migration",
                     "Um tratado que obriga seus Países Membros a adotar uma mesma lei migratória")),
         ("c", texts("Un organismo especializado de las Naciones Unidas con sede en Ginebra",
                     "A specialized United Nations agency based in Geneva",
                     "Une institution spécialisée des Nations Unies dont le siège est à Genève",
                     "Uma agência especializada das Nações Unidas com sede em Genebra")),
         ("d", texts("Un tribunal regional que resuelve denuncias de personas migrantes",
                     "A regional court that rules on complaints from migrants",
                     "Un tribunal régional qui statue sur les plaintes de personnes migrantes",
                     "Um tribunal regional que julga denúncias de pessoas migrantes"))]),
    _knowledge(
        "K10", "single_choice", texts(
            "¿Qué instrumento internacional, adoptado en 2018, incluye entre sus objetivos «facilitar la "
            "contratación equitativa y ética y salvaguardar las condiciones que garantizan el trabajo decente»?",
            "Which international instrument, adopted in 2018, includes among its objectives \"facilitate fair and "
            "ethical recruitment and safeguard conditions that ensure decent work\"?",
            "Quel instrument international, adopté en 2018, compte parmi ses objectifs « favoriser des pratiques de "
            "recrutement justes et éthiques et assurer les conditions d'un travail décent » ?",
            "Qual instrumento internacional, adotado em 2018, inclui entre seus objetivos “facilitar o recrutamento "
            "justo e ético e salvaguardar as condições que garantem o trabalho decente”?"),
        ["a"],
        [("a", texts("El Pacto Mundial para la Migración Segura, Ordenada y Regular",
                     "The Global Compact for Safe, Orderly and Regular Migration",
                     "Le Pacte mondial pour des migrations sûres, ordonnées et régulières",
                     "O Pacto Global para a Migração Segura, Ordenada e Regular")),
         ("b", texts("El Pacto Mundial sobre los Refugiados", "The Global Compact on Refugees",
                     "Le Pacte mondial sur les réfugiés", "O Pacto Global sobre Refugiados")),
         ("c", texts("El Convenio sobre los trabajadores migrantes (revisado), 1949 (núm. 97), de la OIT",
                     "The ILO Migration for Employment Convention (Revised), 1949 (No. 97)",
                     "La Convention (n° 97) sur les travailleurs migrants (révisée), 1949, de l'OIT",
                     "A Convenção sobre os Trabalhadores Migrantes (revisada), 1949 (nº 97), da OIT")),
         ("d", texts("La Declaración Universal de Derechos Humanos", "The Universal Declaration of Human Rights",
                     "La Déclaration universelle des droits de l'homme",
                     "A Declaração Universal dos Direitos Humanos"))]),
]


# The intended use at work: the follow-up questionnaire asks it again in the past tense under the same key, so the
# impact report pairs each person's intention with what they later report (demo_follow_up).
INTENDED_USE = "A01"


def _knowledge_section():
    # A fresh copy for each test, so that editing one questionnaire's plain values never changes the other's.
    return {"title": texts("Conocimientos", "Knowledge", "Connaissances", "Conhecimentos"),
            "questions": copy.deepcopy(KNOWLEDGE)}


# The intros say nothing of the certificate: the test's intro page states what the certificate asks of the test,
# from the program's certificate rules (both tests submitted, in the demo), so content cannot contradict it.
PRE_TEST = {
    "kind": "pre",
    "title": texts("Evaluación previa (pre-test)", "Prior assessment (pre-test)", "Évaluation préalable (pré-test)",
                   "Avaliação prévia (pré-teste)"),
    "intro": texts(
        "Esta breve consulta (unos 10 minutos) nos permite conocer su punto de partida y sus expectativas. "
        "No es un examen. Sus respuestas se guardan automáticamente.",
        "This short survey (about 10 minutes) tells us where you are starting from and what you expect. It "
        "is not an exam. Your answers are saved automatically.",
        "Ce court questionnaire (environ 10 minutes) nous permet de connaître votre point de départ et vos "
        "attentes. Ce n'est pas un examen. Vos réponses sont enregistrées automatiquement.",
        "Esta breve consulta (cerca de 10 minutos) nos permite conhecer seu ponto de partida e suas expectativas. "
        "Não é uma prova. Suas respostas são salvas automaticamente."),
    "sections": [
        _knowledge_section(),
        {"title": texts("Expectativas", "Expectations", "Attentes", "Expectativas"), "questions": [
            _likert("expectations", texts(
                "Espero ampliar mis conocimientos sobre migración laboral y contratación equitativa.",
                "I expect to broaden my knowledge of labour migration and fair recruitment.",
                "J'espère approfondir mes connaissances sur la migration de main-d'œuvre et le recrutement "
                "équitable.",
                "Espero ampliar meus conhecimentos sobre migração laboral e recrutamento equitativo.")),
            _likert("expectations", texts(
                "Espero obtener herramientas prácticas para atender a personas trabajadoras migrantes en mi "
                "servicio.",
                "I expect to gain practical tools to serve migrant workers in my office.",
                "J'espère acquérir des outils pratiques pour accompagner les travailleuses et travailleurs migrants "
                "dans mon service.",
                "Espero obter ferramentas práticas para atender pessoas trabalhadoras migrantes no meu serviço.")),
            _likert("expectations", texts(
                "Espero intercambiar experiencias y buenas prácticas con personas consejeras de otros países de "
                "la región.",
                "I expect to exchange experiences and good practices with counselors from other countries in "
                "the region.",
                "J'espère échanger des expériences et de bonnes pratiques avec des conseillères et conseillers "
                "d'autres pays de la région.",
                "Espero trocar experiências e boas práticas com conselheiras e conselheiros de outros países da "
                "região.")),
            _scale("expectations", texts(
                "En una escala del 0 al 10, ¿qué tan útil cree que será este programa para su trabajo?",
                "On a scale from 0 to 10, how useful do you think this program will be for your work?",
                "Sur une échelle de 0 à 10, dans quelle mesure ce programme vous semble-t-il utile pour votre "
                "travail ?",
                "Em uma escala de 0 a 10, quão útil você acha que este programa será para o seu trabalho?"),
                texts(["Nada útil", "Muy útil"], ["Not useful at all", "Extremely useful"],
                      ["Pas du tout utile", "Extrêmement utile"], ["Nada útil", "Muito útil"])),
            _question("short_text", "expectations", texts(
                "¿Qué es lo que más espera aprender?", "What do you most expect to learn?",
                "Qu'espérez-vous apprendre avant tout ?", "O que você mais espera aprender?")),
        ]},
    ],
}

POST_TEST = {
    "kind": "post",
    "title": texts("Evaluación posterior (post-test)", "Final assessment (post-test)", "Évaluation finale (post-test)",
                   "Avaliação final (pós-teste)"),
    "intro": texts(
        "Esta consulta final (unos 10 minutos) valora los conocimientos adquiridos, su satisfacción con el "
        "programa y el uso que dará a lo aprendido en su trabajo. Sus respuestas se guardan automáticamente.",
        "This final survey (about 10 minutes) looks at what you learned, how satisfied you are with the "
        "program and how you will use it in your work. Your answers are saved automatically.",
        "Ce questionnaire final (environ 10 minutes) porte sur les connaissances acquises, votre satisfaction à "
        "l'égard du programme et l'usage que vous ferez de ces apprentissages dans votre travail. Vos réponses sont "
        "enregistrées automatiquement.",
        "Esta consulta final (cerca de 10 minutos) avalia os conhecimentos adquiridos, sua satisfação com o "
        "programa e o uso que você fará do que aprendeu no seu trabalho. Suas respostas são salvas "
        "automaticamente."),
    "sections": [
        _knowledge_section(),
        {"title": texts("Satisfacción", "Satisfaction", "Satisfaction", "Satisfação"), "questions": [
            _likert("expectations", texts("El programa cumplió mis expectativas.", "The program met my expectations.",
                                          "Le programme a répondu à mes attentes.",
                                          "O programa atendeu às minhas expectativas.")),
            _likert("satisfaction", texts(
                "La facilitación de las sesiones fue clara y favoreció la participación.",
                "The sessions were facilitated clearly and encouraged participation.",
                "L'animation des séances a été claire et a favorisé la participation.",
                "A facilitação das sessões foi clara e favoreceu a participação.")),
            _likert("satisfaction", texts(
                "Los materiales (presentaciones y cursos en línea) fueron útiles y pertinentes.",
                "The materials (presentations and online courses) were useful and relevant.",
                "Les supports (présentations et cours en ligne) ont été utiles et pertinents.",
                "Os materiais (apresentações e cursos on-line) foram úteis e pertinentes.")),
            _scale("satisfaction", texts(
                "En una escala del 0 al 10, ¿qué tan probable es que recomiende este programa a colegas de su "
                "institución?",
                "On a scale from 0 to 10, how likely are you to recommend this program to colleagues at your "
                "institution?",
                "Sur une échelle de 0 à 10, quelle est la probabilité que vous recommandiez ce programme à des "
                "collègues de votre institution ?",
                "Em uma escala de 0 a 10, qual é a probabilidade de você recomendar este programa a colegas da sua "
                "instituição?"),
                texts(["Nada probable", "Muy probable"], ["Not at all likely", "Extremely likely"],
                      ["Pas du tout probable", "Extrêmement probable"], ["Nada provável", "Muito provável"])),
        ]},
        {"title": texts("Aplicación en el trabajo", "Use at work", "Application au travail", "Aplicação no trabalho"),
         "questions": [
            _likert("application", texts(
                "Aplicaré lo aprendido en mi trabajo en los próximos tres meses.",
                "I will apply what I learned in my work within the next three months.",
                "J'appliquerai ce que j'ai appris dans mon travail au cours des trois prochains mois.",
                "Vou aplicar o que aprendi no meu trabalho nos próximos três meses."), item_key=INTENDED_USE),
            _question("multiple_choice", "application", texts(
                "¿Qué herramientas del programa piensa utilizar en su trabajo? Marque todas las que correspondan.",
                "Which tools from the program do you plan to use in your work? Select all that apply.",
                "Quels outils du programme comptez-vous utiliser dans votre travail ? Cochez toutes les réponses "
                "qui s'appliquent.",
                "Quais ferramentas do programa você pretende usar no seu trabalho? Marque todas as que se "
                "aplicam."),
                options=[("profiles", texts("Identificación de perfiles ocupacionales de personas migrantes",
                                            "Identifying migrants' occupational profiles",
                                            "Identification des profils professionnels des personnes migrantes",
                                            "Identificação de perfis ocupacionais de pessoas migrantes")),
                         ("vulnerability", texts("Modelo de determinación de la vulnerabilidad",
                                                 "The vulnerability determination model",
                                                 "Modèle de détermination de la vulnérabilité",
                                                 "Modelo de determinação da vulnerabilidade")),
                         ("referral", texts("Referencia de casos a servicios de protección",
                                            "Referring cases to protection services",
                                            "Orientation des cas vers les services de protection",
                                            "Encaminhamento de casos aos serviços de proteção")),
                         ("fair_recruitment", texts("Principios de contratación equitativa (OIT e IRIS)",
                                                    "Fair recruitment principles (ILO and IRIS)",
                                                    "Principes du recrutement équitable (OIT et IRIS)",
                                                    "Princípios de recrutamento equitativo (OIT e IRIS)")),
                         ("gender", texts("Perspectiva de género en la entrevista de orientación",
                                          "A gender perspective in counseling interviews",
                                          "Perspective de genre dans l'entretien d'orientation",
                                          "Perspectiva de gênero na entrevista de orientação"))]),
            _question("long_text", "application", texts(
                "¿Cómo utilizará lo aprendido en su trabajo cotidiano?",
                "How will you use what you learned in your daily work?",
                "Comment utiliserez-vous ce que vous avez appris dans votre travail quotidien ?",
                "Como você vai usar o que aprendeu no seu trabalho do dia a dia?")),
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

# The answers people wrote to the open questions, by the person's language. French speakers are Canadians, who would
# otherwise answer in English: French has as many texts as English (and Portuguese as Spanish), so a person's draw
# picks the same place in either list and the plan, and every figure of the demo, stays the same.
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
    ("pre", "fr"): (
        "Des outils pratiques pour évaluer les compétences des personnes migrantes en recherche d'emploi.",
        "Comment orienter les personnes migrantes en situation de vulnérabilité vers les bons services.",
        "Les bonnes pratiques d'autres pays de la région.",
        "Comment repérer les pratiques de recrutement abusives et les frais facturés aux travailleurs.",
        "Appliquer une perspective de genre dans les entretiens d'orientation.",
    ),
    ("pre", "pt"): (
        "Ferramentas para identificar os perfis ocupacionais das pessoas migrantes.",
        "Como encaminhar pessoas migrantes em situação de vulnerabilidade aos serviços adequados.",
        "Conhecer boas práticas de outros países da região.",
        "O que é o recrutamento ético e como verificar as agências de colocação.",
        "Como incorporar a perspectiva de gênero no atendimento.",
        "Dados recentes sobre a migração laboral na América Central, no México e no Caribe.",
        "Como orientar pessoas com experiência de trabalho que não conseguem comprovar seus estudos.",
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
    ("post", "fr"): (
        "J'ajouterai des questions sur les frais de recrutement et les conditions du contrat à notre entretien "
        "d'accueil.",
        "Je compte présenter le modèle de vulnérabilité à mes collègues et dresser une liste d'orientation avec nos "
        "partenaires locaux.",
        "Avec les employeurs, je défendrai le principe « l'employeur paie ».",
        "Nous reverrons notre processus de jumelage emploi-candidat pour qu'il reconnaisse les compétences acquises "
        "à l'étranger.",
    ),
    ("post", "pt"): (
        "Vou incluir perguntas sobre as condições de contratação na entrevista inicial e encaminhar os casos de "
        "cobrança de taxas à inspeção do trabalho.",
        "Vou compartilhar o modelo de determinação da vulnerabilidade com minha equipe para priorizar o "
        "atendimento.",
        "Vamos revisar nosso protocolo para incluir a perspectiva de gênero e para que a situação migratória não "
        "seja um obstáculo para receber orientação.",
        "Vou me coordenar com o escritório de migração e com organizações da sociedade civil para ter uma rota de "
        "encaminhamento clara.",
        "Vou aplicar os princípios de recrutamento equitativo ao conectar empregadores com pessoas trabalhadoras "
        "migrantes.",
        "Nas oficinas de busca de emprego, vou falar dos direitos trabalhistas das pessoas migrantes.",
    ),
}


def demo_answers(people, seed=2021, languages=None):
    """Who answered what in the demo: `people` is [(index, country code or None, …)] (extra fields are ignored);
    returns {index: {"pre": plan, "post": plan}} where a plan is {"status": "submitted" | "in_progress" | None,
    "answers": {answer key: raw value as a form sends it}}. The same people and seed give the same plan.
    `languages` ({index: language}) is the language each person writes in; without it, English for the
    English-speaking member countries and Spanish for the others. It changes the words, never the draws."""
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
        language = _language(country, (languages or {}).get(index))
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


def _language(country, language):
    """The language of a person's open answers: theirs when the demo has texts in it, else their country's."""
    default = country_language(country)
    if language != default and len(TEXTS.get(("pre", language), ())) == len(TEXTS[("pre", default)]) \
            and len(TEXTS.get(("post", language), ())) == len(TEXTS[("post", default)]):
        return language
    return default


def country_language(country):
    """The language a person of `country` (None: an observer) writes in when the demo has no texts in theirs."""
    return "en" if country in ENGLISH_SPEAKING else "es"


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
